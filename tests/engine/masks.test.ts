import { describe, expect, it } from 'vitest';
import {
  alibiBias, attention, causalMask, combineMasks, createRng, maskToBias, paddingMask, promptBoundaryMask,
  randomTensor, segmentMask, slidingWindowMask, toNested,
} from '../../src/engine/index.ts';
import { expectClose } from './helpers.ts';

describe('masks', () => {
  it('causalMask is top-left without past and bottom-right with it', () => {
    expect(toNested(causalMask(2, 3))).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(toNested(causalMask(2, 4, { past: 2 }))).toEqual([[1, 1, 1, 0], [1, 1, 1, 1]]);
  });

  it('paddingMask has shape (B,1,1,Tk), right or left padded', () => {
    const m = paddingMask([3, 1], 4);
    expect(m.shape).toEqual([2, 1, 1, 4]);
    expect(toNested(m)).toEqual([[[[1, 1, 1, 0]]], [[[1, 0, 0, 0]]]]);
    expect(Array.from(paddingMask([1], 3, { side: 'left' }).data)).toEqual([0, 0, 1]);
  });

  it('segmentMask keeps tokens inside their document, optionally causal; negative ids are padding', () => {
    const m = segmentMask([[0, 0, 1, -1]], { causal: true });
    expect(m.shape).toEqual([1, 1, 4, 4]);
    expect(toNested(m)).toEqual([[[[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]]]);
  });

  it('slidingWindowMask keeps the last `window` keys up to the query position', () => {
    expect(toNested(slidingWindowMask(3, 3, 2))).toEqual([[1, 0, 0], [1, 1, 0], [0, 1, 1]]);
    expect(toNested(slidingWindowMask(1, 4, 2, { past: 3 }))).toEqual([[0, 0, 1, 1]]);
  });

  it('promptBoundaryMask applies the documented default rules', () => {
    const m = toNested(promptBoundaryMask(['system', 'user', 'tool', 'tool', 'assistant', 'pad'])) as number[][];
    expect(m[0]).toEqual([1, 0, 0, 0, 0, 0]); // system sees only system
    expect(m[1]).toEqual([1, 1, 0, 0, 0, 0]); // user sees earlier system and itself
    expect(m[3]).toEqual([1, 0, 1, 1, 0, 0]); // tool sees system and its own segment, not the user
    expect(m[4]).toEqual([1, 1, 1, 1, 1, 0]); // assistant sees every earlier non-pad token
    expect(m[5]).toEqual([0, 0, 0, 0, 0, 0]); // pad sees nothing
    expect(m.map((row) => row[5])).toEqual([0, 0, 0, 0, 0, 0]); // and is seen by nothing
    // Two separate tool segments do not see each other; rules can override.
    const two = toNested(promptBoundaryMask(['tool', 'user', 'tool'])) as number[][];
    expect(two[2]).toEqual([0, 0, 1]);
    const open = toNested(promptBoundaryMask(['tool', 'user', 'tool'], { isolate: [], sees: { tool: ['tool', 'user'] } })) as number[][];
    expect(open[2]).toEqual([1, 1, 1]);
    expect(toNested(promptBoundaryMask(['user', 'user'], { causal: false }))).toEqual([[1, 1], [1, 1]]);
  });

  it('combineMasks is a broadcasting AND, maskToBias gives 0/−∞', () => {
    const m = combineMasks(causalMask(3, 3), paddingMask([2, 3], 3));
    expect(m.shape).toEqual([2, 1, 3, 3]);
    expect(toNested(m)).toEqual([[[[1, 0, 0], [1, 1, 0], [1, 1, 0]]], [[[1, 0, 0], [1, 1, 0], [1, 1, 1]]]]);
    expect(Array.from(maskToBias(causalMask(2, 2)).data)).toEqual([0, -Infinity, 0, 0]);
    expect(() => combineMasks(causalMask(2, 3), causalMask(3, 3))).toThrow('combineMasks: shapes (2,3), (3,3) do not broadcast together');
  });

  it('a keep-mask and its maskToBias bias give identical attention', () => {
    const rng = createRng(5);
    const q = randomTensor(rng, [2, 2, 4, 3]);
    const mask = combineMasks(causalMask(4, 4), paddingMask([4, 2], 4)); // (2, 1, 4, 4)
    const viaMask = attention(q, q, q, { mask, bias: alibiBias(2, 4, 4) });
    const viaBias = attention(q, q, q, { bias: combineBias(maskToBias(mask), alibiBias(2, 4, 4)) });
    expectClose(viaMask.output, viaBias.output, 1e-15);
    expectClose(viaMask.weights, viaBias.weights, 1e-15);
  });
});

/** Sum of a (2,1,4,4) and a (1,2,4,4) bias → (2,2,4,4), written out for the test. */
function combineBias(a: { data: Float64Array }, b: { data: Float64Array }) {
  const data = new Float64Array(2 * 2 * 16);
  for (let bb = 0; bb < 2; bb++) for (let h = 0; h < 2; h++) for (let n = 0; n < 16; n++) data[(bb * 2 + h) * 16 + n] = a.data[bb * 16 + n] + b.data[h * 16 + n];
  return { shape: [2, 2, 4, 4], data };
}
