import { describe, expect, it } from 'vitest';
import {
  attention, createRng, linear, mergeHeads, multiHeadAttention, randomTensor, splitHeads, tensor, toNested,
} from '../../src/engine/index.ts';
import { expectClose, maxAbsDiff } from './helpers.ts';

const rng = createRng(8);

describe('multi-head pieces', () => {
  it('linear multiplies the last axis', () => {
    const y = linear(tensor([1, 2, 2], [1, 2, 3, 4]), tensor([2, 3], [1, 0, 1, 0, 1, 1]));
    expect(toNested(y)).toEqual([[[1, 2, 3], [3, 4, 7]]]);
  });

  it('splitHeads is a reshape and a transpose; mergeHeads inverts it', () => {
    // x[b, t, :] = [t·10 + 0, t·10 + 1, t·10 + 2, t·10 + 3] with h = 2 → head 1 holds columns 2..3.
    const x = tensor([1, 3, 4], [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    const s = splitHeads(x, 2);
    expect(s.shape).toEqual([1, 2, 3, 2]);
    expect(toNested(s)).toEqual([[[[0, 1], [10, 11], [20, 21]], [[2, 3], [12, 13], [22, 23]]]]);
    expectClose(mergeHeads(s), x, 0);
  });
});

describe('multiHeadAttention', () => {
  const dModel = 8;
  const x = randomTensor(rng, [2, 5, dModel]);
  const wq = randomTensor(rng, [dModel, 8], 0.5);
  const wk = randomTensor(rng, [dModel, 8], 0.5);
  const wv = randomTensor(rng, [dModel, 8], 0.5);
  const wo = randomTensor(rng, [8, dModel], 0.5);

  it('equals project → split → attention → merge → W_O', () => {
    const r = multiHeadAttention({ x, wq, wk, wv, wo, heads: 4, causal: true });
    const q = splitHeads(linear(x, wq), 4);
    const k = splitHeads(linear(x, wk), 4);
    const v = splitHeads(linear(x, wv), 4);
    const a = attention(q, k, v, { causal: true });
    expectClose(r.output, linear(mergeHeads(a.output), wo), 1e-14);
    expect(r.heads.shape).toEqual([2, 4, 5, 2]);
    expect(r.weights.shape).toEqual([2, 4, 5, 5]);
  });

  it('ablating a head zeroes its output before W_O', () => {
    const full = multiHeadAttention({ x, wq, wk, wv, wo, heads: 4 });
    const abl = multiHeadAttention({ x, wq, wk, wv, wo, heads: 4, ablateHeads: [1] });
    const heads = abl.heads;
    for (let b = 0; b < 2; b++) expect(heads.data.subarray((b * 4 + 1) * 10, (b * 4 + 2) * 10).every((e) => e === 0)).toBe(true);
    // Removing head 1's contribution by hand: output − merge(only head 1)·W_O.
    const only1 = { shape: full.heads.shape, data: full.heads.data.map((e, n) => (Math.floor(n / 10) % 4 === 1 ? e : 0)) };
    const want = linear(mergeHeads(only1), wo);
    const diff = { shape: full.output.shape, data: full.output.data.map((e, n) => e - abl.output.data[n]) };
    expectClose(diff, want, 1e-13);
  });

  it('GQA layer: kvHeads < heads shares K/V across query groups', () => {
    const wk2 = randomTensor(rng, [dModel, 4], 0.5);
    const wv2 = randomTensor(rng, [dModel, 4], 0.5);
    const r = multiHeadAttention({ x, wq, wk: wk2, wv: wv2, wo, heads: 4, kvHeads: 2 });
    expect(r.k.shape).toEqual([2, 2, 5, 2]);
    expect(r.output.shape).toEqual([2, 5, dModel]);
  });

  it('cross-attention takes keys and values from xKv', () => {
    const src = randomTensor(rng, [2, 7, dModel]);
    const r = multiHeadAttention({ x, xKv: src, wq, wk, wv, wo, heads: 2 });
    expect(r.weights.shape).toEqual([2, 2, 5, 7]);
    const self = multiHeadAttention({ x, wq, wk, wv, wo, heads: 2 });
    expect(maxAbsDiff(r.q, self.q)).toBe(0);
  });
});
