// Shapes of a multi-head (GQA/MQA) layer, step by step, shared by the build-time render and the client.
import { kvCacheBytes } from '../../engine';

export interface TracerConfig {
  B: number;
  T: number;
  dModel: number;
  h: number;
  hKv: number;
  layers: number;
  bytesPerElement: number;
}

export interface TraceStep {
  id: string;
  what: string;
  op: string;
  shape: number[];
}

/** A message explaining what is wrong with the configuration, or null when it is valid. */
export function validateConfig(c: TracerConfig): string | null {
  for (const [k, label] of [['B', 'B'], ['T', 'T'], ['dModel', 'd_model'], ['h', 'H'], ['hKv', 'H_kv'], ['layers', 'layers']] as const) {
    const v = c[k];
    if (!Number.isInteger(v) || v < 1) return `${label} must be a whole number ≥ 1.`;
  }
  if (c.dModel % c.h !== 0) return `H = ${c.h} does not divide d_model = ${c.dModel}: the head width d_h = d_model / H would not be a whole number.`;
  if (c.h % c.hKv !== 0) return `H_kv = ${c.hKv} does not divide H = ${c.h}: the query heads cannot be split into equal groups.`;
  return null;
}

/** Every reshape, transpose, product and projection of the layer with its output shape. */
export function traceShapes(c: TracerConfig): TraceStep[] {
  const { B, T, dModel, h, hKv } = c;
  const dh = dModel / h;
  return [
    { id: 'x', what: 'X', op: 'input hidden states', shape: [B, T, dModel] },
    { id: 'q-proj', what: 'Q = X W_Q', op: `W_Q is (${dModel}, ${h * dh})`, shape: [B, T, h * dh] },
    { id: 'kv-proj', what: 'K = X W_K, V = X W_V', op: `W_K, W_V are (${dModel}, ${hKv * dh})`, shape: [B, T, hKv * dh] },
    { id: 'q-reshape', what: 'reshape Q', op: 'cut each token row into H pieces of d_h', shape: [B, T, h, dh] },
    { id: 'q-split', what: 'transpose Q (axes 1, 2)', op: 'heads before tokens', shape: [B, h, T, dh] },
    { id: 'kv-split', what: 'reshape + transpose K, V', op: `H_kv = ${hKv} heads`, shape: [B, hKv, T, dh] },
    { id: 'scores', what: 'S = Q Kᵀ / √d_h (+ M)', op: `query head h reads kv head ⌊h / ${h / hKv}⌋`, shape: [B, h, T, T] },
    { id: 'weights', what: 'A = softmax over keys', op: 'rows sum to 1', shape: [B, h, T, T] },
    { id: 'heads', what: 'per-head O = A V', op: 'one output per query head', shape: [B, h, T, dh] },
    { id: 'merge-transpose', what: 'transpose back', op: 'tokens before heads', shape: [B, T, h, dh] },
    { id: 'concat', what: 'reshape (concat heads)', op: 'h·d_h features per token', shape: [B, T, h * dh] },
    { id: 'output', what: 'output = concat · W_O', op: `W_O is (${h * dh}, ${dModel})`, shape: [B, T, dModel] },
  ];
}

export function cacheSizes(c: TracerConfig): { bytes: number; mhaBytes: number; factor: number; dh: number } {
  const dh = c.dModel / c.h;
  const base = { layers: c.layers, batch: c.B, seqLen: c.T, headDim: dh, bytesPerElement: c.bytesPerElement };
  return { bytes: kvCacheBytes({ ...base, kvHeads: c.hKv }), mhaBytes: kvCacheBytes({ ...base, kvHeads: c.h }), factor: c.h / c.hKv, dh };
}

export const formatShape = (s: number[]) => `(${s.join(', ')})`;
