// Numerically stable softmax: subtract the row maximum so exp never overflows.

/** Softmax of one row, max-subtracted; a row of only −∞ (fully masked) gives all zeros, never NaN. */
export function softmax(row: readonly number[]): number[] {
  const buf = Float64Array.from(row);
  softmaxInPlace(buf, 0, buf.length);
  return Array.from(buf);
}

/** Softmax of `buf[offset .. offset+n)` in place, with the same −∞ rule as `softmax`. */
export function softmaxInPlace(buf: Float64Array, offset: number, n: number): void {
  let max = -Infinity;
  for (let j = offset; j < offset + n; j++) if (buf[j] > max) max = buf[j];
  if (max === -Infinity) {
    // Every key is hidden: there is nothing to attend to, so the weights are 0 (exp(−∞−(−∞)) would be NaN).
    buf.fill(0, offset, offset + n);
    return;
  }
  let sum = 0;
  for (let j = offset; j < offset + n; j++) {
    const e = Math.exp(buf[j] - max);
    buf[j] = e;
    sum += e;
  }
  for (let j = offset; j < offset + n; j++) buf[j] /= sum;
}
