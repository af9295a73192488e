// The two ways of computing a softmax shown by the stability demo and lesson 3.5.
// `naiveSoftmax` is the bug (exp of raw logits); the correct weights come from the engine's softmax.

/** exp of the raw logits, their sum and the quotient — overflows to ∞ (then NaN) past ln(MAX_VALUE) ≈ 709.78. */
export function naiveSoftmax(row: readonly number[]): { exps: number[]; sum: number; weights: number[] } {
  const exps = row.map((s) => Math.exp(s));
  const sum = exps.reduce((a, b) => a + b, 0);
  return { exps, sum, weights: exps.map((e) => e / sum) };
}

/** The max-subtracted intermediate steps (the weights themselves come from the engine's softmax). */
export function stableSteps(row: readonly number[]): { max: number; shifted: number[]; exps: number[]; sum: number; lse: number } {
  const max = Math.max(...row);
  const shifted = row.map((s) => s - max);
  const exps = shifted.map((s) => Math.exp(s));
  const sum = exps.reduce((a, b) => a + b, 0);
  return { max, shifted, exps, sum, lse: max + Math.log(sum) };
}

/** The demo's logits for magnitude c: (c, c − 1, c − 2), or all −∞ when the row is fully masked. */
export function stabilityLogits(c: number, fullyMasked: boolean): number[] {
  return fullyMasked ? [-Infinity, -Infinity, -Infinity] : [c, c - 1, c - 2];
}

/** Prints huge, tiny, infinite and NaN values readably (scientific notation outside [1e-3, 1e4)). */
export function fmtSci(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  const a = Math.abs(x);
  const s = x !== 0 && (a >= 1e4 || a < 1e-3) ? x.toExponential(3) : x.toFixed(4);
  return s.replace('-', '−');
}
