// Public entry of the reference attention engine. Pure TypeScript: no DOM, no Node, no dependencies.

/** Tensor type and constructors/conversions. */
export { tensor, zeros, fromNested, toNested, reshape, sizeOf, type Tensor, type Nested } from './tensor';
/** Seeded, platform-independent random numbers. */
export { createRng, randomTensor, type Rng } from './rng';
/** Stable row softmax. */
export { softmax } from './softmax';
/** `number[][]` helpers for the teaching forms. */
export { matmul, transpose } from './matrix';
/** Naive reference attention and its one-head teaching form. */
export { attention, attention2d, type AttentionResult, type Attention2dOptions, type Attention2dResult } from './attention';
/** Options shared by every attention kernel. */
export type { AttentionOptions } from './plan';
/** Keep-mask builders. */
export {
  causalMask, paddingMask, segmentMask, promptBoundaryMask, defaultPromptBoundaryRules, slidingWindowMask,
  combineMasks, maskToBias, type Role, type PromptBoundaryRules,
} from './masks';
/** Multi-head layer pieces. */
export { linear, splitHeads, mergeHeads, multiHeadAttention, type MultiHeadInput, type MultiHeadResult } from './multihead';
/** KV cache, decoding and cost model. */
export {
  KVCache, createKVCache, decodeStep, kvCacheBytes, attentionCost, tiledOnChipBytes, largestTile,
  type KVCacheSize, type AttentionCostInput, type AttentionCost, type AttentionKernel,
} from './kvcache';
/** ALiBi and RoPE. */
export { alibiSlopes, alibiBias, ropeFrequencies, applyRope } from './positional';
/** Entropy and leakage diagnostics. */
export { rowEntropy, headEntropy, leakageProbe, type LeakageProbeOptions, type LeakageReport } from './diagnostics';
/** Tiled exact attention (FlashAttention with online softmax). */
export { flashAttention, type FlashOptions, type FlashResult, type FlashStep } from './flash';
/** Error-message shape formatting, `(1,8,16,64)`. */
export { formatShape } from './errors';
/** Version of the engine's numbers and API, recorded by the graders with their results. */
export const ENGINE_VERSION = '1.0.0';
