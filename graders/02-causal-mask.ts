// Grader for exercise 02: the causal mask (bottom-right aligned when Tq < Tk), masked softmax, causal attention.
import fc from 'fast-check';
import { attention, attention2d, causalMask, createRng, softmax, toNested, zeros, type Rng, type Tensor } from '../src/engine/index';
import rawMeta from '../exercises/02-causal-mask/meta.json';
import * as causalOffByOne from '../exercises/02-causal-mask/mistakes/causal-off-by-one';
import * as causalTopLeft from '../exercises/02-causal-mask/mistakes/causal-top-left';
import * as futureScoreZero from '../exercises/02-causal-mask/mistakes/future-score-zero';
import * as maskAfterSoftmax from '../exercises/02-causal-mask/mistakes/mask-after-softmax';
import * as maskTransposed from '../exercises/02-causal-mask/mistakes/mask-transposed';
import { count, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
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

function buildShapesCase(B: number, H: number, Tq: number, Tk: number): Case {
  // Shapes come from running the engine on tensors of these sizes, with the mask in its broadcast shape.
  const q: Tensor = zeros([B, H, Tq, 2]);
  const k: Tensor = zeros([B, H, Tk, 2]);
  const m = causalMask(Tq, Tk, { past: Tk - Tq });
  const mask: Tensor = { shape: [1, 1, ...m.shape], data: m.data };
  const r = attention(q, k, k, { mask });
  return {
    fn: 'shapes',
    args: [B, H, Tq, Tk],
    argNames: ['B', 'H', 'Tq', 'Tk'],
    expected: { S: r.scores.shape, M: mask.shape, A: r.weights.shape },
    check: { kind: 'shapes', dims: { S: ['B', 'H', 'Tq', 'Tk'], M: ['1', '1', 'Tq', 'Tk'], A: ['B', 'H', 'Tq', 'Tk'] } },
    describe: describeParams({ B, H, Tq, Tk }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

function maskCase(Tq: number, Tk: number): Case {
  const k = keep(Tq, Tk);
  return {
    fn: 'causalMask',
    args: [Tq, Tk],
    argNames: ['Tq', 'Tk'],
    expected: additive(k),
    check: { kind: 'tensor', name: 'mask', dims: ['Tq', 'Tk'], hidden: hiddenOf(k), hiddenValue: -Infinity, hiddenWord: 'future' },
    describe: describeParams({ Tq, Tk }),
  };
}

/**
 * A maskedSoftmax case for any additive mask M of 0 and −∞ (not only causal): S may hold −∞ itself, and a row with
 * no visible key must give a row of zeros (the statement's rule, the engine's too).
 */
function softmaxCase(S: number[][], M: number[][]): Case {
  const z = S.map((row, i) => row.map((s, j) => s + M[i][j]));
  return {
    fn: 'maskedSoftmax',
    args: [S, M],
    argNames: ['S', 'M'],
    readOnly: ['S', 'M'],
    expected: z.map((row) => softmax(row)),
    check: { kind: 'tensor', name: 'weights', dims: ['Tq', 'Tk'], hidden: z.map((row) => row.map((v) => v === -Infinity)), hiddenValue: 0, hiddenWord: 'masked' },
    describe: describeParams({ Tq: S.length, Tk: S[0].length }),
  };
}

/** maskedSoftmax with the causal mask of the statement (queries are the last Tq positions). */
const causalSoftmaxCase = (S: number[][]) => softmaxCase(S, additive(keep(S.length, S[0].length)));

type Field = 'scores' | 'weights' | 'output';
function attentionCase(field: Field, Q: number[][], K: number[][], V: number[][]): Case {
  const k = keep(Q.length, K.length);
  const ref = attention2d(Q, K, V, { mask: k });
  const hidden = field === 'output' ? undefined : hiddenOf(k);
  return {
    fn: 'causalAttention',
    args: [Q, K, V],
    argNames: ['Q', 'K', 'V'],
    readOnly: ['Q', 'K', 'V'],
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

/**
 * Key 2 is in the future of queries 0 and 1, with scaled dot products near +14000 (visible ones near +70): a softmax
 * that takes its maximum before the mask is applied underflows rows 0 and 1 to 0/0.
 */
const HUGE_FUTURE = { Q: [[100, 100], [100, 90], [0.01, 0.02]], K: [[1, 0], [0, 1], [100, 100]], V: [[1, 2], [3, 4], [1e3, -1e3]] };
/** Scores with huge values on masked entries and −∞ passed in S itself; row 2 has no visible key at all. */
const EDGE_S = [[1e4, 2, -1], [-Infinity, 0.5, 3e4], [5, -Infinity, 7]];
const EDGE_M = [[-Infinity, 0, 0], [0, 0, -Infinity], [-Infinity, -Infinity, -Infinity]];

type MaskDims = { Tq: number; Tk: number };
type AttDims = { Tq: number; Tk: number; dK: number; dV: number; mag: number };
const size = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
/**
 * Tq ≤ Tk by position k, so every seed covers every regime: k = 0 square, k = 1 a single decode step (Tq = 1 after
 * cached keys), k = 2 several queries after cached keys (Tq < Tk), k = 3 the sizes of k = 2 with new numbers.
 */
function maskArb(k: number, extra: Record<string, fc.Arbitrary<number>> = {}): fc.Arbitrary<MaskDims> {
  const rec = (Tq: fc.Arbitrary<number>, Tk: fc.Arbitrary<number>) => fc.record({ ...extra, Tq, Tk }) as unknown as fc.Arbitrary<MaskDims>;
  if (k === 0) return rec(size(1, 6), size(1, 6)).filter((p) => p.Tq === p.Tk);
  if (k === 1) return rec(fc.constant(1), size(2, 8));
  return rec(size(2, 5), size(3, 9)).filter((p) => p.Tq < p.Tk);
}
const sizes = (p: MaskDims) => (p.Tq === p.Tk ? `a ${p.Tq}-token sequence` : `${count(p.Tq, 'new query', 'new queries')} after ${p.Tk - p.Tq} cached tokens`);

/** A random additive mask of 0 and −∞; `fullRow` makes one row fully hidden. */
function randomMask(rng: Rng, Tq: number, Tk: number, fullRow: boolean): number[][] {
  const full = fullRow ? rng.int(0, Tq) : -1;
  return Array.from({ length: Tq }, (_, i) => Array.from({ length: Tk }, () => (i === full || rng.next() < 0.4 ? -Infinity : 0)));
}

/** Random masked-softmax regimes: k = 0 ordinary, k = 1 a fully masked row, k = 2 huge scores on masked keys, k = 3 −∞ in S. */
type SoftDims = { Tq: number; Tk: number; regime: number };
const softArb = (k: number): fc.Arbitrary<SoftDims> => fc.record({ Tq: size(1, 5), Tk: size(2, 7), regime: fc.constant(k % 4) });
const REGIME = ['a random mask', 'a mask hiding one whole row', 'huge scores on the masked keys', '−∞ already in the scores'];

function randomSoftmaxCase(p: SoftDims, seed: number): Case {
  const rng = createRng(seed);
  const S = randomMatrix(rng, p.Tq, p.Tk, 2);
  const M = randomMask(rng, p.Tq, p.Tk, p.regime === 1);
  if (p.regime === 2) S.forEach((row, i) => row.forEach((_, j) => M[i][j] === -Infinity && (row[j] = 1e4 + 100 * j)));
  if (p.regime === 3) S.forEach((row) => (row[rng.int(0, p.Tk)] = -Infinity));
  return softmaxCase(S, M);
}

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.fixed', part: 'a', title: 'shapes for B = 2, H = 4, Tq = Tk = 3', make: () => shapesCase(2, 4, 3, 3) }));
  out.push(...random(seed, {
    id: 'a.shapes.random', part: 'a', count: 3,
    // All four sizes distinct, Tq < Tk, so that swapped axes are caught.
    arb: () => fc.record({ B: size(1, 4), H: size(1, 7), Tq: size(1, 5), Tk: size(2, 9) }).filter((p) => p.Tq < p.Tk && new Set([p.B, p.H, p.Tq, p.Tk]).size === 4),
    title: (p) => `shapes for B = ${p.B}, H = ${p.H}, Tq = ${p.Tq}, Tk = ${p.Tk}`,
    make: (p) => shapesCase(p.B, p.H, p.Tq, p.Tk),
  }));

  const fixedMasks: [number, number][] = [[3, 3], [1, 1], [2, 5]];
  out.push(fixed({ id: 'b.mask.three-tokens', part: 'b', title: 'the causal mask for a 3-token sequence', make: () => maskCase(3, 3) }));
  out.push(fixed({ id: 'b.mask.one-token', part: 'b', title: 'the causal mask for a single token', make: () => maskCase(1, 1) }));
  out.push(fixed({ id: 'b.mask.cached', part: 'b', title: 'the causal mask for 2 new queries after 3 cached tokens', make: () => maskCase(2, 5) }));
  // A mask has no numbers to draw: a random test of a fixed test's sizes would be that test again.
  out.push(...random<MaskDims>(seed, {
    id: 'b.mask.random', part: 'b', count: 3, arb: (k) => maskArb(k).filter((p) => !fixedMasks.some(([Tq, Tk]) => p.Tq === Tq && p.Tk === Tk)),
    title: (p) => `the causal mask for ${sizes(p)}`,
    make: (p) => maskCase(p.Tq, p.Tk),
  }));

  out.push(fixed({ id: 'b.softmax.worked-example', part: 'b', title: "masked softmax of the lesson's 3×3 score example", make: () => causalSoftmaxCase(WORKED_S) }));
  out.push(fixed({ id: 'b.softmax.edge', part: 'b', title: 'masked softmax with huge scores on masked keys, −∞ in S, and a row with no visible key (all zeros)', make: () => softmaxCase(EDGE_S, EDGE_M) }));
  out.push(...random<MaskDims>(seed, {
    id: 'b.softmax.random', part: 'b', count: 4, arb: (k) => maskArb(k), repeat: [3],
    title: (p) => `masked softmax with the causal mask for ${sizes(p)}`,
    make: (p, s) => causalSoftmaxCase(randomMatrix(createRng(s), p.Tq, p.Tk, 2)),
  }));
  out.push(...random<SoftDims>(seed, {
    id: 'b.softmax.any-mask', part: 'b', count: 4, arb: softArb,
    title: (p) => `masked softmax of ${p.Tq}×${p.Tk} scores with ${REGIME[p.regime]}`,
    make: randomSoftmaxCase,
  }));

  const word: Record<Field, string> = { scores: 'scores S', weights: 'weights A', output: 'output O' };
  for (const field of ['scores', 'weights', 'output'] as const) {
    out.push(fixed({ id: `b.${field}.three-tokens`, part: 'b', title: `${word[field]} for a 3-token causal sequence`, make: () => attentionCase(field, THREE.Q, THREE.K, THREE.V) }));
    out.push(fixed({ id: `b.${field}.cached`, part: 'b', title: `${word[field]} for 2 new queries after 3 cached tokens`, make: () => attentionCase(field, CACHED.Q, CACHED.K, CACHED.V) }));
    out.push(fixed({ id: `b.${field}.huge-future`, part: 'b', title: `${word[field]} when a future key has scores near +14000`, make: () => attentionCase(field, HUGE_FUTURE.Q, HUGE_FUTURE.K, HUGE_FUTURE.V) }));
    out.push(...random<AttDims>(seed, {
      id: `b.${field}.random`, part: 'b', count: 4, repeat: [3],
      arb: (k) => maskArb(k, { dK: size(1, 6), dV: size(1, 4), mag: fc.constant(k === 2 ? 30 : 1) }) as unknown as fc.Arbitrary<AttDims>,
      title: (p) => `${word[field]} for ${sizes(p)} (d_k = ${p.dK}, d_v = ${p.dV}${p.mag > 1 ? ', logits in the hundreds' : ''})`,
      make: (p, s) => {
        const rng = createRng(s);
        return attentionCase(field, randomMatrix(rng, p.Tq, p.dK, p.mag), randomMatrix(rng, p.Tk, p.dK, p.mag), randomMatrix(rng, p.Tk, p.dV));
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
