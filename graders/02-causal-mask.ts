// Grader for exercise 02: the causal mask (bottom-right aligned when Tq < Tk), masked softmax, causal attention.
import { attention, attention2d, causalMask, createRng, softmax, toNested, zeros, type Tensor } from '../src/engine/index';
import rawMeta from '../exercises/02-causal-mask/meta.json';
import * as causalOffByOne from '../exercises/02-causal-mask/mistakes/causal-off-by-one';
import * as causalTopLeft from '../exercises/02-causal-mask/mistakes/causal-top-left';
import * as futureScoreZero from '../exercises/02-causal-mask/mistakes/future-score-zero';
import * as maskAfterSoftmax from '../exercises/02-causal-mask/mistakes/mask-after-softmax';
import * as maskTransposed from '../exercises/02-causal-mask/mistakes/mask-transposed';
import { count, dim, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/02-causal-mask');

/** The engine's keep-mask (1 visible, 0 hidden) for queries that are the last Tq of Tk positions. */
function keep(Tq: number, Tk: number): number[][] {
  return toNested(causalMask(Tq, Tk, { past: Tk - Tq })) as number[][];
}
/** true where a key is hidden from a query: those entries must hold their hidden value exactly. */
const hiddenOf = (k: number[][]) => k.map((row) => row.map((v) => v === 0));
/** The additive mask the learner returns, derived from the engine's keep-mask. */
const additive = (k: number[][]) => k.map((row) => row.map((v) => (v ? 0 : -Infinity)));

function shapesCase(B: number, H: number, Tq: number, Tk: number): Case {
  // Shapes come from running the engine on tensors of these sizes, with the mask in its broadcast shape.
  const q: Tensor = zeros([B, H, Tq, 2]);
  const k: Tensor = zeros([B, H, Tk, 2]);
  const m = causalMask(Tq, Tk, { past: Tk - Tq });
  const mask: Tensor = { shape: [1, 1, ...m.shape], data: m.data };
  const r = attention(q, k, k, { mask });
  return {
    fn: 'shapes',
    args: [B, H, Tq, Tk],
    expected: { S: r.scores.shape, M: mask.shape, A: r.weights.shape },
    check: { kind: 'shapes', dims: { S: ['B', 'H', 'Tq', 'Tk'], M: ['1', '1', 'Tq', 'Tk'], A: ['B', 'H', 'Tq', 'Tk'] } },
    describe: describeParams({ B, H, Tq, Tk }),
  };
}

function maskCase(Tq: number, Tk: number): Case {
  const k = keep(Tq, Tk);
  return {
    fn: 'causalMask',
    args: [Tq, Tk],
    expected: additive(k),
    check: { kind: 'tensor', name: 'mask', dims: ['Tq', 'Tk'], hidden: hiddenOf(k), hiddenValue: -Infinity, hiddenWord: 'future' },
    describe: describeParams({ Tq, Tk }),
  };
}

function softmaxCase(S: number[][]): Case {
  const k = keep(S.length, S[0].length);
  const M = additive(k);
  return {
    fn: 'maskedSoftmax',
    args: [S, M],
    expected: S.map((row, i) => softmax(row.map((s, j) => s + M[i][j]))),
    check: { kind: 'tensor', name: 'weights', dims: ['Tq', 'Tk'], hidden: hiddenOf(k), hiddenValue: 0, hiddenWord: 'future' },
    describe: describeParams({ Tq: S.length, Tk: S[0].length }),
  };
}

type Field = 'scores' | 'weights' | 'output';
function attentionCase(field: Field, Q: number[][], K: number[][], V: number[][]): Case {
  const k = keep(Q.length, K.length);
  const ref = attention2d(Q, K, V, { mask: k });
  const hidden = field === 'output' ? undefined : hiddenOf(k);
  return {
    fn: 'causalAttention',
    args: [Q, K, V],
    field,
    expected: ref[field],
    check: {
      kind: 'tensor', name: field, dims: field === 'output' ? ['Tq', 'd_v'] : ['Tq', 'Tk'],
      hidden, hiddenValue: field === 'scores' ? -Infinity : 0, hiddenWord: 'future',
    },
    describe: describeParams({ Tq: Q.length, Tk: K.length, d_k: Q[0].length, d_v: V[0].length }),
  };
}

/** The lesson's worked example 3: already-scaled scores of three tokens. */
const WORKED_S = [[2, 1, 0], [0, 3, 4], [1, 1, 1]];
const THREE = { Q: [[1, 0], [0, 1], [1, 1]], K: [[1, 0], [0, 1], [1, -1]], V: [[1, 0], [0, 1], [5, 5]] };
/** Two new tokens after three cached ones: the bottom-right alignment matters here. */
const CACHED = { Q: [[0.5, -1], [1, 2]], K: [[1, 0], [0, 1], [1, 1], [-1, 2], [2, 0.5]], V: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] };

type MaskDims = { Tq: number; Tk: number };
type AttDims = { Tq: number; Tk: number; dK: number; dV: number };
/** Tq ≤ Tk; the first case is square, the second a single decode step (Tq = 1). */
const maskDims = (rng: ReturnType<typeof createRng>, k: number): MaskDims => {
  const Tq = k === 1 ? 1 : dim(rng, 1, 6);
  return { Tq, Tk: k === 0 ? Tq : Tq + dim(rng, 0, 4) };
};
const validTqTk = (p: { Tq: number; Tk: number }) => p.Tq <= p.Tk;
const sizes = (p: MaskDims) => (p.Tq === p.Tk ? `a ${p.Tq}-token sequence` : `${count(p.Tq, 'new query', 'new queries')} after ${p.Tk - p.Tq} cached tokens`);

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.fixed', part: 'a', title: 'shapes for B = 2, H = 4, Tq = Tk = 3', make: () => shapesCase(2, 4, 3, 3) }));
  out.push(...random<{ B: number; H: number; Tq: number; Tk: number }>(seed, {
    id: 'a.shapes.random', part: 'a', count: 3, min: { B: 1, H: 1, Tq: 1, Tk: 1 }, valid: validTqTk,
    params: (rng) => {
      const B = dim(rng, 1, 4);
      const H = B + dim(rng, 1, 4);
      const Tq = dim(rng, 1, 5);
      return { B, H, Tq, Tk: Tq + dim(rng, 1, 5) };
    },
    title: (p) => `shapes for B = ${p.B}, H = ${p.H}, Tq = ${p.Tq}, Tk = ${p.Tk}`,
    make: (p) => shapesCase(p.B, p.H, p.Tq, p.Tk),
  }));

  out.push(fixed({ id: 'b.mask.three-tokens', part: 'b', title: 'the causal mask for a 3-token sequence', make: () => maskCase(3, 3) }));
  out.push(fixed({ id: 'b.mask.one-token', part: 'b', title: 'the causal mask for a single token', make: () => maskCase(1, 1) }));
  out.push(fixed({ id: 'b.mask.cached', part: 'b', title: 'the causal mask for 2 new queries after 3 cached tokens', make: () => maskCase(2, 5) }));
  out.push(...random<MaskDims>(seed, {
    id: 'b.mask.random', part: 'b', count: 3, min: { Tq: 1, Tk: 1 }, valid: validTqTk, params: maskDims,
    title: (p) => `the causal mask for ${sizes(p)}`,
    make: (p) => maskCase(p.Tq, p.Tk),
  }));

  out.push(fixed({ id: 'b.softmax.worked-example', part: 'b', title: "masked softmax of the lesson's 3×3 score example", make: () => softmaxCase(WORKED_S) }));
  out.push(...random<MaskDims>(seed, {
    id: 'b.softmax.random', part: 'b', count: 4, min: { Tq: 1, Tk: 1 }, valid: validTqTk, params: maskDims,
    title: (p) => `masked softmax for ${sizes(p)}`,
    make: (p, s) => softmaxCase(randomMatrix(createRng(s), p.Tq, p.Tk, 2)),
  }));

  const word: Record<Field, string> = { scores: 'scores S', weights: 'weights A', output: 'output O' };
  for (const field of ['scores', 'weights', 'output'] as const) {
    out.push(fixed({ id: `b.${field}.three-tokens`, part: 'b', title: `${word[field]} for a 3-token causal sequence`, make: () => attentionCase(field, THREE.Q, THREE.K, THREE.V) }));
    out.push(fixed({ id: `b.${field}.cached`, part: 'b', title: `${word[field]} for 2 new queries after 3 cached tokens`, make: () => attentionCase(field, CACHED.Q, CACHED.K, CACHED.V) }));
    out.push(...random<AttDims>(seed, {
      id: `b.${field}.random`, part: 'b', count: 4, min: { Tq: 1, Tk: 1, dK: 1, dV: 1 }, valid: validTqTk,
      params: (rng, k) => ({ ...maskDims(rng, k), dK: dim(rng, 1, 6), dV: dim(rng, 1, 4) }),
      title: (p) => `${word[field]} for ${sizes(p)} (d_k = ${p.dK}, d_v = ${p.dV})`,
      make: (p, s) => {
        const rng = createRng(s);
        return attentionCase(field, randomMatrix(rng, p.Tq, p.dK), randomMatrix(rng, p.Tk, p.dK), randomMatrix(rng, p.Tk, p.dV));
      },
    }));
  }
  return out;
}

/** Exercise 02's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'mask-after-softmax', module: maskAfterSoftmax, section: '2.5', message: 'your weights match applying the mask after softmax (future weights zeroed, rows no longer sum to 1)' },
    { name: 'causal-off-by-one', module: causalOffByOne, section: '5.1', message: 'your mask hides the diagonal too (j < i instead of j ≤ i): a token must see itself' },
    { name: 'mask-transposed', module: maskTransposed, section: '2.5', message: 'your mask is transposed: it hides the past and shows the future' },
    { name: 'causal-top-left', module: causalTopLeft, section: '5.2', message: 'your mask ignores the offset Tk − Tq: with cached tokens, query i sits at position i + Tk − Tq' },
    { name: 'future-score-zero', module: futureScoreZero, section: '2.5', message: 'your hidden scores are 0 instead of −∞, so future keys still receive weight' },
  ],
};
