// Shared helpers for the engine tests.
import { expect } from 'vitest';
import type { Tensor } from '../../src/engine/index.ts';

/** Largest |a − b| over two equally sized tensors (−∞ equal to −∞ counts as 0). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y));
  }
  return worst;
}

/** Asserts two tensors have the same shape and agree within `tol`. */
export function expectClose(a: Tensor, b: Tensor, tol = 1e-12): void {
  expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(tol);
}

/** Element (b, h, i, j) of a rank-4 tensor. */
export function at4(t: Tensor, b: number, h: number, i: number, j: number): number {
  const [, H, I, J] = t.shape;
  return t.data[((b * H + h) * I + i) * J + j];
}

/** Rows [i0, i1) of axis 2 of a rank-4 tensor, as a new tensor. */
export function sliceRows(t: Tensor, i0: number, i1: number): Tensor {
  const [B, H, I, J] = t.shape;
  const n = i1 - i0;
  const data = new Float64Array(B * H * n * J);
  for (let bh = 0; bh < B * H; bh++) data.set(t.data.subarray((bh * I + i0) * J, (bh * I + i1) * J), bh * n * J);
  return { shape: [B, H, n, J], data };
}
