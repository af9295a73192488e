import { describe, expect, it } from 'vitest';
import {
  attention, attention2d, causalMask, createRng, fromNested, matmul, randomTensor, softmax, tensor, transpose,
  type Tensor,
} from '../../src/engine/index.ts';
import { at4, expectClose, maxAbsDiff } from './helpers.ts';

const rng = createRng(2024);

/** A direct textbook computation for one head: softmax(Q Kᵀ · scale + bias) V. */
function textbook(Q: number[][], K: number[][], V: number[][], scale: number, bias?: number[][]): number[][] {
  const S = matmul(Q, transpose(K)).map((row, i) => row.map((s, j) => s * scale + (bias ? bias[i][j] : 0)));
  return matmul(S.map(softmax), V);
}

describe('softmax', () => {
  it('is stable, sums to 1 and maps an all −∞ row to zeros', () => {
    const w = softmax([1000, 1001, 999]);
    expect(w.reduce((a, b) => a + b)).toBeCloseTo(1, 14);
    expect(w.every(Number.isFinite)).toBe(true);
    expect(softmax([-Infinity, -Infinity])).toEqual([0, 0]);
    expect(softmax([0, -Infinity])).toEqual([1, 0]);
  });
});

describe('attention properties', () => {
  const q = randomTensor(rng, [2, 4, 6, 8]);
  const k = randomTensor(rng, [2, 4, 9, 8]);
  const v = randomTensor(rng, [2, 4, 9, 5]);
  const mask = tensor([2, 1, 1, 9], [1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0]);

  it('matches the textbook formula per head', () => {
    const r = attention(q, k, v);
    const head = (t: Tensor, b: number, h: number) => {
      const [, H, T, D] = t.shape;
      return Array.from({ length: T }, (_, i) => Array.from(t.data.subarray(((b * H + h) * T + i) * D, ((b * H + h) * T + i + 1) * D)));
    };
    const want = textbook(head(q, 1, 2), head(k, 1, 2), head(v, 1, 2), 1 / Math.sqrt(8));
    const got = head(r.output, 1, 2);
    for (let i = 0; i < 6; i++) for (let e = 0; e < 5; e++) expect(got[i][e]).toBeCloseTo(want[i][e], 12);
    expect(r.output.shape).toEqual([2, 4, 6, 5]);
    expect(r.weights.shape).toEqual([2, 4, 6, 9]);
    expect(r.presentKey.shape).toEqual([2, 4, 9, 8]);
  });

  it('rows sum to 1 over visible keys and masked weights are exactly 0', () => {
    const r = attention(q, k, v, { mask });
    for (let b = 0; b < 2; b++) {
      for (let h = 0; h < 4; h++) {
        for (let i = 0; i < 6; i++) {
          let sum = 0;
          for (let j = 0; j < 9; j++) {
            const w = at4(r.weights, b, h, i, j);
            if (mask.data[b * 9 + j] === 0) {
              expect(w).toBe(0);
              expect(at4(r.scores, b, h, i, j)).toBe(-Infinity);
            }
            sum += w;
          }
          expect(sum).toBeCloseTo(1, 13);
        }
      }
    }
  });

  it('causal upper triangle is exactly 0', () => {
    const qs = randomTensor(rng, [1, 2, 7, 4]);
    const r = attention(qs, qs, qs, { causal: true });
    for (let h = 0; h < 2; h++) {
      for (let i = 0; i < 7; i++) for (let j = i + 1; j < 7; j++) expect(at4(r.weights, 0, h, i, j)).toBe(0);
    }
  });

  it('adding a constant to a row of logits changes nothing', () => {
    const shift = randomTensor(rng, [2, 4, 6, 1], 50); // one constant per row, broadcast over keys
    const a = attention(q, k, v, { mask });
    const b = attention(q, k, v, { mask, bias: shift });
    expectClose(a.weights, b.weights, 1e-12);
    expectClose(a.output, b.output, 1e-12);
  });

  it('causal with mask and bias equals attention with the equivalent combined bias', () => {
    const bias = randomTensor(rng, [6, 9]);
    const a = attention(q, k, v, { causal: true, mask, bias });
    const causal = causalMask(6, 9).data;
    const combined = new Float64Array(2 * 6 * 9);
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 9; j++) {
          const keep = causal[i * 9 + j] !== 0 && mask.data[b * 9 + j] !== 0;
          combined[(b * 6 + i) * 9 + j] = keep ? bias.data[i * 9 + j] : -Infinity;
        }
      }
    }
    const b2 = attention(q, k, v, { bias: { shape: [2, 1, 6, 9], data: combined } });
    expectClose(a.output, b2.output, 1e-12);
  });

  it('softcap applies c·tanh(s/c) to the scaled logits before the bias', () => {
    const bias = randomTensor(rng, [1, 4, 6, 9]);
    const r = attention(q, k, v, { softcap: 1.5, bias, scale: 0.7 });
    const plain = attention(q, k, v, { scale: 0.7 });
    for (let j = 0; j < 9; j++) {
      const s = at4(plain.scores, 1, 3, 2, j);
      expect(at4(r.scores, 1, 3, 2, j)).toBeCloseTo(1.5 * Math.tanh(s / 1.5) + at4(bias, 0, 3, 2, j), 13);
    }
  });

  it('GQA equals MHA with repeated K/V', () => {
    const qg = randomTensor(rng, [2, 6, 5, 4]);
    const kg = randomTensor(rng, [2, 2, 7, 4]);
    const vg = randomTensor(rng, [2, 2, 7, 3]);
    const repeat = (t: Tensor, times: number): Tensor => {
      const [B, G, T, D] = t.shape;
      const data = new Float64Array(B * G * times * T * D);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < G * times; h++) {
          const g = Math.floor(h / times);
          data.set(t.data.subarray((b * G + g) * T * D, (b * G + g + 1) * T * D), (b * G * times + h) * T * D);
        }
      }
      return { shape: [B, G * times, T, D], data };
    };
    const gqa = attention(qg, kg, vg, { causal: true });
    const mha = attention(qg, repeat(kg, 3), repeat(vg, 3), { causal: true });
    expect(maxAbsDiff(gqa.output, mha.output)).toBe(0);
    // MQA: one kv head shared by all six query heads.
    const k1 = randomTensor(rng, [2, 1, 7, 4]);
    const v1 = randomTensor(rng, [2, 1, 7, 3]);
    const mqa = attention(qg, k1, v1);
    expect(maxAbsDiff(mqa.output, attention(qg, repeat(k1, 6), repeat(v1, 6)).output)).toBe(0);
    expect(mqa.output.shape).toEqual([2, 6, 5, 3]);
  });
});

describe('attention named edge cases', () => {
  it('logits around ±1e4 (overflow) stay finite and exact', () => {
    const Q = [[1e4, 0], [-1e4, 0]];
    const K = [[1, 0], [1.0001, 0], [-1, 0]];
    const V = [[1, 0], [0, 1], [5, 5]];
    const r = attention2d(Q, K, V, { scale: 1 });
    for (const row of r.weights) expect(row.every(Number.isFinite)).toBe(true);
    // Row 0: logits 1e4, 1.0001e4, −1e4 → the middle key wins by 1 nat.
    const e = Math.exp(-1);
    expect(r.weights[0][1]).toBeCloseTo(1 / (1 + e), 12);
    expect(r.weights[0][0]).toBeCloseTo(e / (1 + e), 12);
    expect(r.weights[0][2]).toBe(0); // exp(−2e4) underflows to exactly 0
    expect(r.weights[1]).toEqual([0, 0, 1]);
    expect(r.output[1]).toEqual([5, 5]);
  });

  it('fully masked row gives zero weights and zero output, never NaN', () => {
    const Q = [[1, 2], [3, 4]];
    const r = attention2d(Q, Q, [[1, 1], [2, 2]], { mask: [[1, 0], [0, 0]] });
    expect(r.weights[1]).toEqual([0, 0]);
    expect(r.output[1]).toEqual([0, 0]);
    expect(r.scores[1]).toEqual([-Infinity, -Infinity]);
    const viaBias = attention2d(Q, Q, [[1, 1], [2, 2]], { bias: [[0, 0], [-Infinity, -Infinity]] });
    expect(viaBias.output[1]).toEqual([0, 0]);
  });

  it('T = 1 returns the single value row with weight 1', () => {
    const r = attention2d([[0.3, -2]], [[5, 1]], [[7, 8, 9]], { causal: true });
    expect(r.weights).toEqual([[1]]);
    expect(r.output).toEqual([[7, 8, 9]]);
  });

  it('Tq ≠ Tk causal without a cache is top-left aligned (j ≤ i)', () => {
    const q = randomTensor(rng, [1, 1, 3, 4]);
    const k = randomTensor(rng, [1, 1, 5, 4]);
    const v = randomTensor(rng, [1, 1, 5, 2]);
    const r = attention(q, k, v, { causal: true });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) expect(at4(r.weights, 0, 0, i, j) > 0).toBe(j <= i);
    expectClose(r.output, attention(q, k, v, { mask: causalMask(3, 5) }).output, 0);
  });

  it('Tq ≠ Tk causal with a cache is bottom-right aligned (j ≤ i + past)', () => {
    const q = randomTensor(rng, [1, 2, 3, 4]);
    const k = randomTensor(rng, [1, 2, 3, 4]);
    const v = randomTensor(rng, [1, 2, 3, 2]);
    const pastKey = randomTensor(rng, [1, 2, 4, 4]);
    const pastValue = randomTensor(rng, [1, 2, 4, 2]);
    const r = attention(q, k, v, { causal: true, pastKey, pastValue });
    expect(r.weights.shape).toEqual([1, 2, 3, 7]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 7; j++) expect(at4(r.weights, 0, 1, i, j) > 0).toBe(j <= i + 4);
    const full = attention(q, r.presentKey, r.presentValue, { mask: causalMask(3, 7, { past: 4 }) });
    expectClose(r.output, full.output, 0);
  });
});

describe('attention2d', () => {
  it('agrees with the textbook formula with a bias', () => {
    const Q = [[1, 0, 2], [0, 1, -1]];
    const K = [[1, 1, 0], [0, 2, 1], [3, 0, 0]];
    const V = [[1, 2], [3, 4], [5, 6]];
    const bias = [[0, -1, -2], [0, 0, -Infinity]];
    const r = attention2d(Q, K, V, { bias });
    const want = textbook(Q, K, V, 1 / Math.sqrt(3), bias);
    r.output.forEach((row, i) => row.forEach((x, e) => expect(x).toBeCloseTo(want[i][e], 13)));
    expect(fromNested(r.weights).shape).toEqual([2, 3]);
  });
});
