// The opt-in float32 path of flashAttention (`precision: 'float32'`, the f32x4 WebAssembly kernel) against the
// naive float64 reference, its exp, its memory and module size, and its fallbacks.
//
// Tolerance: |flash − naive| ≤ 1e−5·(1 + |naive|) per element at unit scale. Where it comes from: q·scale, k
// and v are rounded to float32 (relative 2^−24 ≈ 6e−8 each); a logit sums D products in float32, so its error
// is about (D + 2)·2^−24·Σ_d |q_d k_d| (≤ 4e−6 for D ≤ 64 and the unit-scale inputs here); a logit error δ
// moves the output by at most 2δ·max|v|; p·V sums at most blockK terms in float32 before joining the float64 O;
// exp is within a few float32 ulp. Together ≲ 1e−5; measured errors are 1e−7 to 6e−7.
import { afterEach, describe, expect, it } from 'vitest';
import { attention, createRng, flashAttention, randomTensor, type AttentionOptions, type Tensor } from '../../src/engine/index.ts';
import { configureFlashKernel, flashKernelName } from '../../src/engine/flash.ts';
import type { WasmApi } from '../../src/engine/wasm/flash-kernel.ts';
import { EXP_F32_MIN, createFlashKernelF32, flashKernelF32Bytes, kernelLayoutF32 } from '../../src/engine/wasm/flash-kernel-f32.ts';
import { maxAbsDiff } from './helpers.ts';

const rng = createRng(32);
const realApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
afterEach(() => configureFlashKernel({ mode: 'auto', api: () => realApi, relaxed: true }));

const F32 = { precision: 'float32' } as const;
const TOL = 1e-5;

/** Largest |a − b| / (1 + |b|): the float32 tolerance is relative above 1, absolute below. */
function maxScaledDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (a.data[i] === b.data[i]) continue; // also −∞ = −∞
    const d = Math.abs(a.data[i] - b.data[i]) / (1 + Math.abs(b.data[i]));
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

type Flags = { causal: boolean; mask: boolean; bias: boolean; softcap: boolean; past: boolean; gqa: boolean };
function makeCase(opts: Flags, Tq: number, Tk: number, D = 6, Dv = 4) {
  const B = 2;
  const H = opts.gqa ? 4 : 2;
  const Hkv = 2;
  const P = opts.past ? 3 : 0;
  const q = randomTensor(rng, [B, H, Tq, D], 1.5);
  const k = randomTensor(rng, [B, Hkv, Tk, D], 1.5);
  const v = randomTensor(rng, [B, Hkv, Tk, Dv]);
  const o: AttentionOptions = { causal: opts.causal };
  if (opts.mask) {
    const m = randomTensor(rng, [B, 1, Tq, P + Tk]);
    o.mask = { shape: m.shape, data: m.data.map((x) => (x > -0.8 ? 1 : 0)) };
  }
  if (opts.bias) o.bias = randomTensor(rng, [1, H, 1, P + Tk]);
  if (opts.softcap) o.softcap = 2;
  if (opts.past) {
    o.pastKey = randomTensor(rng, [B, Hkv, P, D], 1.5);
    o.pastValue = randomTensor(rng, [B, Hkv, P, Dv]);
  }
  return { q, k, v, o };
}

const modes = [
  { name: 'wasm-f32-relaxed', relaxed: true },
  { name: 'wasm-f32', relaxed: false },
] as const;

describe("precision: 'float32' agrees with naive attention within float32 accuracy", () => {
  const flags = ['causal', 'mask', 'bias', 'softcap', 'past', 'gqa'] as const;
  for (const mode of modes) {
    it(`${mode.name}: all 64 option combinations at many tile sizes (Dv = 4, 8, 12)`, () => {
      configureFlashKernel({ relaxed: mode.relaxed });
      for (const Dv of [4, 8, 12]) expect(flashKernelName(6, Dv, 4, 4, 'float32')).toBe(mode.name);
      let worst = 0;
      for (let bits = 0; bits < 1 << flags.length; bits++) {
        const on = Object.fromEntries(flags.map((f, n) => [f, ((bits >> n) & 1) === 1])) as Flags;
        const Dv = [4, 8, 12][bits % 3];
        const { q, k, v, o } = makeCase(on, 9, 11, 6, Dv);
        const want = attention(q, k, v, o).output;
        for (const [blockQ, blockK] of [[1, 1], [2, 3], [3, 4], [4, 4], [5, 7], [8, 8], [9, 11], [8, 64], [64, 64], [1, 13], [13, 2]]) {
          const err = maxScaledDiff(flashAttention(q, k, v, { ...o, ...F32, blockQ, blockK }).output, want);
          expect(err, `${flags.filter((f) => on[f]).join('+') || 'plain'} Dv=${Dv} blocks ${blockQ}×${blockK}`).toBeLessThan(TOL);
          worst = Math.max(worst, err);
        }
      }
      expect(worst).toBeGreaterThan(0); // it really is float32
    });

    it(`${mode.name}: shapes (odd D, D = 64, Tq ≠ Tk with and without a cache, fully masked rows and tiles)`, () => {
      configureFlashKernel({ relaxed: mode.relaxed });
      const none: Flags = { causal: false, mask: false, bias: false, softcap: false, past: false, gqa: false };
      const cases: [Flags, number, number, number, number][] = [
        [none, 1, 1, 1, 4],
        [none, 13, 5, 5, 8],
        [{ ...none, causal: true }, 150, 150, 64, 64],
        [{ ...none, causal: true, bias: true }, 70, 130, 64, 68],
        [{ ...none, causal: true }, 5, 17, 16, 12],
        [{ ...none, causal: true }, 17, 5, 16, 12],
        [{ ...none, causal: true, past: true }, 6, 9, 8, 8],
        [{ ...none, causal: true, past: true, mask: true, gqa: true }, 1, 40, 32, 32], // one decode step
      ];
      for (const [on, Tq, Tk, D, Dv] of cases) {
        const { q, k, v, o } = makeCase(on, Tq, Tk, D, Dv);
        if (D === 64) o.scale = 1 / Math.sqrt(D) / 1.5 ** 2; // unit-scale logits with the 1.5-scaled q and k
        const want = attention(q, k, v, o).output;
        for (const [blockQ, blockK] of [[64, 64], [7, 5], [16, 32], [128, 128]]) {
          expect(maxScaledDiff(flashAttention(q, k, v, { ...o, ...F32, blockQ, blockK }).output, want), `Tq=${Tq} Tk=${Tk} D=${D} Dv=${Dv}`).toBeLessThan(TOL);
        }
      }
      // Keys 0..3 hidden everywhere (a fully masked first tile) and row 5 hidden entirely: zeros, never NaN.
      const q = randomTensor(rng, [1, 1, 6, 4]);
      const k = randomTensor(rng, [1, 1, 8, 4]);
      const v = randomTensor(rng, [1, 1, 8, 4]);
      const mask: Tensor = { shape: [6, 8], data: new Float64Array(48).map((_, n) => (n % 8 >= 4 && n < 40 ? 1 : 0)) };
      const got = flashAttention(q, k, v, { mask, blockQ: 2, blockK: 4, ...F32 }).output;
      expect(maxScaledDiff(got, attention(q, k, v, { mask }).output)).toBeLessThan(TOL);
      expect(Array.from(got.data.subarray(20, 24))).toEqual([0, 0, 0, 0]);
      expect(got.data.some(Number.isNaN)).toBe(false);
      // A bias of −∞ everywhere but one key: exactly that key's value (as rounded to float32).
      const bias: Tensor = { shape: [1, 8], data: new Float64Array(8).fill(-Infinity) };
      bias.data[6] = 0;
      const one = flashAttention(q, k, v, { bias, ...F32 }).output;
      for (let r = 0; r < 6; r++) for (let e = 0; e < 4; e++) expect(one.data[r * 4 + e]).toBe(Math.fround(v.data[6 * 4 + e]));
    });
  }

  it('logits around ±1e4 stay finite (and, with well separated logits, accurate)', () => {
    for (const scaleUp of [100, 300]) {
      const q = randomTensor(rng, [1, 2, 24, 4], scaleUp);
      const k = randomTensor(rng, [1, 2, 24, 4], scaleUp);
      const v = randomTensor(rng, [1, 2, 24, 8]);
      for (const causal of [false, true]) {
        const want = attention(q, k, v, { scale: 1, causal });
        const got = flashAttention(q, k, v, { scale: 1, causal, blockQ: 8, blockK: 8, ...F32 }).output;
        expect(got.data.every(Number.isFinite)).toBe(true);
        const big = want.scores.data.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0);
        expect(big).toBeGreaterThan(1e4);
        // A float32 logit of size S is off by ~S·2^−22 (here ~1e−3), but outputs only move where two logits are
        // that close; these seeded cases have none (measured 3e−8).
        expect(maxScaledDiff(got, want.output)).toBeLessThan(TOL);
      }
    }
  });

  it("the default and precision: 'float64' are bit-identical; float32 differs from them by float32 rounding", () => {
    const { q, k, v, o } = makeCase({ causal: true, mask: false, bias: true, softcap: true, past: true, gqa: true }, 40, 40, 16, 16);
    const a = flashAttention(q, k, v, o).output;
    const b = flashAttention(q, k, v, { ...o, precision: 'float64' }).output;
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    const c = flashAttention(q, k, v, { ...o, ...F32 }).output;
    expect(c.data).toBeInstanceOf(Float64Array);
    const d = maxAbsDiff(c, a);
    expect(d).toBeGreaterThan(1e-10);
    expect(d).toBeLessThan(1e-5);
  });

  it('rejects an unknown precision', () => {
    const x = randomTensor(rng, [1, 1, 2, 4]);
    expect(() => flashAttention(x, x, x, { precision: 'float16' as 'float32' })).toThrow(
      "flashAttention: precision must be 'float64' or 'float32', got float16",
    );
  });
});

describe('the float32 kernel internals', () => {
  it('exp matches Math.exp within 2 float32 ulp on [−87.33, 0] and gives 0 below (and for −∞)', () => {
    for (const relaxed of [true, false]) {
      const kern = createFlashKernelF32(realApi, { D: 4, Dv: 4, bq8: 8, bk4: 64 }, relaxed)!;
      expect(kern.relaxed).toBe(relaxed);
      const { heap32, heap64, layout: L } = kern;
      const s0 = L.s / 4;
      let n = 0;
      let worstUlp = 0;
      for (let trial = 0; trial < 30; trial++) {
        // Column r of sT holds 64 logits of query r: one 0 (so the max is 0 and p = exp(s)), the rest ≤ 0.
        heap32.fill(-Infinity, L.m / 4, L.m / 4 + 8);
        heap64.fill(0, L.l / 8, L.l / 8 + 8);
        const col: number[][] = Array.from({ length: 8 }, () => []);
        for (let c = 0; c < 64; c++) {
          for (let r = 0; r < 8; r++) {
            const u = rng.next();
            const x = c === 0 ? 0 : trial === 0 && c === 1 ? -Infinity : trial === 0 && c === 2 ? -88 : trial < 15 ? -87.3 * u : -10 * u;
            heap32[s0 + c * 8 + r] = x;
            col[r].push(heap32[s0 + c * 8 + r]); // the float32 value actually stored
          }
        }
        kern.softmax(8, 64);
        for (let r = 0; r < 8; r++) {
          let sum = 0;
          for (let c = 0; c < 64; c++) {
            const x = col[r][c];
            const got = heap32[s0 + c * 8 + r];
            sum += got;
            if (x < EXP_F32_MIN) expect(got).toBe(0);
            else {
              const want = Math.exp(x);
              const ulp = 2 ** (Math.floor(Math.log2(want)) - 23);
              worstUlp = Math.max(worstUlp, Math.abs(got - want) / ulp);
              n++;
            }
          }
          expect(heap32[L.m / 4 + r]).toBe(0);
          expect(heap64[L.a / 8 + r]).toBe(0); // α = exp(−∞) on the first step
          expect(Math.abs(heap64[L.l / 8 + r] - sum)).toBeLessThan(1e-6 * sum); // ℓ = Σ p
        }
      }
      expect(n).toBeGreaterThan(10000);
      expect(worstUlp).toBeLessThanOrEqual(2);
    }
  });

  it('modules stay under 4 KB (browsers compile larger ones only asynchronously on the main thread)', () => {
    for (const relaxed of [true, false]) {
      for (const [D, Dv, bq8, bk4] of [[64, 64, 64, 64], [128, 128, 128, 128], [128, 124, 128, 128], [8, 4, 8, 4], [3, 12, 8, 4]]) {
        expect(flashKernelF32Bytes({ D, Dv, bq8, bk4 }, relaxed).length).toBeLessThan(4096);
      }
    }
  });

  it('memory: tile scratch only, independent of T, under 1% of T×T float64 at T = 4096, D = 64', () => {
    const run = (T: number) => {
      const x = randomTensor(rng, [1, 1, T, 64]);
      return flashAttention(x, x, x, F32).scratchElements;
    };
    const L = kernelLayoutF32({ D: 64, Dv: 64, bq8: 64, bk4: 64 });
    expect(run(64)).toBe(L.elements);
    // Q, S (float32) and K, V, O (float64) of 64·64 each; m (float32) and ℓ, α (float64) of 64 each
    expect(L.elements).toBe(5 * 64 * 64 + 3 * 64);
    expect(L.bytes).toBe(2 * 64 * 64 * 4 + 3 * 64 * 64 * 8 + 64 * 4 + 2 * 64 * 8);
    expect(run(300)).toBe(run(64));
    expect(L.bytes / (4096 * 4096 * 8)).toBeLessThan(0.01);
  });
});

describe('float32 fallbacks (to the float64 kernels)', () => {
  const { q, k, v, o } = makeCase({ causal: true, mask: true, bias: false, softcap: true, past: true, gqa: false }, 10, 12, 8, 8);
  const want = attention(q, k, v, o).output;
  const f32 = { ...o, ...F32, blockQ: 3, blockK: 5 };

  it('no WebAssembly at all → JS kernel (float64)', () => {
    configureFlashKernel({ api: () => undefined });
    expect(flashKernelName(8, 8, 3, 5, 'float32')).toBe('js');
    expect(maxAbsDiff(flashAttention(q, k, v, f32).output, want)).toBeLessThan(1e-12);
  });

  it('WebAssembly without SIMD (validate rejects the module) → JS kernel (float64)', () => {
    const noSimd: WasmApi = { Module: realApi!.Module, Instance: realApi!.Instance, validate: () => false };
    configureFlashKernel({ api: () => noSimd });
    expect(flashKernelName(8, 8, 3, 5, 'float32')).toBe('js');
    expect(maxAbsDiff(flashAttention(q, k, v, f32).output, want)).toBeLessThan(1e-12);
  });

  it('SIMD without relaxed SIMD → the plain f32x4 module', () => {
    const noRelaxed: WasmApi = {
      Module: realApi!.Module,
      Instance: realApi!.Instance,
      // Relaxed modules contain a relaxed-madd opcode: 0xfd 0x85 0x02 (f32x4) or 0xfd 0x87 0x02 (f64x2).
      validate: (bytes) => !bytes.some((b, i) => b === 0xfd && (bytes[i + 1] === 0x85 || bytes[i + 1] === 0x87) && bytes[i + 2] === 0x02) && realApi!.validate(bytes),
    };
    configureFlashKernel({ api: () => noRelaxed });
    expect(flashKernelName(8, 8, 3, 5, 'float32')).toBe('wasm-f32');
    expect(maxScaledDiff(flashAttention(q, k, v, f32).output, want)).toBeLessThan(TOL);
  });

  it("mode 'js' (the bench's JS row) → JS kernel (float64)", () => {
    configureFlashKernel({ mode: 'js' });
    expect(flashKernelName(8, 8, 3, 5, 'float32')).toBe('js');
    expect(maxAbsDiff(flashAttention(q, k, v, f32).output, want)).toBeLessThan(1e-12);
  });

  it('Dv not a multiple of 4 → JS kernel; trace: true → the traced float64 path, unchanged', () => {
    expect(flashKernelName(8, 5, 64, 64, 'float32')).toBe('js');
    const q2 = randomTensor(rng, [1, 1, 6, 8]);
    const v5 = randomTensor(rng, [1, 1, 6, 5]);
    expect(maxAbsDiff(flashAttention(q2, q2, v5, F32).output, attention(q2, q2, v5).output)).toBeLessThan(1e-12);
    const r = flashAttention(q, k, v, { ...o, ...F32, blockQ: 4, blockK: 4, trace: true });
    const r64 = flashAttention(q, k, v, { ...o, blockQ: 4, blockK: 4, trace: true });
    expect(r.trace!.length).toBe(2 * 2 * 3 * 4);
    expect(r.trace).toEqual(r64.trace);
    expect(Array.from(r.output.data)).toEqual(Array.from(r64.output.data));
    expect(maxAbsDiff(r.output, want)).toBeLessThan(1e-12);
  });
});
