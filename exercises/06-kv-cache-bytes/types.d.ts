// Types for exercise 06 (global, loaded next to learner.d.ts).

/** Storage formats of the cache: 32-bit float, 16-bit floats (IEEE half and bfloat16), 8-bit float and 8-bit integer. */
type CacheDtype = 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'int8';

/** The sizes that decide how much memory a KV cache takes. */
interface KVCacheSpec {
  /** Transformer layers; each has its own cache. */
  layers: number;
  /** Sequences decoded together, B. */
  batch: number;
  /** Tokens cached per sequence, T. */
  seqLen: number;
  /** Query heads H. */
  heads: number;
  /** Key/value heads H_kv: H for MHA, fewer for GQA, 1 for MQA. */
  kvHeads: number;
  /** Width of one head, d_h. */
  headDim: number;
  /** How each cached number is stored. */
  dtype: CacheDtype;
}
