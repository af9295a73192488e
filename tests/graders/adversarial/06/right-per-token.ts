// Right: written from the statement alone: bytes per token first, the dtype width from a table of bit widths.

const BITS: Record<CacheDtype, number> = { fp32: 32, fp16: 16, bf16: 16, fp8: 8, int8: 8 };

function bytesPerToken(s: KVCacheSpec): number {
  return 2 * s.layers * s.batch * s.kvHeads * s.headDim * (BITS[s.dtype] / 8);
}

export function cacheShape(spec: KVCacheSpec): Shape4 {
  const { batch, kvHeads, seqLen, headDim } = spec;
  return [batch, kvHeads, seqLen, headDim];
}

export function kvCacheBytes(spec: KVCacheSpec): number {
  return bytesPerToken(spec) * spec.seqLen;
}

export function maxSeqLen(spec: KVCacheSpec, budgetBytes: number): number {
  const per = bytesPerToken(spec);
  let T = Math.floor(budgetBytes / per);
  while (T > 0 && T * per > budgetBytes) T--; // guard against rounding up in the division
  return T;
}
