// The KV cache for autoregressive decoding, its memory size, and a cost model of prefill vs decode.
import { attention, type AttentionResult } from './attention';
import { fail, formatShape } from './errors';
import type { AttentionOptions } from './plan';
import type { Tensor } from './tensor';
import { checkCount, checkTensor } from './validate';

/** Concatenates a and b (both (B, Hkv, T, width)) along the sequence axis. */
function concatSeq(a: Tensor, b: Tensor): Tensor {
  const [B, Hkv, Ta, w] = a.shape;
  const Tb = b.shape[2];
  const data = new Float64Array(B * Hkv * (Ta + Tb) * w); // (B, Hkv, Ta + Tb, w)
  for (let r = 0; r < B * Hkv; r++) {
    data.set(a.data.subarray(r * Ta * w, (r + 1) * Ta * w), r * (Ta + Tb) * w);
    data.set(b.data.subarray(r * Tb * w, (r + 1) * Tb * w), (r * (Ta + Tb) + Ta) * w);
  }
  return { shape: [B, Hkv, Ta + Tb, w], data };
}

/** Keys (B, Hkv, T, D) and values (B, Hkv, T, Dv) of every position processed so far. */
export class KVCache {
  private k?: Tensor;
  private v?: Tensor;

  /** Cached keys (B, Hkv, length, D); throws before the first prefill or append. */
  get key(): Tensor {
    if (!this.k) fail('KVCache', 'the cache is empty; call prefill(k, v) or append(k, v) first');
    return this.k;
  }

  /** Cached values (B, Hkv, length, Dv); throws before the first prefill or append. */
  get value(): Tensor {
    if (!this.v) fail('KVCache', 'the cache is empty; call prefill(k, v) or append(k, v) first');
    return this.v;
  }

  /** Number of cached positions. */
  get length(): number {
    return this.k ? this.k.shape[2] : 0;
  }

  /** Replaces the cache with the prompt's keys and values. */
  prefill(k: Tensor, v: Tensor): void {
    this.check('prefill', k, v);
    this.k = { shape: [...k.shape], data: k.data.slice() };
    this.v = { shape: [...v.shape], data: v.data.slice() };
  }

  /** Appends new positions (usually one per decode step) after the cached ones. */
  append(k: Tensor, v: Tensor): void {
    if (!this.k || !this.v) return this.prefill(k, v);
    this.check('append', k, v);
    this.k = concatSeq(this.k, k);
    this.v = concatSeq(this.v, v);
  }

  private check(fn: string, k: Tensor, v: Tensor): void {
    const name = `KVCache.${fn}`;
    checkTensor(name, 'k', k, 4, '(B, Hkv, T, D)');
    checkTensor(name, 'v', v, 4, '(B, Hkv, T, Dv)');
    const [B, Hkv, T] = k.shape;
    if (v.shape[0] !== B || v.shape[1] !== Hkv || v.shape[2] !== T) {
      fail(name, `v must match k in (B, Hkv, T) (k ${formatShape(k.shape)}, v ${formatShape(v.shape)})`);
    }
    if (this.k && this.v && fn === 'append') {
      const same = (a: Tensor, b: Tensor) => a.shape[0] === b.shape[0] && a.shape[1] === b.shape[1] && a.shape[3] === b.shape[3];
      if (!same(k, this.k)) fail(name, `k ${formatShape(k.shape)} does not match the cached keys ${formatShape(this.k.shape)} in B, Hkv or D`);
      if (!same(v, this.v)) fail(name, `v ${formatShape(v.shape)} does not match the cached values ${formatShape(this.v.shape)} in B, Hkv or Dv`);
    }
  }
}

/** An empty KV cache. */
export function createKVCache(): KVCache {
  return new KVCache();
}

/**
 * One decode step: attends q (B, H, Tq, D) to the cache plus kNew/vNew with bottom-right causal alignment
 * (causal defaults to true), then appends kNew/vNew to the cache. Equals the matching rows of full causal
 * attention over the whole sequence.
 */
export function decodeStep(
  q: Tensor,
  kNew: Tensor,
  vNew: Tensor,
  cache: KVCache,
  options: Omit<AttentionOptions, 'pastKey' | 'pastValue'> = {},
): AttentionResult {
  const past = cache.length > 0 ? { pastKey: cache.key, pastValue: cache.value } : {};
  const result = attention(q, kNew, vNew, { causal: true, ...options, ...past });
  cache.append(kNew, vNew);
  return result;
}

/** Sizes for `kvCacheBytes`. */
export interface KVCacheSize {
  layers: number;
  batch: number;
  seqLen: number;
  kvHeads: number;
  headDim: number;
  bytesPerElement: number;
}

/** KV-cache bytes = 2 (K and V) · layers · batch · seqLen · kvHeads · headDim · bytesPerElement. */
export function kvCacheBytes(s: KVCacheSize): number {
  for (const key of ['layers', 'batch', 'seqLen', 'kvHeads', 'headDim'] as const) checkCount('kvCacheBytes', key, s[key]);
  if (!(s.bytesPerElement > 0)) fail('kvCacheBytes', `bytesPerElement must be positive, got ${s.bytesPerElement}`);
  return 2 * s.layers * s.batch * s.seqLen * s.kvHeads * s.headDim * s.bytesPerElement;
}

/** Inputs of `attentionCost`. */
export interface AttentionCostInput {
  /** 'prefill': the whole prompt at once; 'decode': one new token at position seqLen. */
  phase: 'prefill' | 'decode';
  batch: number;
  /** Query heads h. */
  heads: number;
  /** Key/value heads h_kv (h for MHA, 1 for MQA). */
  kvHeads: number;
  /** Prompt length (prefill) or number of tokens in context including the new one (decode). */
  seqLen: number;
  /** d_h. */
  headDim: number;
  /** Defaults to 1. */
  layers?: number;
  bytesPerElement: number;
  /** Whether past keys/values are kept (written at prefill, read at decode). */
  cache: boolean;
}

/** FLOPs and bytes of the attention core (QKᵀ and AV only, projections and MLP excluded). */
export interface AttentionCost {
  flops: number;
  bytesRead: number;
  bytesWritten: number;
  /** flops / (bytesRead + bytesWritten). */
  arithmeticIntensity: number;
}

/**
 * Cost model of the attention core for an IO-aware kernel (scores never leave fast memory), with
 * L = layers, b = bytesPerElement, T = seqLen, d = headDim, h, h_kv, B = batch:
 * - prefill: flops 4·B·h·T²·d·L (2·T²·d for QKᵀ and for AV, causal half not subtracted);
 *   reads Q, K, V = B·L·T·d·(h + 2h_kv)·b; writes O = B·L·T·h·d·b, plus the cache 2·B·L·T·h_kv·d·b if `cache`.
 * - decode with cache: flops 4·B·h·T·d·L; reads q and the whole cache B·L·d·(h + 2·h_kv·T)·b;
 *   writes o and the new k, v: B·L·d·(h + 2h_kv)·b.
 * - decode without cache: every step reruns prefill over all T tokens (earlier layers need every
 *   position's output to rebuild the next layer's K and V), so it costs exactly a prefill of T tokens.
 */
export function attentionCost(c: AttentionCostInput): AttentionCost {
  const fn = 'attentionCost';
  const L = c.layers ?? 1;
  for (const [name, x] of [['batch', c.batch], ['heads', c.heads], ['kvHeads', c.kvHeads], ['seqLen', c.seqLen], ['headDim', c.headDim], ['layers', L]] as const) {
    checkCount(fn, name, x, 1);
  }
  if (c.heads % c.kvHeads !== 0) fail(fn, `heads=${c.heads} is not a multiple of kvHeads=${c.kvHeads}`);
  if (!(c.bytesPerElement > 0)) fail(fn, `bytesPerElement must be positive, got ${c.bytesPerElement}`);
  if (c.phase !== 'prefill' && c.phase !== 'decode') fail(fn, `phase must be 'prefill' or 'decode', got ${String(c.phase)}`);
  const { batch: B, heads: h, kvHeads: hkv, seqLen: T, headDim: d, bytesPerElement: b } = c;
  let flops: number;
  let bytesRead: number;
  let bytesWritten: number;
  if (c.phase === 'decode' && c.cache) {
    flops = 4 * B * h * T * d * L;
    bytesRead = B * L * d * (h + 2 * hkv * T) * b;
    bytesWritten = B * L * d * (h + 2 * hkv) * b;
  } else {
    flops = 4 * B * h * T * T * d * L;
    bytesRead = B * L * T * d * (h + 2 * hkv) * b;
    bytesWritten = B * L * T * h * d * b + (c.phase === 'prefill' && c.cache ? 2 * B * L * T * hkv * d * b : 0);
  }
  return { flops, bytesRead, bytesWritten, arithmeticIntensity: flops / (bytesRead + bytesWritten) };
}
