import { describe, expect, it } from 'vitest';
import {
  attention, causalMask, createRng, headEntropy, leakageProbe, paddingMask, randomTensor, rowEntropy, tensor,
  type Tensor,
} from '../../src/engine/index.ts';

describe('entropy', () => {
  it('rowEntropy uses natural log with 0·ln0 = 0 and reduces the last axis', () => {
    const e = rowEntropy(tensor([3, 4], [1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25, 0.5, 0.5, 0, 0]));
    expect(e.shape).toEqual([3]);
    expect(e.data[0]).toBe(0);
    expect(e.data[1]).toBeCloseTo(Math.log(4), 15);
    expect(e.data[2]).toBeCloseTo(Math.log(2), 15);
  });

  it('headEntropy averages rows per head, skipping fully masked rows', () => {
    const w = tensor([1, 2, 2, 2], [1, 0, 0.5, 0.5, 0.5, 0.5, 0, 0]);
    expect(Array.from(headEntropy(w).data)).toEqual([Math.log(2) / 2, Math.log(2)]);
  });
});

describe('leakageProbe', () => {
  const rng = createRng(4);
  const x = randomTensor(rng, [1, 1, 6, 4]);
  const run = (mask: Tensor) => (inp: Record<string, Tensor>) => attention(inp.x, inp.x, inp.x, { mask }).output;

  it('a causal mask leaks nothing from future tokens to earlier outputs', () => {
    const r = leakageProbe(run(causalMask(6, 6)), { x }, { perturb: { x: [4, 5] }, observe: [0, 1, 2, 3] });
    expect(r.ok).toBe(true);
    expect(r.changed).toEqual([4, 5]);
    expect(r.maxAbsChange.slice(0, 4)).toEqual([0, 0, 0, 0]);
  });

  it('catches an off-by-one causal mask (j ≤ i + 1)', () => {
    const leaky = causalMask(6, 6, { past: 1 });
    const r = leakageProbe(run(leaky), { x }, { perturb: { x: [4, 5] }, observe: [0, 1, 2, 3] });
    expect(r.ok).toBe(false);
    expect(r.leaked).toEqual([3]);
  });

  it('padded keys do not change real tokens when a padding mask is used', () => {
    const f = (inp: Record<string, Tensor>) => attention(x, inp.k, inp.k, { mask: paddingMask([4], 6) }).output;
    expect(leakageProbe(f, { k: x }, { perturb: { k: [4, 5] } }).ok).toBe(true);
    const noMask = (inp: Record<string, Tensor>) => attention(x, inp.k, inp.k).output;
    expect(leakageProbe(noMask, { k: x }, { perturb: { k: [4, 5] } }).leaked).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('names bad perturbation requests', () => {
    expect(() => leakageProbe(run(causalMask(6, 6)), { x }, { perturb: { x: [6] } })).toThrow(
      'leakageProbe: perturb.x has position 6 outside [0, 6) (x (1,1,6,4))',
    );
  });
});
