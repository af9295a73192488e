// Formatting of engine-computed numbers for lessons, as text or as LaTeX.
import katex from 'katex';

/** A number with `digits` decimals; −0 prints as 0 and ±∞ as the symbol. */
export function fmt(x: number, digits = 3): string {
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace('-', '−');
}

/** The same number as LaTeX (`-\infty` for −∞). */
export function texNum(x: number, digits = 3): string {
  if (x === Infinity) return '\\infty';
  if (x === -Infinity) return '-\\infty';
  return fmt(x, digits).replace('−', '-');
}

/** A matrix (or a row vector when given one row) as a LaTeX bmatrix. */
export function texMatrix(m: number[][] | number[], digits = 3): string {
  const rows = (Array.isArray(m[0]) ? m : [m]) as number[][];
  return `\\begin{bmatrix}${rows.map((r) => r.map((x) => texNum(x, digits)).join(' & ')).join(' \\\\ ')}\\end{bmatrix}`;
}

/** A byte count in binary units (KiB, MiB, GiB). */
export function fmtBytes(bytes: number, digits = 2): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : Number(v.toFixed(digits))} ${units[i]}`;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text with inline `$…$` math as HTML: the text escaped, the math rendered by KaTeX. */
export function textWithMath(s: string): string {
  return s
    .split(/(\$[^$]+\$)/)
    .map((part) => (/^\$[^$]+\$$/.test(part) ? katex.renderToString(part.slice(1, -1), { throwOnError: false, strict: 'ignore' }) : escapeHtml(part)))
    .join('');
}
