// The data modules of lessons 02–04: the facts their prose states hold for the engine's numbers.
import { describe, expect, it } from 'vitest';
import * as l2 from '../../src/lesson-data/02-formal-definitions';
import * as l3 from '../../src/lesson-data/03-core-mechanics';
import * as l4 from '../../src/lesson-data/04-multi-head-attention';

const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);

describe('lesson 02 data', () => {
  it('worked example 1 matches e/(2e+1) and friends', () => {
    const e = Math.E;
    expect(l2.we1Weights[1]).toBeCloseTo(1 / (2 * e + 1), 12);
    expect(l2.we1Output[0]).toBeCloseTo((15 * e) / (2 * e + 1), 12);
  });
  it('weights are row-stochastic, with and without a causal mask; columns are not', () => {
    for (const s of [...l2.sdpaRowSums, ...l2.causalRowSums]) expect(s).toBeCloseTo(1, 12);
    expect(l2.sdpaColSums.some((c) => Math.abs(c - 1) > 0.01)).toBe(true);
    expect(l2.causalSdpa.weights[0].slice(1)).toEqual([0, 0]);
  });
  it('worked example 3 and the mask-after-softmax bug', () => {
    expect(l2.we3Weights[1][2]).toBe(0);
    expect(l2.we3Weights[1][0]).toBeCloseTo(Math.exp(-3) / (1 + Math.exp(-3)), 12);
    expect(l2.maskAfter.sum).toBeLessThan(0.5);
  });
  it('mask broadcast shapes and masked weights', () => {
    expect(l2.padShape).toEqual([2, 1, 1, 3]);
    expect(l2.combinedShape).toEqual([2, 1, 3, 3]);
    expect(l2.maskedScoresShape).toEqual([2, 2, 3, 3]);
    for (const row of l2.maskedWeightsB1H0) expect(row[2]).toBe(0);
    expect(l2.maskedWeightsB1H0[0][1]).toBe(0);
  });
});

describe('lesson 03 data', () => {
  it('wrong-axis softmax: columns sum to one, rows do not', () => {
    for (const c of l3.colSoftColSums) expect(c).toBeCloseTo(1, 12);
    expect(l3.colSoftRowSums[1]).toBeGreaterThan(1.5);
  });
  it('entropy bounds and temperature monotonicity', () => {
    expect(l3.entropies.sharp).toBeLessThan(l3.entropies.medium);
    expect(l3.entropies.medium).toBeLessThan(l3.entropies.diffuse);
    expect(l3.entropies.uniform).toBeCloseTo(Math.log(4), 12);
    for (let i = 1; i < l3.tempEntropy.length; i++) expect(l3.tempEntropy[i]).toBeGreaterThan(l3.tempEntropy[i - 1]);
    l3.causalUniform.entropy.forEach((h, i) => expect(h).toBeCloseTo(Math.log(i + 1), 12));
  });
  it('sampled q·k variance tracks d_k unscaled and 1 scaled', () => {
    for (const s of l3.dotStats) {
      expect(s.varUnscaled / s.dk).toBeGreaterThan(0.85);
      expect(s.varUnscaled / s.dk).toBeLessThan(1.15);
      expect(s.varScaled).toBeCloseTo(s.varUnscaled / s.dk, 12);
    }
  });
  it('naive softmax overflows, the engine does not; a fully masked row is zeros', () => {
    expect(l3.bigNaive.weights.every(Number.isNaN)).toBe(true);
    expect(sum(l3.bigWeights)).toBeCloseTo(1, 12);
    expect(l3.maskedEngine).toEqual([0, 0, 0]);
    expect(l3.maskedOutput).toEqual([0, 0]);
  });
});

describe('lesson 04 data', () => {
  it('split/merge round trip and the wrong reshape', () => {
    expect(l4.mergedBack).toEqual(l4.countingQ);
    expect(l4.splitHeadsMats[1][0]).toEqual([2, 3]);
    expect(l4.wrongHeadsMats[0][1]).toEqual([2, 3]);
    expect(l4.wrongMaxDiff).toBeGreaterThan(0.1);
    expect(l4.headContribs.maxDiff).toBeLessThan(1e-12);
  });
  it('the weak head matters least; GQA equals MHA with repeated K/V; cache sizes', () => {
    const min = Math.min(...l4.ablation.map((a) => a.relChange));
    expect(l4.ablation[l4.ab.weakHead].relChange).toBe(min);
    expect(l4.gqa.maxDiff).toBeLessThan(1e-12);
    expect(l4.cacheRows.map((r) => r.bytes)).toEqual([2 ** 31, 2 ** 29, 2 ** 26]);
  });
});
