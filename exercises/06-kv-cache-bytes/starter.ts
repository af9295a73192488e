// Exercise 06 — KV-cache bytes for MHA, GQA and MQA. Fill in the three functions; the grader calls them.

/** Part (a): the shape of the cached keys of one layer, as a 4-tuple. */
export function cacheShape(spec: KVCacheSpec): Shape4 {
  throw new Error('Implement cacheShape() — see part (a)');
}

/** Part (b): bytes of the whole cache: K and V, for every layer. */
export function kvCacheBytes(spec: KVCacheSpec): number {
  throw new Error('Implement kvCacheBytes() — see part (b)');
}

/** Part (b): the largest T whose cache fits in budgetBytes (spec.seqLen is ignored). */
export function maxSeqLen(spec: KVCacheSpec, budgetBytes: number): number {
  throw new Error('Implement maxSeqLen() — see part (b)');
}
