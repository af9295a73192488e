// Formatting helpers for large or small engine-computed numbers, shared by the lesson data modules
// (format.ts covers fixed decimals; these cover counts and scientific notation).

/** An integer with thousands separators: 134,217,728. */
export function fmtInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** An integer with thousands separators for LaTeX: 8{,}192 (a bare comma adds a space in math). */
export function texInt(x: number): string {
  return fmtInt(x).replace(/,/g, '{,}');
}

/** A number in scientific notation as LaTeX, e.g. `1.34 \times 10^{8}`; |x| < 1e-300 prints as 0. */
export function texSci(x: number, digits = 2): string {
  if (x === 0 || Math.abs(x) < 1e-300) return '0';
  const [m, e] = x.toExponential(digits).split('e');
  return `${m.replace('-', '-')} \\times 10^{${Number(e)}}`;
}

/** The same as plain text with a Unicode exponent, e.g. "1.34 × 10⁸". */
export function fmtSci(x: number, digits = 2): string {
  if (x === 0 || Math.abs(x) < 1e-300) return '0';
  const sup: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  const [m, e] = x.toExponential(digits).split('e');
  const exp = String(Number(e)).split('').map((c) => sup[c] ?? c).join('');
  return `${m.replace('-', '−')}\u00a0×\u00a010${exp}`;
}

/** A ratio like "16×" with `digits` decimals dropped when it is whole. */
export function fmtTimes(x: number, digits = 1): string {
  return `${Number.isInteger(x) ? x : x.toFixed(digits)}×`;
}
