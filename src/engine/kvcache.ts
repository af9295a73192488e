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

/**
 * How the attention core moves data between main memory (HBM) and on-chip memory, for `attentionCost`.
 * - `minimal`: every tensor crosses main memory once (Q, K, V read, O written) — the least any kernel can move;
 *   reachable only when on-chip memory holds a whole head's K and V.
 * - `standard`: separate kernels that write S, read it back for the softmax, write A, and read it back for AV.
 * - `tiled`: FlashAttention-style loops. A query tile of `blockQ` rows (positions × the query heads that share one
 *   K/V head) stays on chip while K and V stream past in tiles of `blockK` rows, so K and V are read once per query
 *   tile. The tiles, the running output and the per-row statistics must fit in `onChipBytes` (M).
 */
export type AttentionKernel =
  | { kind: 'minimal' }
  | { kind: 'standard' }
  | { kind: 'tiled'; onChipBytes: number; blockQ: number; blockK: number };

/** Inputs of `attentionCost`. */
export interface AttentionCostInput {
  /** 'prefill': the whole prompt at once; 'decode': one new token at position seqLen. */
  phase: 'prefill' | 'decode';
  batch: number;
  /** Query heads H. */
  heads: number;
  /** Key/value heads H_kv (H for MHA, 1 for MQA). */
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
  /** How the kernel moves data; defaults to `minimal`. */
  kernel?: AttentionKernel;
}

/** FLOPs and bytes of the attention core (QKᵀ and AV only, projections and MLP excluded). */
export interface AttentionCost {
  flops: number;
  bytesRead: number;
  bytesWritten: number;
  /** flops / (bytesRead + bytesWritten). */
  arithmeticIntensity: number;
  /** How many times each K/V head is read from main memory (1 unless the kernel is tiled with several query tiles). */
  kvPasses: number;
}

/** On-chip bytes a tiled kernel needs: query tile and running output (2·B_q·d_h), K and V tiles (2·B_k·d_h), the score tile (B_q·B_k) and the row statistics m, ℓ (2·B_q). */
export function tiledOnChipBytes(blockQ: number, blockK: number, headDim: number, bytesPerElement: number): number {
  return (2 * blockQ * headDim + 2 * blockK * headDim + blockQ * blockK + 2 * blockQ) * bytesPerElement;
}

/** The largest square tile (B_q = B_k, a multiple of `multiple`, as tensor cores want) whose working set fits in onChipBytes; 0 if none fits. */
export function largestTile(onChipBytes: number, headDim: number, bytesPerElement: number, multiple = 16): number {
  let b = 0;
  for (let t = multiple; tiledOnChipBytes(t, t, headDim, bytesPerElement) <= onChipBytes; t += multiple) b = t;
  return b;
}

function checkKernel(fn: string, k: AttentionKernel, d: number, b: number): void {
  if (k.kind === 'minimal' || k.kind === 'standard') return;
  if (k.kind !== 'tiled') fail(fn, `kernel.kind must be 'minimal', 'standard' or 'tiled', got ${String((k as { kind: unknown }).kind)}`);
  checkCount(fn, 'kernel.blockQ', k.blockQ, 1);
  checkCount(fn, 'kernel.blockK', k.blockK, 1);
  if (!(k.onChipBytes > 0)) fail(fn, `kernel.onChipBytes must be positive, got ${k.onChipBytes}`);
  const need = tiledOnChipBytes(k.blockQ, k.blockK, d, b);
  if (need > k.onChipBytes) {
    fail(fn, `tiles ${k.blockQ}×${k.blockK} with d_h=${d} need ${need} bytes on chip, more than kernel.onChipBytes=${k.onChipBytes}`);
  }
}

/**
 * Cost model of the attention core, with L = layers, b = bytesPerElement, B = batch, H, H_kv, d = headDim,
 * T_q query rows (T at prefill, 1 at decode with a cache) and T_k keys (T):
 * - flops 4·B·H·T_q·T_k·d·L (2·T_q·T_k·d for QKᵀ and for AV; the causal half is not subtracted).
 * - reads Q once (B·L·H·T_q·d·b) and K, V `kvPasses` times (2·B·L·H_kv·T_k·d·b each pass); writes O once
 *   (B·L·H·T_q·d·b), plus the new keys and values if `cache` (all T at prefill, one position at decode).
 * - kvPasses is 1, except for a tiled kernel: ⌈T_q·(H/H_kv) / blockQ⌉, one pass per query tile. With the largest
 *   tile that fits, blockQ = Θ(M/d), which gives the Θ(T²d²/M) main-memory traffic of FlashAttention.
 * - a standard kernel also writes S and A and reads both back: 4·B·L·H·T_q·T_k·b more bytes, Θ(Td + T²).
 * - decode without a cache reruns prefill over all T tokens (earlier layers need every position's output to
 *   rebuild the next layer's K and V), so it costs exactly a prefill of T tokens.
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
  const kernel = c.kernel ?? { kind: 'minimal' };
  checkKernel(fn, kernel, c.headDim, c.bytesPerElement);
  const { batch: B, heads: h, kvHeads: hkv, seqLen: T, headDim: d, bytesPerElement: b } = c;
  const step = c.phase === 'decode' && c.cache;
  const Tq = step ? 1 : T;
  const Tk = T;
  const kvPasses = kernel.kind === 'tiled' ? Math.ceil((Tq * (h / hkv)) / kernel.blockQ) : 1;
  const flops = 4 * B * h * Tq * Tk * d * L;
  const matrices = kernel.kind === 'standard' ? 2 * B * L * h * Tq * Tk * b : 0; // S and A, each written once and read once
  const bytesRead = B * L * d * b * (h * Tq + 2 * hkv * Tk * kvPasses) + matrices;
  const newKV = !c.cache ? 0 : step ? 2 * B * L * hkv * d * b : c.phase === 'prefill' ? 2 * B * L * T * hkv * d * b : 0;
  const bytesWritten = B * L * h * Tq * d * b + newKV + matrices;
  return { flops, bytesRead, bytesWritten, arithmeticIntensity: flops / (bytesRead + bytesWritten), kvPasses };
}
