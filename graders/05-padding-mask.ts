// Grader for exercise 05: broadcast shapes of padding and causal masks, the padding keep-mask of a ragged batch,
// masked attention per sequence, and a perturbation test (changing the pads must not change real tokens).
import fc from 'fast-check';
import { attention, causalMask, combineMasks, createRng, fromNested, paddingMask, reshape, toNested, zeros, type Rng, type Tensor } from '../src/engine/index';
import rawMeta from '../exercises/05-padding-mask/meta.json';
import * as maskAfterSoftmax from '../exercises/05-padding-mask/mistakes/mask-after-softmax';
import * as masksQueriesNotKeys from '../exercises/05-padding-mask/mistakes/masks-queries-not-keys';
import * as offByOneLength from '../exercises/05-padding-mask/mistakes/off-by-one-length';
import * as padsNotMasked from '../exercises/05-padding-mask/mistakes/pads-not-masked';
import * as usesFirstLengthForAll from '../exercises/05-padding-mask/mistakes/uses-first-length-for-all';
import { dim, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/05-padding-mask');

const SHAPE_DIMS = { padding: ['B', '1', '1', 'T'], causal: ['1', '1', 'T', 'T'], combined: ['B', '1', 'T', 'T'], scores: ['B', 'H', 'T', 'T'] };

/** Part (a): shapes of the engine's own masks and scores for these sizes. */
function buildShapesCase(B: number, H: number, T: number): Case {
  const pad = paddingMask(Array.from({ length: B }, () => T), T); // (B, 1, 1, T)
  const causal = reshape(causalMask(T, T), [1, 1, T, T]); // the causal mask viewed with its size-1 axes
  const combined = combineMasks(pad, causal);
  const r = attention(zeros([B, H, T, 1]), zeros([B, H, T, 1]), zeros([B, H, T, 1]), { mask: combined });
  return {
    fn: 'maskShapes',
    args: [B, H, T],
    argNames: ['B', 'H', 'T'],
    expected: { padding: pad.shape, causal: causal.shape, combined: combined.shape, scores: r.scores.shape },
    check: { kind: 'shapes', dims: SHAPE_DIMS },
    describe: describeParams({ B, H, T }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

const lengthsText = (lengths: number[]) => `lengths [${lengths.join(', ')}]`;

function maskCase(lengths: number[], T: number): Case {
  return {
    fn: 'paddingMask',
    args: [lengths, T],
    argNames: ['lengths', 'T'],
    readOnly: ['lengths'],
    expected: toNested(paddingMask(lengths, T)),
    check: { kind: 'tensor', name: 'mask', dims: ['B', '1', '1', 'T'] },
    describe: `B = ${lengths.length}, T = ${T}, ${lengthsText(lengths)}`,
  };
}

type Batch = { Q: number[][][]; K: number[][][]; V: number[][][]; lengths: number[] };
type Field = 'weights' | 'output';

function attentionCase(field: Field, x: Batch): Case {
  const T = x.K[0].length;
  // The engine works on (B, H, T, D); one head here, so the head axis is added and removed.
  const withHead = (m: number[][][]): Tensor => {
    const t = fromNested(m);
    return reshape(t, [t.shape[0], 1, t.shape[1], t.shape[2]]);
  };
  const r = attention(withHead(x.Q), withHead(x.K), withHead(x.V), { mask: paddingMask(x.lengths, T) });
  const dropHead = (t: Tensor) => (toNested(t) as number[][][][]).map((perHead) => perHead[0]);
  const hidden = field === 'weights' ? x.lengths.map((n) => x.Q[0].map(() => Array.from({ length: T }, (_, j) => j >= n))) : undefined;
  return {
    fn: 'maskedAttention',
    args: [x.Q, x.K, x.V, x.lengths],
    argNames: ['Q', 'K', 'V', 'lengths'],
    readOnly: ['Q', 'K', 'V', 'lengths'],
    field,
    expected: dropHead(field === 'weights' ? r.weights : r.output),
    check: { kind: 'tensor', name: field, dims: field === 'weights' ? ['B', 'Tq', 'Tk'] : ['B', 'T', 'd_v'], hidden, hiddenValue: 0, hiddenWord: 'padded' },
    describe: `B = ${x.lengths.length}, T = ${T}, d_k = ${x.Q[0][0].length}, d_v = ${x.V[0][0].length}, ${lengthsText(x.lengths)}`,
  };
}

/**
 * Random lengths in [1, T]. The first sequence is always padded when T ≥ 2 (lengths[0] < T): it makes every known
 * mistake visible in sequence 0 or distinguishes it from the others there.
 */
function randomLengths(rng: Rng, B: number, T: number): number[] {
  return Array.from({ length: B }, (_, b) => (b === 0 ? (T === 1 ? 1 : dim(rng, 1, T - 1)) : dim(rng, 1, T)));
}

function randomBatch(rng: Rng, B: number, T: number, dK: number, dV: number, lengths = randomLengths(rng, B, T)): Batch {
  const many = (cols: number) => Array.from({ length: B }, () => randomMatrix(rng, T, cols));
  return { Q: many(dK), K: many(dK), V: many(dV), lengths };
}

/**
 * The perturbation test: each sequence appears twice, with the same real tokens and different pad contents (the
 * second copy's pad rows of Q, K and V hold large random numbers). Real tokens' outputs must be the same in both.
 */
function perturbedBatch(rng: Rng, B: number, T: number, dK: number, dV: number, lengths?: number[]): Batch {
  const base = randomBatch(rng, B, T, dK, dV, lengths);
  const noisy = (m: number[][][]) =>
    m.map((seq, b) => seq.map((row, t) => (t < base.lengths[b] ? row.slice() : randomMatrix(rng, 1, row.length, 50)[0])));
  return {
    Q: [...base.Q, ...noisy(base.Q)],
    K: [...base.K, ...noisy(base.K)],
    V: [...base.V, ...noisy(base.V)],
    lengths: [...base.lengths, ...base.lengths],
  };
}

/** A fixed ragged batch: three sequences of lengths 2, 4 and 3 padded to T = 4 (numbers from seed 5). */
function raggedThree(): Batch {
  const rng = createRng(5);
  return randomBatch(rng, 3, 4, 2, 2, [2, 4, 3]);
}
/** One sequence with no padding at all: the mask must change nothing. */
function unpadded(): Batch {
  return randomBatch(createRng(55), 1, 3, 2, 2, [3]);
}

/**
 * Pads holding numbers near ±1e10 in Q, K and V (lengths 1, 3 and 2, T = 3): pad-key logits reach ~1e10, so a mask
 * of −1e9 instead of −∞ leaks weight onto pads, and a maximum taken before masking underflows the real keys.
 */
function hugePads(): Batch {
  const rng = createRng(77);
  const base = randomBatch(rng, 3, 3, 2, 2, [1, 3, 2]);
  const huge = (m: number[][][]) => m.map((seq, b) => seq.map((row, t) => (t < base.lengths[b] ? row : randomMatrix(rng, 1, row.length, 1e10, 0)[0])));
  return { Q: huge(base.Q), K: huge(base.K), V: huge(base.V), lengths: base.lengths };
}

type Dims = { B: number; T: number; dK: number; dV: number };
const size = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
/**
 * By position k, so every seed covers every regime: k = 0 a single token, k = 1 a single sequence, k = 2 and 3
 * ragged batches, k = 4 the sizes of k = 3 with new numbers and lengths (code that caches by size fails it).
 */
function dimsArb(k: number): fc.Arbitrary<Dims> {
  return fc.record({ B: k === 1 ? fc.constant(1) : size(2, 4), T: k === 0 ? fc.constant(1) : size(2, 6), dK: size(1, 4), dV: size(1, 3) });
}
const sizes = (p: Dims) => `a batch of ${p.B} sequence${p.B === 1 ? '' : 's'} padded to T = ${p.T} (d_k = ${p.dK}, d_v = ${p.dV})`;

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.lesson', part: 'a', title: "mask shapes for the lesson's batch (B = 2, H = 2, T = 3)", make: () => shapesCase(2, 2, 3) }));
  out.push(...random(seed, {
    id: 'a.shapes.random', part: 'a', count: 3,
    // Distinct sizes so that swapped axes are caught.
    arb: () => fc.record({ B: size(2, 5), H: size(1, 6), T: size(1, 8) }).filter((p) => new Set([p.B, p.H, p.T]).size === 3),
    title: (p) => `mask shapes for B = ${p.B}, H = ${p.H}, T = ${p.T}`,
    make: (p) => shapesCase(p.B, p.H, p.T),
  }));

  out.push(fixed({ id: 'b.mask.lesson', part: 'b', title: "the padding mask of the lesson's batch (lengths 3 and 2, padded to 3)", make: () => maskCase([3, 2], 3) }));
  out.push(fixed({ id: 'b.mask.ragged-three', part: 'b', title: 'the padding mask of three sequences of lengths 2, 4 and 3 padded to 4', make: () => maskCase([2, 4, 3], 4) }));
  out.push(fixed({ id: 'b.mask.edge-lengths', part: 'b', title: 'the padding mask for lengths 1, 5 and 5 padded to 5 (a one-token sequence, two without padding)', make: () => maskCase([1, 5, 5], 5) }));
  out.push(...random(seed, {
    id: 'b.mask.random', part: 'b', count: 3, repeat: [2],
    arb: (k) => fc.record({ B: k === 0 ? fc.constant(1) : size(2, 5), T: size(2, 7) }),
    title: (p) => `the padding mask of ${p.B} sequence${p.B === 1 ? '' : 's'} padded to T = ${p.T}`,
    make: (p, s) => maskCase(randomLengths(createRng(s), p.B, p.T), p.T),
  }));

  const word: Record<Field, string> = { weights: 'weights', output: 'outputs' };
  for (const field of ['weights', 'output'] as const) {
    out.push(fixed({ id: `b.${field}.ragged-three`, part: 'b', title: `${word[field]} for three sequences of lengths 2, 4 and 3 padded to 4`, make: () => attentionCase(field, raggedThree()) }));
    out.push(fixed({ id: `b.${field}.unpadded`, part: 'b', title: `${word[field]} for one sequence without padding (the mask must change nothing)`, make: () => attentionCase(field, unpadded()) }));
    out.push(fixed({ id: `b.${field}.huge-pads`, part: 'b', title: `${word[field]} when the pads hold numbers near ±1e10 (lengths 1, 3 and 2)`, make: () => attentionCase(field, hugePads()) }));
    out.push(...random<Dims>(seed, {
      id: `b.${field}.random`, part: 'b', count: 5, arb: dimsArb, repeat: [4],
      title: (p) => `${word[field]} for ${sizes(p)}`,
      make: (p, s) => attentionCase(field, randomBatch(createRng(s), p.B, p.T, p.dK, p.dV)),
    }));
  }
  out.push(fixed({
    id: 'b.perturb.ragged-three', part: 'b',
    title: 'real-token outputs do not change when only the pads change (each of the three sequences twice, the second copy with huge pad values)',
    make: () => attentionCase('output', perturbedBatch(createRng(5), 3, 4, 2, 2, [2, 4, 3])),
  }));
  out.push(...random<Dims>(seed, {
    id: 'b.perturb.random', part: 'b', count: 3, arb: (k) => dimsArb(k + 2),
    title: (p) => `real-token outputs do not change when only the pads change: ${sizes(p)}, each sequence twice with different pad contents`,
    make: (p, s) => attentionCase('output', perturbedBatch(createRng(s), p.B, p.T, p.dK, p.dV)),
  }));
  return out;
}

/** Exercise 05's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'pads-not-masked', module: padsNotMasked, section: '2.5', message: 'your results match attention without any padding mask: real tokens attend to the pad keys' },
    { name: 'masks-queries-not-keys', module: masksQueriesNotKeys, section: '2.5', message: 'your mask hides pad queries (rows) instead of pad keys (columns): the padding axis must be the last one, (B, 1, 1, T)' },
    { name: 'off-by-one-length', module: offByOneLength, section: '2.5', message: 'your mask hides the last real token too: key j is real exactly when j < lengths[b]' },
    { name: 'mask-after-softmax', module: maskAfterSoftmax, section: '2.5', message: 'your weights match zeroing the pads after the softmax: the rows no longer sum to 1 and still depend on the pads' },
    { name: 'uses-first-length-for-all', module: usesFirstLengthForAll, section: '2.5', message: 'your mask uses the first sequence\'s length for every sequence of the batch' },
  ],
};
