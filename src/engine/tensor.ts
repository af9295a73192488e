// Dense row-major tensors: the one data type every engine function takes and returns.
import { fail, formatShape } from './errors';

/** A dense row-major tensor of float64 values; `data.length` equals the product of `shape`. */
export interface Tensor {
  shape: number[];
  data: Float64Array;
}

/** A nested array of numbers such as `[[1, 2], [3, 4]]` (a bare number is a 0-d tensor). */
export type Nested = number | Nested[];

/** Number of elements of a tensor with this shape (1 for the empty shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Builds a tensor from a shape and flat row-major data; a Float64Array is used as is, not copied. */
export function tensor(shape: readonly number[], data: ArrayLike<number>): Tensor {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) fail('tensor', `shape ${formatShape(shape)} has a dimension that is not a non-negative integer`);
  }
  const n = sizeOf(shape);
  if (data.length !== n) {
    fail('tensor', `data has length ${data.length} but shape ${formatShape(shape)} needs ${n}`);
  }
  return { shape: [...shape], data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

/** A tensor of the given shape filled with zeros. */
export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape, new Float64Array(sizeOf(shape)));
}

/** Builds a tensor from nested arrays, e.g. `fromNested([[1, 2], [3, 4]])` has shape (2,2); ragged input throws. */
export function fromNested(nested: Nested): Tensor {
  const shape: number[] = [];
  for (let level: Nested = nested; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const data = new Float64Array(sizeOf(shape));
  let at = 0;
  const walk = (node: Nested, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') fail('fromNested', `element ${path} is nested deeper than the first element (shape ${formatShape(shape)})`);
      data[at++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      const got = Array.isArray(node) ? `length ${node.length}` : 'a number';
      fail('fromNested', `ragged input: element ${path} has ${got} but expected length ${shape[depth]} (shape ${formatShape(shape)})`);
    }
    node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(nested, 0, 'root');
  return { shape, data };
}

/** Converts a tensor back to nested arrays (a 0-d tensor becomes a number). */
export function toNested(t: Tensor): Nested {
  let at = 0;
  const build = (depth: number): Nested => {
    if (depth === t.shape.length) return t.data[at++];
    const out: Nested[] = [];
    for (let i = 0; i < t.shape[depth]; i++) out.push(build(depth + 1));
    return out;
  };
  return build(0);
}

/** Same data viewed with a new shape of equal size (no copy). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== t.data.length) {
    fail('reshape', `cannot reshape ${formatShape(t.shape)} (${t.data.length} elements) to ${formatShape(shape)}`);
  }
  return { shape: [...shape], data: t.data };
}
