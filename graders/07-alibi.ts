// Grader for exercise 07: ALiBi slopes (any head count), the distance bias with the queries as the last Tq positions,
// and causal attention with the bias added to the scores.
import { alibiBias, alibiSlopes, attention, causalMask, createRng, fromNested, toNested, zeros, type Rng, type Tensor } from '../src/engine/index';
import rawMeta from '../exercises/07-alibi/meta.json';
import * as alibiSignFlipped from '../exercises/07-alibi/mistakes/alibi-sign-flipped';
import * as biasAfterSoftmax from '../exercises/07-alibi/mistakes/bias-after-softmax';
import * as distanceWrongOffset from '../exercises/07-alibi/mistakes/distance-wrong-offset';
import * as nonPowerOfTwoNaive from '../exercises/07-alibi/mistakes/non-power-of-two-naive';
import * as slopesReversed from '../exercises/07-alibi/mistakes/slopes-reversed';
import { count, dim, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/07-alibi');

/** The queries are the last Tq of Tk positions: query i sits at i + past. */
const pastOf = (Tq: number, Tk: number) => Tk - Tq;
/** Drops the leading batch axis of size 1 from an engine tensor. */
const noBatch = (t: Tensor) => (toNested(t) as unknown[])[0];

const SHAPE_DIMS = { slopes: ['H'], bias: ['H', 'Tq', 'Tk'], S: ['H', 'Tq', 'Tk'], A: ['H', 'Tq', 'Tk'], O: ['H', 'Tq', 'd_v'] };

function buildShapesCase(H: number, Tq: number, Tk: number, dK: number, dV: number): Case {
  const past = pastOf(Tq, Tk);
  const bias = alibiBias(H, Tq, Tk, { past }); // (1, H, Tq, Tk)
  const r = attention(zeros([1, H, Tq, dK]), zeros([1, H, Tk, dK]), zeros([1, H, Tk, dV]), { mask: causalMask(Tq, Tk, { past }), bias });
  return {
    fn: 'shapes',
    args: [H, Tq, Tk, dK, dV],
    expected: { slopes: [alibiSlopes(H).length], bias: bias.shape.slice(1), S: r.scores.shape.slice(1), A: r.weights.shape.slice(1), O: r.output.shape.slice(1) },
    check: { kind: 'shapes', dims: SHAPE_DIMS },
    describe: describeParams({ H, Tq, Tk, d_k: dK, d_v: dV }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

function slopesCase(H: number): Case {
  return { fn: 'alibiSlopes', args: [H], expected: alibiSlopes(H), check: { kind: 'tensor', name: 'slopes', dims: ['H'] }, describe: `H = ${H}` };
}

function biasCase(H: number, Tq: number, Tk: number): Case {
  return {
    fn: 'alibiBias',
    args: [H, Tq, Tk],
    expected: noBatch(alibiBias(H, Tq, Tk, { past: pastOf(Tq, Tk) })),
    check: { kind: 'tensor', name: 'bias', dims: ['H', 'Tq', 'Tk'] },
    describe: describeParams({ H, Tq, Tk }),
  };
}

type Field = 'scores' | 'weights' | 'output';
type Heads = { Q: number[][][]; K: number[][][]; V: number[][][] };

function attentionCase(field: Field, x: Heads): Case {
  const H = x.Q.length;
  const Tq = x.Q[0].length;
  const Tk = x.K[0].length;
  const past = pastOf(Tq, Tk);
  const r = attention(fromNested([x.Q]), fromNested([x.K]), fromNested([x.V]), {
    mask: causalMask(Tq, Tk, { past }), // broadcasts over the head axis
    bias: alibiBias(H, Tq, Tk, { past }),
  });
  const future = Array.from({ length: H }, () => Array.from({ length: Tq }, (_, i) => Array.from({ length: Tk }, (__, j) => j > i + past)));
  return {
    fn: 'attentionWithAlibi',
    args: [x.Q, x.K, x.V],
    field,
    expected: noBatch(r[field]),
    check: {
      kind: 'tensor', name: field, dims: field === 'output' ? ['H', 'Tq', 'd_v'] : ['H', 'Tq', 'Tk'],
      hidden: field === 'output' ? undefined : future, hiddenValue: field === 'scores' ? -Infinity : 0, hiddenWord: 'future',
    },
    describe: describeParams({ H: H, Tq, Tk, d_k: x.Q[0][0].length, d_v: x.V[0][0].length }),
    readOnly: ['Q', 'K', 'V'], argNames: ['Q', 'K', 'V'],
  };
}

function randomHeads(rng: Rng, H: number, Tq: number, Tk: number, dK: number, dV: number): Heads {
  const many = (T: number, d: number) => Array.from({ length: H }, () => randomMatrix(rng, T, d));
  return { Q: many(Tq, dK), K: many(Tk, dK), V: many(Tk, dV) };
}
/** Heads whose content scores reach ±1000 and more: exp() overflows unless each row's maximum is subtracted first. */
function largeScores(): Heads {
  const x = randomHeads(createRng(1000), 3, 2, 4, 2, 2);
  return { ...x, Q: x.Q.map((m) => m.map((row) => row.map((v) => 40 * v + (v >= 0 ? 20 : -20)))), K: x.K.map((m) => m.map((row) => row.map((v) => 40 * v))) };
}
/** The lesson's isolation trick: all queries zero, so every content score is 0 and the bias alone sets the weights. */
function zeroQueries(H: number, T: number): Heads {
  const x = randomHeads(createRng(7), H, T, T, 3, 2);
  return { ...x, Q: x.Q.map((m) => m.map((row) => row.map(() => 0))) };
}

type Dims = { H: number; Tq: number; Tk: number; dK: number; dV: number };
/** k = 0 → a single decode query (Tq = 1); k = 1 → a square causal block; otherwise Tq ≤ Tk. */
function pickDims(rng: Rng, k: number): Dims {
  const Tq = k === 0 ? 1 : dim(rng, 1, 4);
  return { H: dim(rng, 1, 12), Tq, Tk: k === 1 ? Tq : Tq + dim(rng, 0, 4), dK: dim(rng, 1, 4), dV: dim(rng, 1, 3) };
}
const MIN: Partial<Dims> = { H: 1, Tq: 1, Tk: 1, dK: 1, dV: 1 };
const validTqTk = (p: { Tq: number; Tk: number }) => p.Tq <= p.Tk;
const sizes = (p: { H: number; Tq: number; Tk: number }) =>
  `H = ${p.H}, ${p.Tq === p.Tk ? `${p.Tq}-token causal block` : `${count(p.Tq, 'new query', 'new queries')} after ${count(p.Tk - p.Tq, 'cached token', 'cached tokens')}`}`;

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.decode', part: 'a', title: 'shapes for H = 6 heads, 2 new queries after 3 cached tokens (d_k = 4, d_v = 3)', make: () => shapesCase(6, 2, 5, 4, 3) }));
  out.push(...random<Dims>(seed, {
    id: 'a.shapes.random', part: 'a', count: 3, min: MIN, valid: validTqTk,
    params: (rng) => {
      // Distinct sizes so that swapped axes are caught.
      const Tq = dim(rng, 1, 3);
      const Tk = Tq + dim(rng, 1, 3);
      const H = Tk + dim(rng, 1, 3);
      const dK = H + dim(rng, 1, 3);
      return { H, Tq, Tk, dK, dV: dK + dim(rng, 1, 3) };
    },
    title: (p) => `shapes for ${sizes(p)} (d_k = ${p.dK}, d_v = ${p.dV})`,
    make: (p) => shapesCase(p.H, p.Tq, p.Tk, p.dK, p.dV),
  }));

  for (const H of [8, 6, 12, 1, 3]) {
    const why = H === 8 || H === 1 ? 'a power of two' : 'not a power of two';
    out.push(fixed({ id: `b.slopes.h${H}`, part: 'b', title: `the slopes for ${count(H, 'head', 'heads')} (${why})`, make: () => slopesCase(H) }));
  }
  out.push(...random<{ H: number }>(seed, {
    id: 'b.slopes.random', part: 'b', count: 2, min: { H: 1 },
    params: (rng) => ({ H: dim(rng, 2, 32) }),
    title: (p) => `the slopes for ${p.H} heads`,
    make: (p) => slopesCase(p.H),
  }));

  out.push(fixed({ id: 'b.bias.lesson', part: 'b', title: "the bias of the lesson's example (H = 8, a 5-token causal block)", make: () => biasCase(8, 5, 5) }));
  out.push(fixed({ id: 'b.bias.decode', part: 'b', title: 'the bias for H = 6, 2 new queries after 3 cached tokens', make: () => biasCase(6, 2, 5) }));
  out.push(...random<Dims>(seed, {
    id: 'b.bias.random', part: 'b', count: 3, min: MIN, valid: validTqTk, params: pickDims,
    title: (p) => `the bias for ${sizes(p)}`,
    make: (p) => biasCase(p.H, p.Tq, p.Tk),
  }));

  const word: Record<Field, string> = { scores: 'scores S', weights: 'weights A', output: 'output O' };
  for (const field of ['scores', 'weights', 'output'] as const) {
    out.push(fixed({ id: `b.${field}.bias-only`, part: 'b', title: `${word[field]} for H = 8 over 5 tokens with all-zero queries (the bias alone decides)`, make: () => attentionCase(field, zeroQueries(8, 5)) }));
    out.push(fixed({
      id: `b.${field}.same-sizes`, part: 'b', title: `${word[field]} for H = 8 over 5 tokens again, now with random queries (same sizes, new numbers)`,
      make: () => attentionCase(field, { ...zeroQueries(8, 5), Q: randomHeads(createRng(8), 8, 5, 5, 3, 2).Q }),
    }));
    out.push(fixed({ id: `b.${field}.large-scores`, part: 'b', title: `${word[field]} for H = 3, 2 new queries after 2 cached tokens, content scores beyond ±1000`, make: () => attentionCase(field, largeScores()) }));
    out.push(fixed({
      id: `b.${field}.decode`, part: 'b', title: `${word[field]} for H = 6, 2 new queries after 3 cached tokens`,
      make: () => {
        const x = randomHeads(createRng(77), 6, 5, 5, 3, 2);
        return attentionCase(field, { ...x, Q: x.Q.map((m) => m.slice(3)) });
      },
    }));
    out.push(...random<Dims>(seed, {
      id: `b.${field}.random`, part: 'b', count: 4, repeat: [3], min: MIN, valid: validTqTk, params: pickDims,
      title: (p) => `${word[field]} for ${sizes(p)} (d_k = ${p.dK}, d_v = ${p.dV})`,
      make: (p, s) => attentionCase(field, randomHeads(createRng(s), p.H, p.Tq, p.Tk, p.dK, p.dV)),
    }));
  }
  return out;
}

/** Exercise 07's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'alibi-sign-flipped', module: alibiSignFlipped, section: '5.4', message: 'your bias has the wrong sign: it rewards distant keys; ALiBi subtracts m·(distance)' },
    { name: 'slopes-reversed', module: slopesReversed, section: '5.4', message: 'your slopes are in reverse order: head 0 gets the steepest slope, the last head the gentlest' },
    { name: 'non-power-of-two-naive', module: nonPowerOfTwoNaive, section: '5.4', message: 'your slopes use 2^(−8(h+1)/H) for an H that is not a power of two; take the slopes of the largest power of two below H, then the slopes of heads 0, 2, 4 … of twice that many heads' },
    { name: 'distance-wrong-offset', module: distanceWrongOffset, section: '5.4', message: 'your distance uses the row index i instead of the position i + (T_k − T_q) of a query that follows cached tokens' },
    { name: 'bias-after-softmax', module: biasAfterSoftmax, section: '5.4', message: 'your weights match adding the bias after the softmax; the bias belongs in the scores, before it' },
  ],
};
