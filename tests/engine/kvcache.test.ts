import { describe, expect, it } from 'vitest';
import {
  attention, attentionCost, createKVCache, createRng, decodeStep, kvCacheBytes, randomTensor, KVCache,
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
});
