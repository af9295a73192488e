import { describe, expect, it } from 'vitest';
import { attention, createRng, flashAttention, randomTensor, type AttentionOptions, type Tensor } from '../../src/engine/index.ts';
import { configureFlashKernel } from '../../src/engine/flash.ts';
import { maxAbsDiff } from './helpers.ts';

const rng = createRng(99);

/** A random case with every option switched by the flags. */
function makeCase(opts: { causal: boolean; mask: boolean; bias: boolean; softcap: boolean; past: boolean; gqa: boolean }, Tq: number, Tk: number) {
  const B = 2;
  const H = opts.gqa ? 4 : 2;
  const Hkv = 2;
  const P = opts.past ? 3 : 0;
  const q = randomTensor(rng, [B, H, Tq, 8], 1.5);
  const k = randomTensor(rng, [B, Hkv, Tk, 8], 1.5);
  const v = randomTensor(rng, [B, Hkv, Tk, 5]);
  const o: AttentionOptions = { causal: opts.causal };
  if (opts.mask) {
    const m = randomTensor(rng, [B, 1, Tq, P + Tk]);
    o.mask = { shape: m.shape, data: m.data.map((x) => (x > -0.8 ? 1 : 0)) };
  }
  if (opts.bias) o.bias = randomTensor(rng, [1, H, 1, P + Tk]);
  if (opts.softcap) o.softcap = 2;
  if (opts.past) {
    o.pastKey = randomTensor(rng, [B, Hkv, P, 8], 1.5);
    o.pastValue = randomTensor(rng, [B, Hkv, P, 5]);
  }
  return { q, k, v, o };
}

describe('flashAttention equals naive attention', () => {
  const flags = ['causal', 'mask', 'bias', 'softcap', 'past', 'gqa'] as const;
  // All 64 option combinations, each at several tile sizes including 1 and sizes that do not divide T.
  for (let bits = 0; bits < 1 << flags.length; bits++) {
    const on = Object.fromEntries(flags.map((f, n) => [f, (bits >> n) & 1 ? true : false])) as Record<(typeof flags)[number], boolean>;
    const label = flags.filter((f) => on[f]).join('+') || 'plain';
    it(`options: ${label}`, () => {
      const { q, k, v, o } = makeCase(on, 7, 10);
      const want = attention(q, k, v, o).output;
      for (const [blockQ, blockK] of [[1, 1], [2, 3], [3, 4], [7, 10], [5, 64], [64, 64], [1, 13]]) {
        const got = flashAttention(q, k, v, { ...o, blockQ, blockK }).output;
        expect(maxAbsDiff(got, want), `blocks ${blockQ}×${blockK}`).toBeLessThan(1e-12);
      }
    });
  }

  it('handles fully masked blocks and fully masked rows (zeros, no NaN)', () => {
    const q = randomTensor(rng, [1, 1, 6, 4]);
    const k = randomTensor(rng, [1, 1, 8, 4]);
    const v = randomTensor(rng, [1, 1, 8, 3]);
    // Keys 0..3 hidden for every row (a fully masked first block of 4), and row 5 fully hidden.
    const mask: Tensor = { shape: [6, 8], data: new Float64Array(48).map((_, n) => (n % 8 >= 4 && n < 40 ? 1 : 0)) };
    const want = attention(q, k, v, { mask }).output;
    const got = flashAttention(q, k, v, { mask, blockQ: 2, blockK: 4 });
    expect(maxAbsDiff(got.output, want)).toBeLessThan(1e-12);
    expect(Array.from(got.output.data.subarray(15, 18))).toEqual([0, 0, 0]);
    expect(got.output.data.some(Number.isNaN)).toBe(false);
  });

  it('larger sizes with default tiles (64×64) and T not a multiple of 64', () => {
    const q = randomTensor(rng, [1, 2, 150, 16]);
    const k = randomTensor(rng, [1, 1, 150, 16]);
    const v = randomTensor(rng, [1, 1, 150, 16]);
    expect(maxAbsDiff(flashAttention(q, k, v, { causal: true }).output, attention(q, k, v, { causal: true }).output)).toBeLessThan(1e-12);
  });
});

describe('flashAttention memory and trace', () => {
  it('allocates only tile scratch, independent of T (JS kernel)', () => {
    configureFlashKernel({ mode: 'js' });
    try {
      const scratch = (T: number) => {
        const x = randomTensor(rng, [1, 1, T, 8]);
        return flashAttention(x, x, x, { blockQ: 16, blockK: 32 }).scratchElements;
      };
      // qTile 16·8 + kTile 32·8 + vTile 32·8 + s 16·32 + m, ℓ, alpha 3·16
      expect(scratch(64)).toBe(16 * 8 + 32 * 8 + 32 * 8 + 16 * 32 + 3 * 16);
      expect(scratch(512)).toBe(scratch(64));
    } finally {
      configureFlashKernel({ mode: 'auto' });
    }
  });

  it('records each step with m, ℓ, rescale factors and partial O consistent with the final output', () => {
    const q = randomTensor(rng, [1, 1, 5, 4]);
    const k = randomTensor(rng, [1, 1, 5, 4]);
    const v = randomTensor(rng, [1, 1, 5, 2]);
    const r = flashAttention(q, k, v, { causal: true, blockQ: 2, blockK: 2, trace: true });
    const trace = r.trace!;
    expect(trace.length).toBe(3 * 3); // 3 query tiles × 3 key tiles
    const skipped = trace.filter((s) => s.skipped).map((s) => [s.qBlock, s.kBlock]);
    expect(skipped).toEqual([[0, 1], [0, 2], [1, 2]]);
    const ref = attention(q, k, v, { causal: true });
    for (const s of trace) {
      expect(s.rowEnd - s.rowStart).toBe(s.scores.length);
      s.rescale.forEach((a, r0) => {
        if (s.mBefore[r0] !== -Infinity) expect(a).toBeCloseTo(Math.exp(s.mBefore[r0] - s.mAfter[r0]), 14);
        expect(s.lAfter[r0]).toBeCloseTo(a * s.lBefore[r0] + s.p[r0].reduce((x, y) => x + y, 0), 13);
      });
      if (s.kBlock === 2) {
        // After the last key tile, O / ℓ is the exact output row.
        s.o.forEach((row, r0) => row.forEach((x, e) => expect(x / s.lAfter[r0]).toBeCloseTo(ref.output.data[(s.rowStart + r0) * 2 + e], 13)));
      }
    }
  });
});
