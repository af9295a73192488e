// Draws small tensors (JSON excerpts from a GradeResult) as tables and heatmaps, with mismatching cells and the
// worst index highlighted. Learner values are untrusted: they only ever reach the DOM as text.
import { el } from './data';

/** Display tolerance for highlighting a cell as different (the grader's own verdict decides pass/fail). */
const TOL = { atol: 1e-8, rtol: 1e-6 };

type Cell = unknown;

/** A number (or the excerpt's string forms "NaN", "… 3 more") as short text. */
export function cellText(x: Cell): string {
  if (typeof x === 'number') {
    if (Number.isInteger(x)) return String(x);
    const s = Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4);
    return s.replace(/\.?0+$/, '') || '0';
  }
  if (x === null || x === undefined) return '—';
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) return `[${x.map(cellText).join(', ')}]`;
  return JSON.stringify(x);
}

const num = (x: Cell): number | null => (typeof x === 'number' ? x : x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : null);

/** True when two cells differ beyond the display tolerance (or in kind). */
export function differs(a: Cell, e: Cell): boolean {
  const x = num(a);
  const y = num(e);
  if (x === null || y === null) return JSON.stringify(a) !== JSON.stringify(e);
  if (Number.isNaN(x) || Number.isNaN(y)) return !(Number.isNaN(x) && Number.isNaN(y));
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x !== y;
  return Math.abs(x - y) > TOL.atol + TOL.rtol * Math.abs(y);
}

const isMatrix = (x: unknown): x is Cell[][] => Array.isArray(x) && x.length > 0 && x.every((r) => Array.isArray(r) && r.every((c) => !Array.isArray(c)));
const isVector = (x: unknown): x is Cell[] => Array.isArray(x) && x.every((c) => !Array.isArray(c));

/** True when `m` looks like attention weights: a matrix of numbers in [0, 1] whose full rows sum to 1. */
export function isWeightMatrix(m: unknown): m is Cell[][] {
  if (!isMatrix(m)) return false;
  // At least one full row must sum to 1 (a mask of zeros is not a weight matrix).
  const someRowSumsToOne = m.some((row) => row.every((c) => typeof c === 'number') && Math.abs((row as number[]).reduce((a, b) => a + b, 0) - 1) < 1e-3);
  return someRowSumsToOne && m.every((row) => {
    const nums = row.filter((c): c is number => typeof c === 'number');
    if (nums.length + row.filter((c) => typeof c === 'string' && c.startsWith('…')).length !== row.length) return false;
    if (!nums.every((c) => c >= -1e-9 && c <= 1 + 1e-9)) return false;
    if (nums.length < row.length) return true; // a cut row cannot be summed
    const s = nums.reduce((a, b) => a + b, 0);
    return Math.abs(s - 1) < 1e-3 || Math.abs(s) < 1e-9;
  });
}

/** A table of a matrix (or a vector as one row); `other` marks differing cells, `worst` the worst one. */
export function matrixTable(m: Cell[][] | Cell[], caption: string, other?: unknown, worst?: number[] | null, leaks: number[][] = []): HTMLTableElement {
  const rows: Cell[][] = isMatrix(m) ? m : [m as Cell[]];
  const otherRows: Cell[][] | null = other === undefined ? null : isMatrix(other) ? other : isVector(other) ? [other] : null;
  const vec = !isMatrix(m);
  const t = el('table', 'amm-tensor');
  t.append(el('caption', undefined, caption));
  const leakSet = new Set(leaks.map((i) => i.join(',')));
  rows.forEach((row, i) => {
    const tr = el('tr');
    tr.append(el('th', undefined, vec ? '' : String(i)));
    (row as Cell[]).forEach((c, j) => {
      const td = el('td', undefined, cellText(c));
      const idx = vec ? [j] : [i, j];
      const o = otherRows?.[vec ? 0 : i]?.[j];
      // An excerpt's "… n more" marker is not a value; NaN and ±Infinity (also strings here) are.
      const marker = typeof c === 'string' && num(c) === null;
      if (otherRows && !marker && (o === undefined || differs(c, o))) td.classList.add('is-diff');
      if (worst && worst.join(',') === idx.join(',')) {
        td.classList.add('is-worst');
        td.title = 'largest difference';
      }
      if (leakSet.has(idx.join(','))) td.classList.add('is-leak');
      tr.append(td);
    });
    t.append(tr);
  });
  return t;
}

/** A heatmap of attention weights (0 → background, 1 → accent) with the numbers as labels. */
export function heatmap(m: number[][] | Cell[][], caption: string, other?: unknown): HTMLElement {
  const fig = el('figure', 'amm-heatmap');
  const grid = el('div', 'amm-heatmap__grid');
  const cols = Math.max(...m.map((r) => r.length));
  grid.style.gridTemplateColumns = `repeat(${cols}, minmax(1.6rem, 2.6rem))`;
  grid.setAttribute('role', 'img');
  grid.setAttribute('aria-label', `${caption}: ${m.map((r, i) => `row ${i}: ${r.map(cellText).join(', ')}`).join('; ')}`);
  const o = isMatrix(other) ? other : null;
  m.forEach((row, i) =>
    row.forEach((c, j) => {
      const x = num(c);
      const cell = el('span', 'amm-heatmap__cell', cellText(c));
      const v = x === null || !Number.isFinite(x) ? 0 : Math.max(0, Math.min(1, x));
      cell.style.setProperty('--w', String(v));
      if (o && o[i] && differs(c, o[i][j])) cell.classList.add('is-diff');
      grid.append(cell);
    }),
  );
  fig.append(grid, el('figcaption', undefined, caption));
  return fig;
}

/** Renders any excerpt: number, vector, matrix, higher-rank arrays (as labelled matrices), or an object of them. */
export function renderValue(x: unknown, caption: string, other?: unknown, worst?: number[] | null, leaks: number[][] = []): HTMLElement {
  if (isMatrix(x) || (isVector(x) && x.length > 0)) return matrixTable(x, caption, other, worst, leaks);
  if (Array.isArray(x) && x.length > 0) {
    // Rank ≥ 3: one table per leading index.
    const box = el('div', 'amm-tensor-stack');
    box.append(el('p', 'amm-tensor-stack__caption', caption));
    x.forEach((sub, k) => {
      const inner = worst && worst[0] === k ? worst.slice(1) : null;
      const subLeaks = leaks.filter((l) => l[0] === k).map((l) => l.slice(1));
      box.append(renderValue(sub, `[${k}]`, Array.isArray(other) ? other[k] : undefined, inner, subLeaks));
    });
    return box;
  }
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    const t = el('table', 'amm-tensor amm-tensor--fields');
    t.append(el('caption', undefined, caption));
    for (const [k, v] of Object.entries(x)) {
      const tr = el('tr');
      tr.append(el('th', undefined, k));
      const td = el('td', undefined, cellText(v));
      const o = other && typeof other === 'object' ? (other as Record<string, unknown>)[k] : undefined;
      if (other !== undefined && JSON.stringify(o) !== JSON.stringify(v)) td.classList.add('is-diff');
      tr.append(td);
      t.append(tr);
    }
    return t;
  }
  const p = el('p', 'amm-tensor-scalar');
  p.append(el('span', undefined, `${caption}: `), el('code', undefined, cellText(x)));
  return p;
}
