// The course's trained transformer: weights, forward pass on the reference engine, and measurements.
/** The copy task and the vocabulary. */
export { VOCAB, TRAIN_TASK, HELD_OUT_SEED, copyTaskFor, copySequence, copyPositions, copyBatch, encode, decode, type CopySequence, type CopyTaskSpec } from './data';
/** The weight file format and its loader. */
export { loadWeights, tensorNames, type ModelWeights, type ModelManifest, type WeightFile, type LayerWeights } from './weights';
/** Float64 forward pass, full and with the KV cache. */
export { forward, forwardPathAblated, decodeWithCache, argmaxAt, probabilitiesAt, type HeadId, type ForwardOptions, type ForwardResult, type DecodeResult, type PathInput } from './forward';
/** Copy accuracy, head scores, ablation. */
export { evaluate, compositionScores, classify, ablationTable, parameterCount, HEAD_CLASS_THRESHOLD, type HeadScores, type ModelEvaluation, type ScoredHead, type PathAblation } from './analysis';
