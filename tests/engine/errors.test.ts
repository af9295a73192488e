import { describe, expect, it } from 'vitest';
import { attention, flashAttention, multiHeadAttention, splitHeads, tensor, zeros } from '../../src/engine/index.ts';

const q = zeros([1, 8, 16, 64]);

describe('bad input throws errors naming tensors and shapes', () => {
  it('D mismatch', () => {
    expect(() => attention(q, zeros([1, 2, 16, 32]), zeros([1, 2, 16, 32]))).toThrow(
      'attention: k has D=32 but q has D=64 (q (1,8,16,64), k (1,2,16,32))',
    );
  });

  it('H not a multiple of Hkv', () => {
    expect(() => attention(q, zeros([1, 3, 16, 64]), zeros([1, 3, 16, 64]))).toThrow(
      "attention: q has H=8 heads, which is not a multiple of k's Hkv=3 (q (1,8,16,64), k (1,3,16,64))",
    );
  });

  it('k and v disagree', () => {
    expect(() => attention(q, zeros([1, 2, 16, 64]), zeros([1, 2, 15, 64]))).toThrow(
      'attention: v has Tk=15 but k has Tk=16 (k (1,2,16,64), v (1,2,15,64))',
    );
  });

  it('wrong rank', () => {
    expect(() => attention(zeros([8, 16, 64]), zeros([1, 2, 16, 64]), zeros([1, 2, 16, 64]))).toThrow(
      'attention: q must have rank 4 (B, H, Tq, D) but has shape (8,16,64)',
    );
  });

  it('mask or bias not broadcastable to (B,H,Tq,Tk_total)', () => {
    const k = zeros([1, 2, 16, 64]);
    expect(() => attention(q, k, k, { mask: zeros([16, 15]) })).toThrow(
      'attention: mask shape (16,15) is not broadcastable to (B,H,Tq,Tk_total) (1,8,16,16)',
    );
    const past = zeros([1, 2, 4, 64]);
    expect(() => flashAttention(q, k, k, { bias: zeros([1, 1, 16, 16]), pastKey: past, pastValue: past })).toThrow(
      'flashAttention: bias shape (1,1,16,16) is not broadcastable to (B,H,Tq,Tk_total) (1,8,16,20)',
    );
  });

  it('NaN inputs', () => {
    const bad = zeros([1, 1, 2, 4]);
    bad.data[5] = NaN;
    expect(() => attention(bad, zeros([1, 1, 2, 4]), zeros([1, 1, 2, 4]))).toThrow('attention: q contains NaN at flat index 5 (q (1,1,2,4))');
    const bias = zeros([2, 2]);
    bias.data[0] = -Infinity; // allowed
    bias.data[1] = Infinity; // not allowed
    expect(() => attention(zeros([1, 1, 2, 4]), zeros([1, 1, 2, 4]), zeros([1, 1, 2, 4]), { bias })).toThrow(
      'attention: bias contains Infinity at flat index 1 (bias (2,2))',
    );
  });

  it('data length differs from the product of the shape', () => {
    const broken = { shape: [1, 1, 2, 4], data: new Float64Array(7) };
    expect(() => attention(broken, broken, broken)).toThrow('attention: q has data length 7 but its shape (1,1,2,4) needs 8');
    expect(() => tensor([2, 2], [1, 2, 3])).toThrow('tensor: data has length 3 but shape (2,2) needs 4');
  });

  it('past cache shapes', () => {
    const k = zeros([1, 2, 16, 64]);
    expect(() => attention(q, k, k, { pastKey: zeros([1, 2, 4, 32]), pastValue: zeros([1, 2, 4, 64]) })).toThrow(
      'attention: pastKey must have shape (B,Hkv,P,D) = (1,2,4,64) but has (1,2,4,32) (k (1,2,16,64))',
    );
    expect(() => attention(q, k, k, { pastKey: zeros([1, 2, 4, 64]) })).toThrow('attention: pastKey and pastValue must be given together (got only pastKey)');
  });

  it('layer shapes', () => {
    expect(() => splitHeads(zeros([1, 4, 10]), 3)).toThrow('splitHeads: d_model=10 is not divisible by h=3 (x (1,4,10))');
    const w = zeros([8, 8]);
    expect(() => multiHeadAttention({ x: zeros([1, 3, 8]), wq: w, wk: zeros([8, 6]), wv: w, wo: w, heads: 4 })).toThrow(
      'multiHeadAttention: wk must have kvHeads·d_h = 8 columns but has 6 (wq (8,8), wk (8,6))',
    );
  });
});
