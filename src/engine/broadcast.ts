// numpy-style right-aligned broadcasting, used for masks and biases.
import { fail, formatShape } from './errors';

/**
 * Strides for reading `shape` as if it had the shape `target` (right-aligned; size-1 axes get
 * stride 0). Throws, naming `name` and `targetLabel`, when it is not broadcastable.
 */
export function broadcastStrides(
  fn: string,
  name: string,
  shape: readonly number[],
  target: readonly number[],
  targetLabel: string,
): number[] {
  const bad = () =>
    fail(fn, `${name} shape ${formatShape(shape)} is not broadcastable to ${targetLabel} ${formatShape(target)}`);
  if (shape.length > target.length) bad();
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let a = shape.length - 1, t = target.length - 1; a >= 0; a--, t--) {
    if (shape[a] !== 1 && shape[a] !== target[t]) bad();
    strides[t] = shape[a] === 1 ? 0 : stride;
    stride *= shape[a];
  }
  return strides;
}

/** The broadcast shape of several shapes, or an error naming them all. */
export function broadcastShapes(fn: string, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let a = s.length - 1, t = rank - 1; a >= 0; a--, t--) {
      if (s[a] === out[t] || s[a] === 1) continue;
      if (out[t] !== 1) fail(fn, `shapes ${shapes.map(formatShape).join(', ')} do not broadcast together`);
      out[t] = s[a];
    }
  }
  return out;
}
