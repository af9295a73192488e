// FlashAttention-style tiled exact attention: online softmax over key blocks, O(blockQ·blockK) scratch.
// Two kernels compute the same float64 arithmetic: a WebAssembly SIMD one (wasm/flash-kernel.ts, used when
// WebAssembly SIMD is available and Dv is a multiple of 4) and a pure-JS one (flat Float64Array scratch,
// 4×2 register blocking), which also serves `trace` and every other shape. `attention()` stays the readable
// reference both are tested against.
import { planAttention, type AttentionOptions, type AttentionPlan } from './plan';
import type { Tensor } from './tensor';
import { fail } from './errors';
import { checkCount } from './validate';
import { createFlashKernel, kernelFits, type FlashKernel, type WasmApi } from './wasm/flash-kernel';
import { createFlashKernelF32, type FlashKernelF32 } from './wasm/flash-kernel-f32';

/** Options of `flashAttention`: the attention options plus tile sizes and tracing. */
export interface FlashOptions extends AttentionOptions {
  /** Query rows per tile (default 64). */
  blockQ?: number;
  /** Key columns per tile (default 64). */
  blockK?: number;
  /** Record every tile step in `trace`. */
  trace?: boolean;
  /**
   * Arithmetic of the tile products and exp (default 'float64'). 'float32' opts into the f32x4 WebAssembly
   * kernel (about 1e−6 relative at unit scale, like onnxruntime's float32); where it is unavailable (no SIMD,
   * Dv not a multiple of 4, `trace`) the float64 kernels run instead. The output is float64 either way.
   */
  precision?: 'float64' | 'float32';
}

/** One tile step of the online softmax, for the step-through visualisation (rows/cols are [start, end)). */
export interface FlashStep {
  batch: number;
  head: number;
  qBlock: number;
  kBlock: number;
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
  /** True when causality hides the whole tile, so it was skipped without computing scores. */
  skipped: boolean;
  /** The tile's final logits (rows × cols), −∞ where hidden. */
  scores: number[][];
  /** Running row maxima before and after this tile. */
  mBefore: number[];
  mAfter: number[];
  /** Running normalisers ℓ before and after: ℓ_after = rescale·ℓ_before + Σ_j p_ij. */
  lBefore: number[];
  lAfter: number[];
  /** exp(m_before − m_after): the factor the old ℓ and partial O are multiplied by. */
  rescale: number[];
  /** p_ij = exp(s_ij − m_after) (rows × cols). */
  p: number[][];
  /** Unnormalised partial output after the step (rows × Dv): rescale·O_before + P·V. */
  o: number[][];
}

/** Result of `flashAttention`. */
export interface FlashResult {
  /** (B, H, Tq, Dv), equal to `attention(...).output` up to rounding. */
  output: Tensor;
  /** Every tile step, when `trace: true`. */
  trace?: FlashStep[];
  /**
   * Scratch elements the kernel used (tiles, running m/ℓ), excluding output and trace; independent of T. All are
   * float64 except, on the float32 kernel, the Q and logit tiles and m (float32; see the README for bytes).
   */
  scratchElements: number;
}

/** The JS kernel's reusable scratch: one set of tiles for the whole call. */
interface Scratch {
  qTile: Float64Array; // (blockQ, D), q rows pre-multiplied by scale
  kTile: Float64Array; // (blockK, D)
  vTileT: Float64Array; // (Dv, blockK): values transposed
  s: Float64Array; // (blockQ, blockK) logits, then p in place
  m: Float64Array; // (blockQ) running max
  l: Float64Array; // (blockQ) running normaliser
  alpha: Float64Array; // (blockQ) rescale factors of the current step
}

/** Key rows [j0, j1) of kv head g in batch b, copied into kTile (nc, D); the past cache comes first. */
function loadKeys(p: AttentionPlan, b: number, g: number, j0: number, j1: number, kTile: Float64Array): void {
  for (let j = j0; j < j1; j++) {
    const src = j < p.past ? (p.pastKey as Tensor).data : p.k.data;
    const at = j < p.past ? ((b * p.Hkv + g) * p.past + j) * p.D : ((b * p.Hkv + g) * p.Tk + j - p.past) * p.D;
    kTile.set(src.subarray(at, at + p.D), (j - j0) * p.D);
  }
}

/** Value rows [j0, j1) copied transposed into vTileT (Dv, ldv), so that P·V also reads contiguous rows. */
function loadValuesTransposed(p: AttentionPlan, b: number, g: number, j0: number, j1: number, vTileT: Float64Array, ldv: number): void {
  const Dv = p.Dv;
  for (let j = j0; j < j1; j++) {
    const src = j < p.past ? (p.pastValue as Tensor).data : p.v.data;
    const at = j < p.past ? ((b * p.Hkv + g) * p.past + j) * Dv : ((b * p.Hkv + g) * p.Tk + j - p.past) * Dv;
    for (let e = 0; e < Dv; e++) vTileT[e * ldv + j - j0] = src[at + e];
  }
}

/**
 * c[cAt + i·ldc + j] += Σ_p a[i·lda + p] · b[j·ldb + p] for i < m, j < n: a product with b transposed, so
 * both operands are read along contiguous rows. Blocked 4 rows × 2 columns (8 accumulators in registers,
 * 6 loads per 8 multiply-adds); leftover columns go 4×1 and leftover rows 1×1.
 */
function gemmNT(a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, cAt: number, ldc: number, m: number, n: number, K: number): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = j * ldb, b1 = b0 + ldb;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let p = 0; p < K; p++) {
        const y0 = b[b0 + p], y1 = b[b1 + p];
        let x = a[a0 + p];
        s00 += x * y0;
        s01 += x * y1;
        x = a[a1 + p];
        s10 += x * y0;
        s11 += x * y1;
        x = a[a2 + p];
        s20 += x * y0;
        s21 += x * y1;
        x = a[a3 + p];
        s30 += x * y0;
        s31 += x * y1;
      }
      const o = cAt + i * ldc + j;
      c[o] += s00;
      c[o + 1] += s01;
      c[o + ldc] += s10;
      c[o + ldc + 1] += s11;
      c[o + 2 * ldc] += s20;
      c[o + 2 * ldc + 1] += s21;
      c[o + 3 * ldc] += s30;
      c[o + 3 * ldc + 1] += s31;
    }
    if (j < n) {
      const b0 = j * ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < K; p++) {
        const y = b[b0 + p];
        s0 += a[a0 + p] * y;
        s1 += a[a1 + p] * y;
        s2 += a[a2 + p] * y;
        s3 += a[a3 + p] * y;
      }
      const o = cAt + i * ldc + j;
      c[o] += s0;
      c[o + ldc] += s1;
      c[o + 2 * ldc] += s2;
      c[o + 3 * ldc] += s3;
    }
  }
  for (; i < m; i++) {
    const a0 = i * lda;
    for (let j = 0; j < n; j++) {
      const b0 = j * ldb;
      let acc = 0;
      for (let p = 0; p < K; p++) acc += a[a0 + p] * b[b0 + p];
      c[cAt + i * ldc + j] += acc;
    }
  }
}

/**
 * Turns raw dot products into final logits in place: softcap, bias, then mask and causality (−∞). Logit (r, c)
 * is s[r·rs + c·cs] (the JS kernel stores rows, rs = ldS, cs = 1; the wasm one columns, rs = 1, cs = ldT).
 */
function finishLogits(p: AttentionPlan, s: Float64Array | Float32Array, rs: number, cs: number, b: number, h: number, i0: number, nr: number, j0: number, nc: number): void {
  const { softcap, bias, mask, causal, past } = p;
  if (softcap > 0) {
    for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) s[r * rs + c * cs] = softcap * Math.tanh(s[r * rs + c * cs] / softcap);
  }
  if (bias) {
    for (let r = 0; r < nr; r++) {
      const at = b * bias.sb + h * bias.sh + (i0 + r) * bias.si + j0 * bias.sj;
      for (let c = 0; c < nc; c++) s[r * rs + c * cs] += bias.data[at + c * bias.sj];
    }
  }
  if (mask) {
    for (let r = 0; r < nr; r++) {
      const at = b * mask.sb + h * mask.sh + (i0 + r) * mask.si + j0 * mask.sj;
      for (let c = 0; c < nc; c++) if (mask.data[at + c * mask.sj] === 0) s[r * rs + c * cs] = -Infinity;
    }
  }
  if (causal) {
    for (let r = 0; r < nr; r++) {
      // Query i0 + r sees keys j ≤ i0 + r + past; hide the tile's columns beyond that.
      for (let c = Math.max(0, i0 + r + past + 1 - j0); c < nc; c++) s[r * rs + c * cs] = -Infinity;
    }
  }
}

/**
 * Online-softmax update of one tile (FlashAttention-2 form): per row, m_new = max(m, max_j s_ij),
 * alpha = exp(m − m_new), p_ij = exp(s_ij − m_new) written over s, ℓ = alpha·ℓ + Σ_j p_ij, O = alpha·O.
 * A row with nothing visible yet keeps m = −∞, ℓ = 0 and O = 0 (no exp(−∞ − (−∞)) = NaN).
 */
function onlineSoftmax(sc: Scratch, ldS: number, nr: number, nc: number, o: Float64Array, oAt: number, Dv: number): void {
  const { s, m, l, alpha } = sc;
  for (let r = 0; r < nr; r++) {
    const row = r * ldS;
    let mx = m[r];
    for (let c = 0; c < nc; c++) if (s[row + c] > mx) mx = s[row + c];
    if (mx === -Infinity) {
      alpha[r] = 1;
      for (let c = 0; c < nc; c++) s[row + c] = 0;
      continue;
    }
    const a = Math.exp(m[r] - mx); // exp(−∞) = 0 on the first visible tile
    let sum = 0;
    for (let c = 0; c < nc; c++) {
      const e = Math.exp(s[row + c] - mx); // −∞ → 0 exactly
      s[row + c] = e;
      sum += e;
    }
    alpha[r] = a;
    m[r] = mx;
    l[r] = a * l[r] + sum;
    if (a !== 1) {
      const o0 = oAt + r * Dv;
      for (let e = 0; e < Dv; e++) o[o0 + e] *= a;
    }
  }
}

const rows2d = (buf: Float64Array, at: number, nr: number, nc: number, ld: number): number[][] =>
  Array.from({ length: nr }, (_, r) => Array.from(buf.subarray(at + r * ld, at + r * ld + nc)));

/** Which kernel `flashAttention` may use: 'auto' (WebAssembly SIMD when available, else JS) or 'js' only. */
export type FlashKernelMode = 'auto' | 'js';
let kernelMode: FlashKernelMode = 'auto';
/** Where the WebAssembly API comes from (tests replace it to exercise the fallbacks). */
let wasmApi: () => WasmApi | undefined = () => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let allowRelaxed = true;
/** Instantiated kernels by precision and shape (null = unavailable); at most a few are kept, each owning its memory. */
const kernels = new Map<string, FlashKernel | FlashKernelF32 | null>();
const MAX_KERNELS = 4;

/**
 * Test and bench hook (not exported from index.ts): choose the kernel mode, the WebAssembly API (undefined =
 * none) and whether relaxed-SIMD fused multiply-add may be used. Clears the kernel cache.
 */
export function configureFlashKernel(opts: { mode?: FlashKernelMode; api?: () => WasmApi | undefined; relaxed?: boolean }): void {
  if (opts.mode) kernelMode = opts.mode;
  if (opts.api) wasmApi = opts.api;
  if (opts.relaxed !== undefined) allowRelaxed = opts.relaxed;
  kernels.clear();
}

/** The kernel flashAttention would use for these sizes and tiles (without trace): its name. */
export function flashKernelName(
  D: number, Dv: number, blockQ: number, blockK: number, precision: 'float64' | 'float32' = 'float64',
): 'wasm-simd-relaxed' | 'wasm-simd' | 'wasm-f32-relaxed' | 'wasm-f32' | 'js' {
  const f32 = precision === 'float32' ? kernelF32For(D, Dv, blockQ, blockK) : null;
  if (f32) return f32.relaxed ? 'wasm-f32-relaxed' : 'wasm-f32';
  const kern = kernelFor(D, Dv, blockQ, blockK);
  return kern ? (kern.relaxed ? 'wasm-simd-relaxed' : 'wasm-simd') : 'js';
}

/** A cached kernel, or one made by `make` (null when unavailable, also cached). */
function cached<K>(key: string, make: () => K | null): K | null {
  let kern = kernels.get(key) as K | null | undefined;
  if (kern === undefined) {
    kern = make();
    if (kernels.size >= MAX_KERNELS) kernels.delete(kernels.keys().next().value as string);
    kernels.set(key, kern as FlashKernel | FlashKernelF32 | null);
  }
  return kern;
}

function kernelFor(D: number, Dv: number, bq: number, bk: number): FlashKernel | null {
  if (kernelMode === 'js' || !kernelFits(D, Dv)) return null;
  const shape = { D, Dv, bq4: Math.ceil(bq / 4) * 4, bk4: Math.ceil(bk / 4) * 4 };
  return cached(`f64,${shape.D},${shape.Dv},${shape.bq4},${shape.bk4}`, () => createFlashKernel(wasmApi(), shape, allowRelaxed));
}

function kernelF32For(D: number, Dv: number, bq: number, bk: number): FlashKernelF32 | null {
  if (kernelMode === 'js' || !kernelFits(D, Dv)) return null;
  const shape = { D, Dv, bq8: Math.ceil(bq / 8) * 8, bk4: Math.ceil(bk / 4) * 4 };
  return cached(`f32,${shape.D},${shape.Dv},${shape.bq8},${shape.bk4}`, () => createFlashKernelF32(wasmApi(), shape, allowRelaxed));
}

/** Copies rows [j0, j1) of kv head g (past cache first) from key or value tensors into heap at `at`. */
function copyRows(p: AttentionPlan, which: 'key' | 'value', b: number, g: number, j0: number, j1: number, heap: Float64Array, at: number): void {
  const w = which === 'key' ? p.D : p.Dv;
  if (j0 < p.past) {
    const e = Math.min(j1, p.past);
    const src = ((which === 'key' ? p.pastKey : p.pastValue) as Tensor).data;
    const from = ((b * p.Hkv + g) * p.past + j0) * w;
    heap.set(src.subarray(from, from + (e - j0) * w), at);
    at += (e - j0) * w;
    j0 = e;
  }
  if (j0 < j1) {
    const src = (which === 'key' ? p.k : p.v).data;
    const from = ((b * p.Hkv + g) * p.Tk + j0 - p.past) * w;
    heap.set(src.subarray(from, from + (j1 - j0) * w), at);
  }
}

/**
 * The WebAssembly path: the same loop as the JS kernel below, with the tile products and the softmax in the
 * module. Tiles are streamed into the module memory (no copy of the whole K or V); query rows and keys are
 * padded to multiples of 4 (padded queries are zero rows that are never read back; a padded key gets logit
 * −∞, so p = 0 and it contributes nothing).
 */
function flashWasm(p: AttentionPlan, kern: FlashKernel, bq: number, bk: number, out: Float64Array): void {
  const { B, H, Tq, TkTotal, D, Dv, past, causal, q } = p;
  const { heap, layout: L } = kern;
  const { bq4, bk4 } = kern.shape;
  const [q0, k0, v0, s0, o0, m0, l0] = [L.q, L.k, L.v, L.s, L.o, L.m, L.l].map((x) => x / 8);
  const sView = heap.subarray(s0, s0 + bk4 * bq4);
  const finish = p.softcap > 0 || p.bias !== undefined || p.mask !== undefined;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / p.group);
      for (let i0 = 0; i0 < Tq; i0 += bq) {
        const nr = Math.min(bq, Tq - i0);
        const nr4 = Math.ceil(nr / 4) * 4;
        const oAt = ((b * H + h) * Tq + i0) * Dv;
        const qAt = ((b * H + h) * Tq + i0) * D;
        heap.fill(0, q0, q0 + D * bq4);
        for (let r = 0; r < nr; r++) for (let d = 0; d < D; d++) heap[q0 + d * bq4 + r] = q.data[qAt + r * D + d] * p.scale;
        heap.fill(-Infinity, m0, m0 + nr4);
        heap.fill(0, l0, l0 + nr4);
        heap.fill(0, o0, o0 + nr4 * Dv);
        for (let j0 = 0; j0 < TkTotal; j0 += bk) {
          if (causal && j0 > i0 + nr - 1 + past) break; // this and every later tile is hidden
          const nc = Math.min(bk, TkTotal - j0);
          const nc4 = Math.ceil(nc / 4) * 4;
          copyRows(p, 'key', b, g, j0, j0 + nc, heap, k0);
          copyRows(p, 'value', b, g, j0, j0 + nc, heap, v0);
          kern.qk(nr4, nc4);
          if (nc < nc4) heap.fill(-Infinity, s0 + nc * bq4, s0 + nc4 * bq4);
          if (finish || (causal && j0 + nc - 1 > i0 + past)) finishLogits(p, sView, 1, bq4, b, h, i0, nr, j0, nc);
          kern.softmax(nr4, nc4);
          kern.pv(nr4, nc4);
        }
        for (let r = 0; r < nr; r++) {
          const l = heap[l0 + r];
          const inv = l > 0 ? 1 / l : 0;
          for (let e = 0; e < Dv; e++) out[oAt + r * Dv + e] = heap[o0 + r * Dv + e] * inv;
        }
      }
    }
  }
}

/**
 * The float32 WebAssembly path: the loop of flashWasm with the f32x4 kernel. K and V rows are copied into the
 * module as float64 (a plain copy) and rounded to float32 there (`cvt`); q is scaled in float64 and rounded as it
 * is transposed in. Softcap, bias and masks are applied in JS to the float32 logits. O and ℓ stay float64.
 */
function flashWasmF32(p: AttentionPlan, kern: FlashKernelF32, bq: number, bk: number, out: Float64Array): void {
  const { B, H, Tq, TkTotal, D, Dv, past, causal, q } = p;
  const { heap32, heap64, layout: L } = kern;
  const { bq8, bk4 } = kern.shape;
  const q0 = L.q / 4, s0 = L.s / 4, m0 = L.m / 4;
  const k0 = L.k / 8, v0 = L.v / 8, o0 = L.o / 8, l0 = L.l / 8;
  const sView = heap32.subarray(s0, s0 + bk4 * bq8);
  const finish = p.softcap > 0 || p.bias !== undefined || p.mask !== undefined;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / p.group);
      for (let i0 = 0; i0 < Tq; i0 += bq) {
        const nr = Math.min(bq, Tq - i0);
        const nr8 = Math.ceil(nr / 8) * 8;
        const oAt = ((b * H + h) * Tq + i0) * Dv;
        const qAt = ((b * H + h) * Tq + i0) * D;
        heap32.fill(0, q0, q0 + D * bq8);
        for (let r = 0; r < nr; r++) for (let d = 0; d < D; d++) heap32[q0 + d * bq8 + r] = q.data[qAt + r * D + d] * p.scale;
        heap32.fill(-Infinity, m0, m0 + nr8);
        heap64.fill(0, l0, l0 + nr8);
        heap64.fill(0, o0, o0 + nr8 * Dv);
        for (let j0 = 0; j0 < TkTotal; j0 += bk) {
          if (causal && j0 > i0 + nr - 1 + past) break; // this and every later tile is hidden
          const nc = Math.min(bk, TkTotal - j0);
          const nc4 = Math.ceil(nc / 4) * 4;
          copyRows(p, 'key', b, g, j0, j0 + nc, heap64, k0);
          copyRows(p, 'value', b, g, j0, j0 + nc, heap64, v0);
          if (nc < nc4) {
            // Padded keys: zeros (the staging area holds float32 bits from earlier tiles, not valid float64s).
            heap64.fill(0, k0 + nc * D, k0 + nc4 * D);
            heap64.fill(0, v0 + nc * Dv, v0 + nc4 * Dv);
          }
          kern.cvt(nc4 * D, nc4 * Dv);
          kern.qk(nr8, nc4);
          if (nc < nc4) heap32.fill(-Infinity, s0 + nc * bq8, s0 + nc4 * bq8);
          if (finish || (causal && j0 + nc - 1 > i0 + past)) finishLogits(p, sView, 1, bq8, b, h, i0, nr, j0, nc);
          kern.softmax(nr8, nc4);
          kern.pv(nr8, nc4);
        }
        for (let r = 0; r < nr; r++) {
          const l = heap64[l0 + r];
          const inv = l > 0 ? 1 / l : 0;
          for (let e = 0; e < Dv; e++) out[oAt + r * Dv + e] = heap64[o0 + r * Dv + e] * inv;
        }
      }
    }
  }
}

/** Tiled exact attention with online softmax; same semantics as `attention`, never holds a Tq×Tk buffer. */
export function flashAttention(q: Tensor, k: Tensor, v: Tensor, options: FlashOptions = {}): FlashResult {
  const p = planAttention('flashAttention', q, k, v, options);
  const blockQ = options.blockQ ?? 64;
  const blockK = options.blockK ?? 64;
  checkCount('flashAttention', 'blockQ', blockQ, 1);
  checkCount('flashAttention', 'blockK', blockK, 1);
  const precision = options.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32') {
    fail('flashAttention', `precision must be 'float64' or 'float32', got ${String(precision)}`);
  }
  const { B, H, Tq, TkTotal, D, Dv, past, causal } = p;
  const bq = Math.max(1, Math.min(blockQ, Tq)); // tiles never exceed the problem
  const bk = Math.max(1, Math.min(blockK, TkTotal));
  const kern32 = options.trace || precision !== 'float32' ? null : kernelF32For(D, Dv, bq, bk);
  if (kern32) {
    const out = new Float64Array(B * H * Tq * Dv);
    flashWasmF32(p, kern32, bq, bk, out);
    return { output: { shape: [B, H, Tq, Dv], data: out }, scratchElements: kern32.layout.elements };
  }
  const kern = options.trace ? null : kernelFor(D, Dv, bq, bk);
  if (kern) {
    const out = new Float64Array(B * H * Tq * Dv);
    flashWasm(p, kern, bq, bk, out);
    return { output: { shape: [B, H, Tq, Dv], data: out }, scratchElements: kern.layout.elements };
  }
  const sc: Scratch = {
    qTile: new Float64Array(bq * D),
    kTile: new Float64Array(bk * D),
    vTileT: new Float64Array(Dv * bk),
    s: new Float64Array(bq * bk),
    m: new Float64Array(bq),
    l: new Float64Array(bq),
    alpha: new Float64Array(bq),
  };
  const scratchElements = Object.values(sc).reduce((n, a: Float64Array) => n + a.length, 0);
  const out = new Float64Array(B * H * Tq * Dv); // (B, H, Tq, Dv): holds the unnormalised O until the end
  const trace: FlashStep[] | undefined = options.trace ? [] : undefined;

  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / p.group); // GQA: query head h reads kv head ⌊h / (H/Hkv)⌋
      for (let i0 = 0, qb = 0; i0 < Tq; i0 += bq, qb++) {
        const nr = Math.min(bq, Tq - i0);
        const oAt = ((b * H + h) * Tq + i0) * Dv;
        const qAt = ((b * H + h) * Tq + i0) * D;
        for (let x = 0; x < nr * D; x++) sc.qTile[x] = q.data[qAt + x] * p.scale;
        sc.m.fill(-Infinity);
        sc.l.fill(0);
        for (let j0 = 0, kb = 0; j0 < TkTotal; j0 += bk, kb++) {
          const nc = Math.min(bk, TkTotal - j0);
          const hiddenByCausal = causal && j0 > i0 + nr - 1 + past;
          const before = trace && { m: Array.from(sc.m.subarray(0, nr)), l: Array.from(sc.l.subarray(0, nr)) };
          if (!hiddenByCausal) {
            loadKeys(p, b, g, j0, j0 + nc, sc.kTile);
            sc.s.fill(0);
            gemmNT(sc.qTile, D, sc.kTile, D, sc.s, 0, bk, nr, nc, D); // s = (scale·Q_tile) K_tileᵀ  (nr, nc)
            finishLogits(p, sc.s, bk, 1, b, h, i0, nr, j0, nc);
          }
          const scores = trace && (hiddenByCausal ? rows2d(new Float64Array(nr * nc).fill(-Infinity), 0, nr, nc, nc) : rows2d(sc.s, 0, nr, nc, bk));
          if (!hiddenByCausal) {
            onlineSoftmax(sc, bk, nr, nc, out, oAt, Dv);
            loadValuesTransposed(p, b, g, j0, j0 + nc, sc.vTileT, bk);
            gemmNT(sc.s, bk, sc.vTileT, bk, out, oAt, Dv, nr, Dv, nc); // O_tile += P V_tile  (nr, Dv)
          }
          if (trace && before && scores) {
            trace.push({
              batch: b, head: h, qBlock: qb, kBlock: kb,
              rowStart: i0, rowEnd: i0 + nr, colStart: j0, colEnd: j0 + nc,
              skipped: hiddenByCausal,
              scores,
              mBefore: before.m, mAfter: Array.from(sc.m.subarray(0, nr)),
              lBefore: before.l, lAfter: Array.from(sc.l.subarray(0, nr)),
              rescale: hiddenByCausal ? new Array<number>(nr).fill(1) : Array.from(sc.alpha.subarray(0, nr)),
              p: hiddenByCausal ? rows2d(new Float64Array(nr * nc), 0, nr, nc, nc) : rows2d(sc.s, 0, nr, nc, bk),
              o: rows2d(out, oAt, nr, Dv, Dv),
            });
          }
        }
        // Normalise once at the end: O_i / ℓ_i; a fully masked row (ℓ = 0) stays exactly zero.
        for (let r = 0; r < nr; r++) {
          const inv = sc.l[r] > 0 ? 1 / sc.l[r] : 0;
          for (let e = 0; e < Dv; e++) out[oAt + r * Dv + e] *= inv;
        }
      }
    }
  }
  return { output: { shape: [B, H, Tq, Dv], data: out }, trace, scratchElements };
}
