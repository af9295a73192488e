// The WebAssembly SIMD kernel of flashAttention against the naive reference and the pure-JS kernel, its
// exp, its memory, and the fallbacks (no WebAssembly, no SIMD, no relaxed SIMD).
import { afterEach, describe, expect, it } from 'vitest';
import { attention, createRng, flashAttention, randomTensor, type AttentionOptions, type Tensor } from '../../src/engine/index.ts';
import { configureFlashKernel, flashKernelName } from '../../src/engine/flash.ts';
import { createFlashKernel, flashKernelBytes, kernelLayout, type WasmApi } from '../../src/engine/wasm/flash-kernel.ts';
import { maxAbsDiff } from './helpers.ts';

const rng = createRng(7);
const realApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
afterEach(() => configureFlashKernel({ mode: 'auto', api: () => realApi, relaxed: true }));

type Flags = { causal: boolean; mask: boolean; bias: boolean; softcap: boolean; past: boolean; gqa: boolean };
/** A random case; Dv is a multiple of 4 so the SIMD kernel can take it (D need not be even). */
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
  { name: 'wasm-simd-relaxed', set: () => configureFlashKernel({ mode: 'auto', relaxed: true }) },
  { name: 'wasm-simd', set: () => configureFlashKernel({ mode: 'auto', relaxed: false }) },
  { name: 'js', set: () => configureFlashKernel({ mode: 'js' }) },
] as const;

describe('flash kernels agree with naive attention', () => {
  const flags = ['causal', 'mask', 'bias', 'softcap', 'past', 'gqa'] as const;
  for (const mode of modes) {
    it(`${mode.name}: all 64 option combinations at many tile sizes`, () => {
      mode.set();
      expect(flashKernelName(6, 4, 4, 4)).toBe(mode.name);
      for (let bits = 0; bits < 1 << flags.length; bits++) {
        const on = Object.fromEntries(flags.map((f, n) => [f, ((bits >> n) & 1) === 1])) as Flags;
        const { q, k, v, o } = makeCase(on, 9, 11);
        const want = attention(q, k, v, o).output;
        for (const [blockQ, blockK] of [[1, 1], [2, 3], [3, 4], [4, 4], [5, 7], [9, 11], [8, 64], [64, 64], [1, 13]]) {
          const got = flashAttention(q, k, v, { ...o, blockQ, blockK }).output;
          expect(maxAbsDiff(got, want), `${flags.filter((f) => on[f]).join('+') || 'plain'} blocks ${blockQ}×${blockK}`).toBeLessThan(1e-12);
        }
      }
    });

    it(`${mode.name}: shapes (odd D, D = 64, Tq ≠ Tk with and without a cache, fully masked rows and tiles)`, () => {
      mode.set();
      const none: Flags = { causal: false, mask: false, bias: false, softcap: false, past: false, gqa: false };
      const cases: [Flags, number, number, number, number][] = [
        [none, 1, 1, 1, 4],
        [none, 13, 5, 5, 8],
        [{ ...none, causal: true }, 150, 150, 64, 64],
        [{ ...none, causal: true }, 5, 17, 16, 12],
        [{ ...none, causal: true }, 17, 5, 16, 12],
        [{ ...none, causal: true, past: true }, 6, 9, 8, 8],
      ];
      for (const [on, Tq, Tk, D, Dv] of cases) {
        const { q, k, v, o } = makeCase(on, Tq, Tk, D, Dv);
        const want = attention(q, k, v, o).output;
        for (const [blockQ, blockK] of [[64, 64], [7, 5], [16, 32]]) {
          expect(maxAbsDiff(flashAttention(q, k, v, { ...o, blockQ, blockK }).output, want), `Tq=${Tq} Tk=${Tk} D=${D}`).toBeLessThan(1e-12);
        }
      }
      // Keys 0..3 hidden everywhere (a fully masked first tile) and row 5 hidden entirely: zeros, never NaN.
      const q = randomTensor(rng, [1, 1, 6, 4]);
      const k = randomTensor(rng, [1, 1, 8, 4]);
      const v = randomTensor(rng, [1, 1, 8, 4]);
      const mask: Tensor = { shape: [6, 8], data: new Float64Array(48).map((_, n) => (n % 8 >= 4 && n < 40 ? 1 : 0)) };
      const got = flashAttention(q, k, v, { mask, blockQ: 2, blockK: 4 }).output;
      expect(maxAbsDiff(got, attention(q, k, v, { mask }).output)).toBeLessThan(1e-12);
      expect(Array.from(got.data.subarray(20, 24))).toEqual([0, 0, 0, 0]);
      expect(got.data.some(Number.isNaN)).toBe(false);
    });
  }

  it('the wasm and JS kernels agree with each other at unit scale to 1e-13', () => {
    const { q, k, v, o } = makeCase({ causal: true, mask: false, bias: true, softcap: false, past: false, gqa: true }, 100, 100, 32, 32);
    configureFlashKernel({ mode: 'js' });
    const js = flashAttention(q, k, v, o).output;
    configureFlashKernel({ mode: 'auto' });
    expect(flashKernelName(32, 32, 64, 64)).toMatch(/^wasm/);
    expect(maxAbsDiff(flashAttention(q, k, v, o).output, js)).toBeLessThan(1e-13);
  });

  it('logits around ±1e4 stay finite and exact on the wasm kernel', () => {
    const q = randomTensor(rng, [1, 1, 8, 4], 100);
    const k = randomTensor(rng, [1, 1, 8, 4], 100);
    const v = randomTensor(rng, [1, 1, 8, 4]);
    const want = attention(q, k, v, { scale: 1 }).output;
    const got = flashAttention(q, k, v, { scale: 1, blockQ: 4, blockK: 4 }).output;
    expect(got.data.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-12);
  });
});

describe('the SIMD kernel internals', () => {
  it('exp matches Math.exp within 2 ulp on [−708, 0] and gives 0 below (and for −∞)', () => {
    for (const relaxed of [true, false]) {
      const kern = createFlashKernel(realApi, { D: 4, Dv: 4, bq4: 4, bk4: 64 }, relaxed)!;
      expect(kern.relaxed).toBe(relaxed);
      const { heap, layout: L } = kern;
      const s0 = L.s / 8;
      const xs: number[] = [];
      for (let trial = 0; trial < 40; trial++) {
        // Column r of sT holds 64 logits of query r: one 0 (so the max is 0 and p = exp(s)), the rest ≤ 0.
        heap.fill(-Infinity, L.m / 8, L.m / 8 + 4);
        heap.fill(0, L.l / 8, L.l / 8 + 4);
        const col: number[][] = [[], [], [], []];
        for (let c = 0; c < 64; c++) {
          for (let r = 0; r < 4; r++) {
            const u = rng.next();
            const x = c === 0 ? 0 : trial === 0 && c === 1 ? -Infinity : trial === 0 && c === 2 ? -709 : trial < 20 ? -745 * u : -40 * u;
            heap[s0 + c * 4 + r] = x;
            col[r].push(x);
          }
        }
        kern.softmax(4, 64);
        for (let r = 0; r < 4; r++) {
          for (let c = 0; c < 64; c++) {
            const x = col[r][c];
            const got = heap[s0 + c * 4 + r];
            if (x < -708) expect(got).toBe(0);
            else {
              const want = Math.exp(x);
              expect(Math.abs(got - want) / want, `exp(${x})`).toBeLessThanOrEqual(4.5e-16);
              xs.push(x);
            }
          }
          // ℓ = Σ p, m = 0, α = exp(−∞) = 0 on the first step
          expect(heap[L.m / 8 + r]).toBe(0);
          expect(heap[L.a / 8 + r]).toBe(0);
        }
      }
      expect(xs.length).toBeGreaterThan(5000);
    }
  });

  it('modules stay under 4 KB (browsers compile larger ones only asynchronously on the main thread)', () => {
    for (const relaxed of [true, false]) {
      for (const [D, Dv, bq4, bk4] of [[64, 64, 64, 64], [128, 128, 128, 128], [8, 4, 4, 4]]) {
        expect(flashKernelBytes({ D, Dv, bq4, bk4 }, relaxed).length).toBeLessThan(4096);
      }
    }
  });

  it('memory: tile scratch only, independent of T, under 1% of T×T at T = 4096, D = 64', () => {
    const scratch = (T: number) => {
      const x = randomTensor(rng, [1, 1, T, 64]);
      return flashAttention(x, x, x).scratchElements;
    };
    // Q, K, V, S (64·64 each), O (64·64) and m, ℓ, α (3·64)
    expect(scratch(64)).toBe(kernelLayout({ D: 64, Dv: 64, bq4: 64, bk4: 64 }).elements);
    expect(scratch(64)).toBe(5 * 64 * 64 + 3 * 64);
    expect(scratch(300)).toBe(scratch(64));
    expect((scratch(300) * 8) / (4096 * 4096 * 8)).toBeLessThan(0.01);
  });
});

describe('fallbacks', () => {
  const { q, k, v, o } = makeCase({ causal: true, mask: true, bias: false, softcap: true, past: true, gqa: false }, 10, 12, 8, 8);
  const want = attention(q, k, v, o).output;

  it('no WebAssembly at all → JS kernel', () => {
    configureFlashKernel({ api: () => undefined });
    expect(flashKernelName(8, 8, 64, 64)).toBe('js');
    expect(maxAbsDiff(flashAttention(q, k, v, { ...o, blockQ: 3, blockK: 5 }).output, want)).toBeLessThan(1e-12);
  });

  it('WebAssembly without SIMD (validate rejects the module) → JS kernel', () => {
    const noSimd: WasmApi = { Module: realApi!.Module, Instance: realApi!.Instance, validate: () => false };
    configureFlashKernel({ api: () => noSimd });
    expect(flashKernelName(8, 8, 64, 64)).toBe('js');
    expect(maxAbsDiff(flashAttention(q, k, v, { ...o, blockQ: 3, blockK: 5 }).output, want)).toBeLessThan(1e-12);
  });

  it('SIMD without relaxed SIMD → the plain SIMD module', () => {
    const relaxedBytes = flashKernelBytes({ D: 8, Dv: 8, bq4: 4, bk4: 8 }, true).length;
    const noRelaxed: WasmApi = {
      Module: realApi!.Module,
      Instance: realApi!.Instance,
      // The relaxed module is the one containing the relaxed-madd opcode (0xfd 0x87 0x02).
      validate: (bytes) => !bytes.some((b, i) => b === 0xfd && bytes[i + 1] === 0x87 && bytes[i + 2] === 0x02) && realApi!.validate(bytes),
    };
    expect(relaxedBytes).toBeGreaterThan(0);
    configureFlashKernel({ api: () => noRelaxed });
    expect(flashKernelName(8, 8, 3, 5)).toBe('wasm-simd');
    expect(maxAbsDiff(flashAttention(q, k, v, { ...o, blockQ: 3, blockK: 5 }).output, want)).toBeLessThan(1e-12);
  });

  it('Dv not a multiple of 4, or trace: true → JS kernel', () => {
    expect(flashKernelName(8, 5, 64, 64)).toBe('js');
    expect(flashKernelName(8, 8, 64, 64)).toMatch(/^wasm/);
    const r = flashAttention(q, k, v, { ...o, blockQ: 4, blockK: 4, trace: true });
    expect(r.trace!.length).toBe(2 * 2 * 3 * 4);
    expect(maxAbsDiff(r.output, want)).toBeLessThan(1e-12);
  });
});
