// Checking a quick-check answer: numbers typed by a learner ("0.52", "3,072", "1e-9", "−2") against an engine value.

/** Parses a typed number; accepts thousands separators, a Unicode minus and scientific notation. Null if not a number. */
export function parseAnswer(text: string): number | null {
  const t = text.trim().replace(/[\u2212\u2013]/g, '-').replace(/,(?=\d{3}\b)/g, '').replace(/\s+/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

/** True when `got` equals `want` to the shown precision: within half a unit of the last digit, or a relative 0.5 %. */
export function answerMatches(got: number, want: number, digits: number): boolean {
  const step = 0.5 * 10 ** -digits;
  return Math.abs(got - want) <= Math.max(step, 0.005 * Math.abs(want)) + 1e-12;
}
