import { describe, expect, it } from 'vitest';
import {
  attention, attentionCost, createKVCache, createRng, decodeStep, flashAttention, kvCacheBytes, largestTile, randomTensor,
  tiledOnChipBytes, KVCache, type AttentionCostInput,
} from '../../src/engine/index.ts';
import { expectClose, sliceRows } from './helpers.ts';

describe('KV cache', () => {
  it('decode with a cache equals the matching rows of full causal attention', () => {
    const rng = createRng(11);
    const T = 9;
    const prompt = 4;
    const q = randomTensor(rng, [2, 4, T, 8]);
    const k = randomTensor(rng, [2, 2, T, 8]);
    const v = randomTensor(rng, [2, 2, T, 6]);
    const full = attention(q, k, v, { causal: true }).output;
    const cache = createKVCache();
    const pre = decodeStep(sliceRows(q, 0, prompt), sliceRows(k, 0, prompt), sliceRows(v, 0, prompt), cache);
    expectClose(pre.output, sliceRows(full, 0, prompt), 1e-14);
    for (let t = prompt; t < T; t++) {
      const step = decodeStep(sliceRows(q, t, t + 1), sliceRows(k, t, t + 1), sliceRows(v, t, t + 1), cache);
      expectClose(step.output, sliceRows(full, t, t + 1), 1e-14);
      expect(cache.length).toBe(t + 1);
    }
    expectClose(cache.key, k, 0);
    expectClose(cache.value, v, 0);
  });

  it('prefill replaces and append concatenates along the sequence axis', () => {
    const rng = createRng(1);
    const c = new KVCache();
    expect(c.length).toBe(0);
    expect(() => c.key).toThrow('KVCache: the cache is empty; call prefill(k, v) or append(k, v) first');
    const k = randomTensor(rng, [1, 2, 3, 4]);
    c.prefill(k, k);
    c.append(sliceRows(k, 0, 1), sliceRows(k, 0, 1));
    expect(c.key.shape).toEqual([1, 2, 4, 4]);
    expect(() => c.append(randomTensor(rng, [1, 3, 1, 4]), randomTensor(rng, [1, 3, 1, 4]))).toThrow(
      'KVCache.append: k (1,3,1,4) does not match the cached keys (1,2,4,4) in B, Hkv or D',
    );
  });

  it('kvCacheBytes follows 2·layers·B·T·h_kv·d_h·bytes (32 layers, 32 heads, 128, 4096, fp16 = 2 GiB)', () => {
    expect(kvCacheBytes({ layers: 32, batch: 1, seqLen: 4096, kvHeads: 32, headDim: 128, bytesPerElement: 2 })).toBe(2 * 1024 ** 3);
    expect(kvCacheBytes({ layers: 32, batch: 1, seqLen: 4096, kvHeads: 8, headDim: 128, bytesPerElement: 2 })).toBe(512 * 1024 ** 2);
  });

  it('attentionCost: prefill is compute-bound, decode with a cache is memory-bound, decode without recomputes', () => {
    const base = { batch: 1, heads: 32, kvHeads: 8, seqLen: 4096, headDim: 128, layers: 32, bytesPerElement: 2 };
    const prefill = attentionCost({ ...base, phase: 'prefill', cache: true });
    const decode = attentionCost({ ...base, phase: 'decode', cache: true });
    const noCache = attentionCost({ ...base, phase: 'decode', cache: false });
    expect(prefill.flops).toBe(4 * 32 * 4096 ** 2 * 128 * 32);
    expect(decode.flops).toBe(4 * 32 * 4096 * 128 * 32);
    expect(noCache.flops).toBe(prefill.flops);
    // Decode reads the whole cache: 2·L·T·h_kv·d·b plus q.
    expect(decode.bytesRead).toBe(kvCacheBytes({ ...base }) + 32 * 32 * 128 * 2);
    expect(prefill.arithmeticIntensity).toBeGreaterThan(100 * decode.arithmeticIntensity);
    expect(decode.arithmeticIntensity).toBeLessThan(5);
    expect(prefill.arithmeticIntensity).toBeCloseTo(prefill.flops / (prefill.bytesRead + prefill.bytesWritten), 10);
  });

  describe('attentionCost kernels: main-memory traffic of standard, tiled and minimal attention', () => {
    const layer: AttentionCostInput = { phase: 'prefill', batch: 1, heads: 32, kvHeads: 32, seqLen: 4096, headDim: 128, layers: 1, bytesPerElement: 2, cache: false };
    const tiled = (onChipBytes: number, blockQ: number, blockK = blockQ) => ({ kind: 'tiled' as const, onChipBytes, blockQ, blockK });

    /** Counts element transfers by walking the tiled loops, independently of the closed form. */
    function walkTiled(T: number, d: number, heads: number, kvHeads: number, blockQ: number, blockK: number) {
      let read = 0;
      let written = 0;
      const rows = T * (heads / kvHeads); // a query tile packs the positions of the heads sharing one K/V head
      for (let g = 0; g < kvHeads; g++) {
        for (let i0 = 0; i0 < rows; i0 += blockQ) {
          const nr = Math.min(blockQ, rows - i0);
          read += nr * d; // Q tile, loaded once
          for (let j0 = 0; j0 < T; j0 += blockK) read += 2 * Math.min(blockK, T - j0) * d; // K and V tiles stream past
          written += nr * d; // O tile, written once
        }
      }
      return { read, written };
    }

    it('tiled traffic equals a walk over the loops, with K and V read once per query tile (tiles not dividing T too)', () => {
      for (const [T, d, H, Hkv, bq, bk] of [[4096, 128, 32, 32, 128, 128], [1000, 64, 8, 2, 96, 80], [37, 16, 4, 4, 8, 5]]) {
        const c = attentionCost({ ...layer, seqLen: T, headDim: d, heads: H, kvHeads: Hkv, kernel: tiled(1 << 30, bq, bk) });
        const walk = walkTiled(T, d, H, Hkv, bq, bk);
        expect(c.bytesRead).toBe(walk.read * 2);
        expect(c.bytesWritten).toBe(walk.written * 2);
        expect(c.kvPasses).toBe(Math.ceil((T * H) / Hkv / bq));
      }
    });

    it("the model's passes match the engine's flashAttention loop: K/V rows it touches = kvPasses · T_k", () => {
      const rng = createRng(7);
      const [T, d, bq, bk] = [40, 8, 12, 16];
      const [q, k, v] = [0, 1, 2].map(() => randomTensor(rng, [1, 1, T, d]));
      const run = flashAttention(q, k, v, { blockQ: bq, blockK: bk, trace: true });
      const kvRows = (run.trace ?? []).reduce((a, s) => a + (s.colEnd - s.colStart), 0);
      const c = attentionCost({ ...layer, heads: 1, kvHeads: 1, seqLen: T, headDim: d, kernel: tiled(1 << 20, bq, bk) });
      expect(kvRows).toBe(c.kvPasses * T);
    });

    it('standard attention adds four T×T passes (write S, read S, write A, read A): Θ(Td + T²)', () => {
      const min = attentionCost(layer);
      const std = attentionCost({ ...layer, kernel: { kind: 'standard' } });
      const matrix = 32 * 4096 * 4096 * 2;
      expect(std.bytesRead + std.bytesWritten - (min.bytesRead + min.bytesWritten)).toBe(4 * matrix);
      expect(std.flops).toBe(min.flops);
    });

    it('traffic falls like 1/M: doubling on-chip memory about doubles the largest tile and halves the K/V re-reads', () => {
      const kvTraffic = (M: number) => {
        const c = attentionCost({ ...layer, kernel: tiled(M, largestTile(M, 128, 2)) });
        return c.bytesRead - 32 * 4096 * 128 * 2; // minus the one read of Q
      };
      expect(largestTile(192 * 1024, 128, 2)).toBe(144); // (4·144·128 + 144² + 2·144)·2 = 189504 ≤ 196608
      expect(largestTile(192 * 1024, 128, 2, 128)).toBe(128);
      expect(tiledOnChipBytes(160, 160, 128, 2)).toBeGreaterThan(192 * 1024);
      for (const M of [96, 192, 384].map((k) => k * 1024)) {
        const r = kvTraffic(2 * M) / kvTraffic(M);
        expect(r).toBeGreaterThan(0.45);
        expect(r).toBeLessThan(0.7); // the B_q·B_k score tile makes the tile grow a little slower than M
      }
    });

    it('a tile covering every query row reads K and V once: the minimal count, Θ(Td), needs M to hold Θ(Td)', () => {
      const T = 256;
      const need = tiledOnChipBytes(T, 64, 64, 2);
      const one = attentionCost({ ...layer, seqLen: T, headDim: 64, heads: 1, kvHeads: 1, kernel: tiled(need, T, 64) });
      const min = attentionCost({ ...layer, seqLen: T, headDim: 64, heads: 1, kvHeads: 1 });
      expect(one.kvPasses).toBe(1);
      expect(one.bytesRead).toBe(min.bytesRead);
      expect(need).toBeGreaterThan(2 * T * 64 * 2); // on-chip memory bigger than a whole head's Q and O
    });

    it('decode with a cache reads the cache once for a packed GQA group; the kernel does not change FLOPs', () => {
      const step = { ...layer, phase: 'decode' as const, cache: true, kvHeads: 8 };
      const a = attentionCost(step);
      const b = attentionCost({ ...step, kernel: tiled(192 * 1024, 64) });
      expect(b.kvPasses).toBe(1);
      expect(b.bytesRead).toBe(a.bytesRead);
      expect(b.flops).toBe(a.flops);
    });

    it('rejects tiles that do not fit on chip and unknown kernels, with the sizes in the message', () => {
      expect(() => attentionCost({ ...layer, kernel: tiled(64 * 1024, 128) })).toThrow(/128×128 with d_h=128 need 164352 bytes/);
      expect(() => attentionCost({ ...layer, kernel: tiled(1 << 20, 0) })).toThrow(/blockQ must be an integer ≥ 1/);
      expect(() => attentionCost({ ...layer, kernel: { kind: 'flash' } as never })).toThrow(/kernel.kind/);
    });
  });
});
