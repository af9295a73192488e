// Input checks shared by the attention kernels, mask builders and layers.
import { fail, formatShape } from './errors';
import { sizeOf, type Tensor } from './tensor';

/** Throws unless `t` is a tensor of the given rank whose data length matches its shape. */
export function checkTensor(fn: string, name: string, t: Tensor | undefined, rank?: number, dims?: string): Tensor {
  if (!t || !Array.isArray(t.shape) || !(t.data instanceof Float64Array)) {
    fail(fn, `${name} is not a Tensor ({ shape: number[]; data: Float64Array })`);
  }
  if (t.data.length !== sizeOf(t.shape)) {
    fail(fn, `${name} has data length ${t.data.length} but its shape ${formatShape(t.shape)} needs ${sizeOf(t.shape)}`);
  }
  if (rank !== undefined && t.shape.length !== rank) {
    fail(fn, `${name} must have rank ${rank}${dims ? ` ${dims}` : ''} but has shape ${formatShape(t.shape)}`);
  }
  return t;
}

/** Throws if `t` holds NaN, or ±Infinity unless `allowNegInf` (additive biases may hold −∞). */
export function checkValues(fn: string, name: string, t: Tensor, allowNegInf = false): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    if (x - x !== 0 && !(allowNegInf && x === -Infinity)) {
      fail(fn, `${name} contains ${x} at flat index ${i} (${name} ${formatShape(t.shape)})`);
    }
  }
}

/** Throws unless `x` is a positive finite number. */
export function checkPositive(fn: string, name: string, x: number): void {
  if (!(x > 0 && Number.isFinite(x))) fail(fn, `${name} must be a positive finite number, got ${x}`);
}

/** Throws unless `x` is a non-negative integer. */
export function checkCount(fn: string, name: string, x: number, min = 0): void {
  if (!Number.isInteger(x) || x < min) fail(fn, `${name} must be an integer ≥ ${min}, got ${x}`);
}
