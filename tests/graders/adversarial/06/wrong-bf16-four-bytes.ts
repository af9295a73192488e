// Wrong: bf16 keeps fp32's exponent range, so it is counted as four bytes like fp32.

/** Bytes of one stored number: the format's bit width divided by 8. */
function bytesPerElement(dtype: CacheDtype): number {
  if (dtype === 'fp32' || dtype === 'bf16') return 4;
  if (dtype === 'fp16') return 2;
  return 1; // fp8, int8
}

/** Part (a): the shape of the cached keys of one layer, (B, h_kv, T, d_h); the values have the same shape. */
export function cacheShape(spec: KVCacheSpec): Shape4 {
  return [spec.batch, spec.kvHeads, spec.seqLen, spec.headDim];
}

/** Part (b): bytes of the whole cache: K and V, for every layer. */
export function kvCacheBytes(spec: KVCacheSpec): number {
  const perLayer = spec.batch * spec.kvHeads * spec.seqLen * spec.headDim; // numbers in K of one layer
  return 2 * spec.layers * perLayer * bytesPerElement(spec.dtype);
}

/** Part (b): the largest T whose cache fits in budgetBytes (spec.seqLen is ignored). */
export function maxSeqLen(spec: KVCacheSpec, budgetBytes: number): number {
  const perToken = 2 * spec.layers * spec.batch * spec.kvHeads * spec.headDim * bytesPerElement(spec.dtype);
  return Math.floor(budgetBytes / perToken);
}
