import { describe, expect, it } from 'vitest';
import { alibiBias, alibiSlopes, applyRope, createRng, randomTensor, ropeFrequencies } from '../../src/engine/index.ts';

/**
 * Press et al.'s rule in closed form, written independently of the engine: with n = 2^⌊log2 h⌋,
 * slope r (1-based) is 2^(−8r/n) for r ≤ n, and the remaining h − n slopes are the odd-indexed
 * (1st, 3rd, …) slopes of the 2n-head sequence, 2^(−8(2m−1)/(2n)) = 2^(−4(2m−1)/n), m = 1..h−n.
 */
function publishedSlopes(h: number): number[] {
  let n = 1;
  while (n * 2 <= h) n *= 2;
  const out: number[] = [];
  for (let r = 1; r <= n; r++) out.push(Math.pow(0.5, (8 * r) / n));
  for (let m = 1; m <= h - n; m++) out.push(Math.pow(0.5, (4 * (2 * m - 1)) / n));
  return out;
}

describe('ALiBi', () => {
  it('slopes for 1..16 heads match the published rule', () => {
    for (let h = 1; h <= 16; h++) {
      const got = alibiSlopes(h);
      const want = publishedSlopes(h);
      expect(got.length).toBe(h);
      got.forEach((s, i) => expect(s).toBeCloseTo(want[i], 15));
    }
    expect(alibiSlopes(8)).toEqual([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]);
  });

  it('bias is −slope·((i + past) − j), with shape (1, h, Tq, Tk)', () => {
    const b = alibiBias(2, 2, 5, { past: 3 });
    expect(b.shape).toEqual([1, 2, 2, 5]);
    const slope = alibiSlopes(2)[1];
    expect(b.data[(1 * 2 + 1) * 5 + 0]).toBeCloseTo(-slope * 4, 15); // head 1, i=1: (1+3) − 0
    expect(b.data[(1 * 2 + 1) * 5 + 4]).toBe(-0); // diagonal j = i + past
  });
});

describe('RoPE', () => {
  it('frequencies are base^(−2i/d)', () => {
    expect(ropeFrequencies(4, 100)).toEqual([1, 0.1]);
  });

  it('rotates interleaved pairs and preserves norms', () => {
    const x = { shape: [1, 2], data: Float64Array.from([1, 0]) };
    const r = applyRope(x, [Math.PI / 2], 10000); // θ_0 = 1, angle π/2
    expect(r.data[0]).toBeCloseTo(0, 15);
    expect(r.data[1]).toBeCloseTo(1, 15);
  });

  it('q·k after RoPE depends only on the relative offset', () => {
    const rng = createRng(3);
    const q = randomTensor(rng, [1, 8]);
    const k = randomTensor(rng, [1, 8]);
    const dot = (pq: number, pk: number) => {
      const a = applyRope(q, [pq]).data;
      const b = applyRope(k, [pk]).data;
      return a.reduce((s, x, i) => s + x * b[i], 0);
    };
    expect(dot(7, 3)).toBeCloseTo(dot(104, 100), 10);
    expect(dot(7, 3)).not.toBeCloseTo(dot(7, 5), 3);
  });
});
