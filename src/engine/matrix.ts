// Plain `number[][]` matrix helpers for the teaching forms (one head, no batch).
import { fail, formatShape } from './errors';

const dims = (m: readonly (readonly number[])[]): number[] => [m.length, m.length ? m[0].length : 0];

/** Throws unless `m` is a non-ragged matrix; returns its (rows, cols). */
export function checkMatrix(fn: string, name: string, m: readonly (readonly number[])[]): [number, number] {
  if (!Array.isArray(m)) fail(fn, `${name} is not a number[][]`);
  const [r, c] = dims(m);
  m.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== c) {
      fail(fn, `${name} is ragged: row ${i} has length ${Array.isArray(row) ? row.length : 'n/a'} but row 0 has ${c}`);
    }
  });
  return [r, c];
}

/** Matrix product a·b of an (n×k) and a (k×m) matrix. */
export function matmul(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  const [n, k] = checkMatrix('matmul', 'a', a);
  const [k2, m] = checkMatrix('matmul', 'b', b);
  if (k !== k2) fail('matmul', `a has ${k} columns but b has ${k2} rows (a ${formatShape([n, k])}, b ${formatShape([k2, m])})`);
  return a.map((row) => {
    const out = new Array<number>(m).fill(0);
    for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) out[j] += row[p] * b[p][j];
    return out;
  });
}

/** Transpose of an (n×m) matrix. */
export function transpose(a: readonly (readonly number[])[]): number[][] {
  const [n, m] = checkMatrix('transpose', 'a', a);
  return Array.from({ length: m }, (_, j) => Array.from({ length: n }, (_, i) => a[i][j]));
}
