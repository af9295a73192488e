// Mistake 8: underestimating KV-cache memory by counting only one of K and V.
import { createKVCache, randomTensor } from '../../engine';
import { rngFor } from './shared';

export interface CacheConfig {
  layers: number;
  batch: number;
  seqLen: number;
  kvHeads: number;
  headDim: number;
  bytesPerElement: number;
}
export type CacheBytes = (c: CacheConfig) => number;

// #region bug
export const bytesBug: CacheBytes = (c) => {
  return c.layers * c.batch * c.seqLen * c.kvHeads * c.headDim * c.bytesPerElement; // keys only
};
// #endregion

// #region fix
export const bytesFix: CacheBytes = (c) => {
  return 2 * c.layers * c.batch * c.seqLen * c.kvHeads * c.headDim * c.bytesPerElement; // K and V
};
// #endregion

/** Bytes actually held by real caches: one engine KVCache per layer, filled with seqLen positions. */
export function measuredBytes(c: CacheConfig, seed: number): number {
  const rng = rngFor(seed);
  let elements = 0;
  for (let layer = 0; layer < c.layers; layer++) {
    const cache = createKVCache();
    const shape = [c.batch, c.kvHeads, c.seqLen, c.headDim];
    cache.prefill(randomTensor(rng, shape), randomTensor(rng, shape));
    elements += cache.key.data.length + cache.value.data.length;
  }
  return elements * c.bytesPerElement;
}

/** A small random configuration that can be filled for real. */
export function smallConfig(seed: number): CacheConfig {
  const rng = rngFor(seed);
  return { layers: rng.int(1, 4), batch: rng.int(1, 3), seqLen: rng.int(4, 17), kvHeads: rng.int(1, 5), headDim: 8, bytesPerElement: 2 };
}

/** A serving-sized configuration: 32 layers, 8 KV heads of width 128, fp16, a random batch and length. */
export function servingConfig(seed: number): CacheConfig {
  const rng = rngFor(seed + 1);
  return { layers: 32, batch: rng.int(1, 9), seqLen: 1024 * rng.int(2, 33), kvHeads: 8, headDim: 128, bytesPerElement: 2 };
}

// #region test
/** The formula must equal the bytes held by real caches of a small model. */
export function passes(bytes: CacheBytes, seed: number): boolean {
  const c = smallConfig(seed);
  return bytes(c) === measuredBytes(c, seed);
}
// #endregion

/** Symptom: the predicted bytes for a serving-sized configuration. */
export function symptom(bytes: CacheBytes, seed: number): number {
  return bytes(servingConfig(seed));
}
