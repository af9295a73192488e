// Types for exercise 08 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 08: tensor shapes of prefill and of one decode step in a batched layer. */
interface DecodePhaseShapes {
  /** Prefill scores over a P-token prompt, (B, H, P, P). */
  prefillScores: Shape4;
  /** The query of one decode step, (B, H, 1, d_h). */
  stepQuery: Shape4;
  /** The step's scores against the cache plus the new key, (B, H, 1, P + 1). */
  stepScores: Shape4;
  /** The step's output, (B, H, 1, d_h). */
  stepOutput: Shape4;
  /** Cached keys after the step, (B, H_kv, P + 1, d_h). */
  cacheKeys: Shape4;
}

/** The sizes the attention cost model needs (the engine's `attentionCost` without `phase`). */
interface PhaseCostInput {
  batch: number;
  /** Query heads H. */
  heads: number;
  /** Key/value heads H_kv (H for MHA, 1 for MQA). */
  kvHeads: number;
  /** Prefill: the prompt length T. Decode: tokens in context including the new one. */
  seqLen: number;
  /** d_h. */
  headDim: number;
  /** L. */
  layers: number;
  /** b: 2 for fp16/bf16, 4 for fp32. */
  bytesPerElement: number;
  /** Prefill: whether K and V are written to a cache. Decode: whether a cache is used at all. */
  cache: boolean;
}

/** FLOPs and bytes of the attention core for one phase. */
interface PhaseCost {
  flops: number;
  bytesRead: number;
  bytesWritten: number;
  /** flops / (bytesRead + bytesWritten), in FLOP per byte. */
  arithmeticIntensity: number;
}

/** The KV cache of one head: row t of `keys` and of `values` belongs to position t. */
interface DecodeCache {
  keys: Matrix;
  values: Matrix;
}

/** What one decode step returns. */
interface DecodeStepOutput {
  /** The new token's attention output, length d_v. */
  output: Vector;
  /** The cache after the step (one row longer). */
  cache: DecodeCache;
}
