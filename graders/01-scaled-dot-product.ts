// Grader for exercise 01: shapes of one attention head, and S, A, O from the learner's attention().
import fc from 'fast-check';
import { attention2d, createRng } from '../src/engine/index';
import rawMeta from '../exercises/01-scaled-dot-product/meta.json';
import * as missingScale from '../exercises/01-scaled-dot-product/mistakes/missing-scale';
import * as mixesKeysNotValues from '../exercises/01-scaled-dot-product/mistakes/mixes-keys-not-values';
import * as noMaxSubtraction from '../exercises/01-scaled-dot-product/mistakes/no-max-subtraction';
import * as scaleByDNotSqrt from '../exercises/01-scaled-dot-product/mistakes/scale-by-d-not-sqrt';
import * as scoresShapeTransposed from '../exercises/01-scaled-dot-product/mistakes/scores-shape-transposed';
import * as softmaxWrongAxis from '../exercises/01-scaled-dot-product/mistakes/softmax-wrong-axis';
import { count, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/01-scaled-dot-product');

/** Axis names of each shape in part (a). */
const SHAPE_DIMS = { Q: ['Tq', 'd_k'], K: ['Tk', 'd_k'], V: ['Tk', 'd_v'], S: ['Tq', 'Tk'], A: ['Tq', 'Tk'], O: ['Tq', 'd_v'] };

type Field = 'scores' | 'weights' | 'output';
const FIELD_DIMS: Record<Field, string[]> = { scores: ['Tq', 'Tk'], weights: ['Tq', 'Tk'], output: ['Tq', 'd_v'] };
const FIELD_WORD: Record<Field, string> = { scores: 'scores S', weights: 'weights A', output: 'output O' };

/** The part (a) case: the learner's shapes() against the shapes of the engine's own matrices. */
function buildShapesCase(Tq: number, Tk: number, dK: number, dV: number): Case {
  const rng = createRng(1);
  const [Q, K, V] = [randomMatrix(rng, Tq, dK), randomMatrix(rng, Tk, dK), randomMatrix(rng, Tk, dV)];
  const r = attention2d(Q, K, V);
  const dims = (m: number[][]) => [m.length, m[0].length];
  return {
    fn: 'shapes',
    args: [Tq, Tk, dK, dV],
    argNames: ['Tq', 'Tk', 'dK', 'dV'],
    expected: { Q: dims(Q), K: dims(K), V: dims(V), S: dims(r.scores), A: dims(r.weights), O: dims(r.output) },
    check: { kind: 'shapes', dims: SHAPE_DIMS },
    describe: describeParams({ Tq, Tk, d_k: dK, d_v: dV }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

/** A part (b) case: attention(Q, K, V) checked on one field against the engine. */
function attentionCase(field: Field, Q: number[][], K: number[][], V: number[][]): Case {
  const ref = attention2d(Q, K, V); // default scale 1/√d_k
  return {
    fn: 'attention',
    args: [Q, K, V],
    argNames: ['Q', 'K', 'V'],
    // The statement: attention() must not change Q, K or V.
    readOnly: ['Q', 'K', 'V'],
    field,
    expected: ref[field],
    check: { kind: 'tensor', name: field, dims: FIELD_DIMS[field] },
    describe: describeParams({ Tq: Q.length, Tk: K.length, d_k: Q[0].length, d_v: V[0].length }),
  };
}

/** The statement's two-token example. */
const TWO_TOKEN = { Q: [[1, 2], [0, 1]], K: [[1, 0], [1, 1]], V: [[1, 0], [0, 2]] };
/** Worked example 1 of the lesson (one query, three keys), here with the 1/√2 scale. */
const WORKED = { Q: [[1, 0]], K: [[1, 0], [0, 1], [1, 1]], V: [[10, 0], [0, 10], [5, 5]] };
/** Logits near ±2000: exp overflows unless the row maximum is subtracted first. */
const LARGE = { Q: [[40, 40], [-40, 10]], K: [[40, 40], [30, -20], [-35, 35]], V: [[1, 0], [0, 1], [1, 1]] };
/** The smallest case: one token attending to itself. */
const ONE = { Q: [[0.5, -1, 2]], K: [[1.5, 0.25, -1]], V: [[3, -2]] };
/** Every logit near −1000: exp underflows to 0 in every entry (0/0 = NaN) unless the row maximum is subtracted. */
const VERY_NEGATIVE = { Q: [[30, 30], [20, 40]], K: [[-25, -25], [-20, -30], [-30, -15]], V: [[1, 2], [3, 4], [5, 6]] };
/**
 * Row 0's logits reach about +1980 (its first is −49), row 1's stay below +50: subtracting one maximum for the whole
 * matrix (not per row) underflows row 1; subtracting the first logit instead of the maximum overflows row 0.
 */
const ROWS_APART = { Q: [[35, 35], [-35, -35]], K: [[-1, -1], [40, 40], [39, 40]], V: [[1, 0, 2], [0, 1, 2], [1, 1, 0]] };

const FIXED: { key: string; sentence: string; m: { Q: number[][]; K: number[][]; V: number[][] } }[] = [
  { key: 'two-token', sentence: 'the two-token example of the statement', m: TWO_TOKEN },
  { key: 'worked-example', sentence: "the lesson's worked example (one query, three keys, scaled by 1/√2)", m: WORKED },
  { key: 'large-logits', sentence: 'logits in the thousands (softmax must not overflow)', m: LARGE },
  { key: 'very-negative-logits', sentence: 'logits near −1000 in every entry (softmax must not underflow to 0/0)', m: VERY_NEGATIVE },
  { key: 'rows-apart', sentence: 'one row of logits near +1980 and one below +50 (the maximum is taken per row)', m: ROWS_APART },
  { key: 'single-token', sentence: 'a single token attending to itself', m: ONE },
];

/** Sizes of a random part (b) case and the entries' scale (1: ordinary logits; 30: logits in the hundreds or thousands). */
type Dims = { Tq: number; Tk: number; dK: number; dV: number; mag: number };

/**
 * Random sizes by position k, so every seed covers every regime: k = 0 a single query, k = 1 a single key,
 * k = 2 more queries than keys with huge logits, k = 3 fewer queries than keys, k = 4 the sizes of k = 3 with new
 * numbers (code that caches its last result by size fails it).
 */
function dimsArb(k: number): fc.Arbitrary<Dims> {
  const size = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
  const base = { dK: size(1, 8), dV: size(1, 5), mag: fc.constant(k === 2 ? 30 : 1) };
  if (k === 0) return fc.record({ ...base, Tq: fc.constant(1), Tk: size(2, 7) });
  if (k === 1) return fc.record({ ...base, Tq: size(2, 6), Tk: fc.constant(1) });
  if (k === 2) return fc.record({ ...base, Tq: size(3, 6), Tk: size(2, 5) }).filter((p) => p.Tq > p.Tk);
  return fc.record({ ...base, Tq: size(1, 5), Tk: size(2, 7) }).filter((p) => p.Tq < p.Tk);
}

/** Part (a) sizes: all four distinct, so that swapped axes are caught. */
const shapeArb = fc
  .record({ Tq: fc.integer({ min: 1, max: 6 }), Tk: fc.integer({ min: 1, max: 9 }), dK: fc.integer({ min: 1, max: 12 }), dV: fc.integer({ min: 1, max: 16 }) })
  .filter((p) => new Set([p.Tq, p.Tk, p.dK, p.dV]).size === 4);

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.two-token', part: 'a', title: 'shapes for the two-token example (Tq = Tk = 2, d_k = d_v = 2)', make: () => shapesCase(2, 2, 2, 2) }));
  out.push(...random(seed, {
    id: 'a.shapes.random', part: 'a', count: 4, arb: () => shapeArb,
    title: (p) => `shapes for ${count(p.Tq, 'query', 'queries')} and ${count(p.Tk, 'key', 'keys')} (d_k = ${p.dK}, d_v = ${p.dV})`,
    make: (p) => shapesCase(p.Tq, p.Tk, p.dK, p.dV),
  }));
  for (const field of ['scores', 'weights', 'output'] as const) {
    for (const f of FIXED) {
      out.push(fixed({ id: `b.${field}.${f.key}`, part: 'b', title: `${FIELD_WORD[field]} for ${f.sentence}`, make: () => attentionCase(field, f.m.Q, f.m.K, f.m.V) }));
    }
    out.push(...random<Dims>(seed, {
      id: `b.${field}.random`, part: 'b', count: 5, arb: dimsArb, repeat: [4],
      title: (p) => `${FIELD_WORD[field]} for ${count(p.Tq, 'query', 'queries')} over ${count(p.Tk, 'key', 'keys')} (d_k = ${p.dK}, d_v = ${p.dV}${p.mag > 1 ? ', logits in the hundreds' : ''})`,
      make: (p, s) => {
        const rng = createRng(s);
        return attentionCase(field, randomMatrix(rng, p.Tq, p.dK, p.mag), randomMatrix(rng, p.Tk, p.dK, p.mag), randomMatrix(rng, p.Tk, p.dV));
      },
    }));
  }
  return out;
}

/** Exercise 01's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'missing-scale', module: missingScale, section: '1.3', message: 'your scores match QKᵀ without the 1/√d_k factor' },
    { name: 'scale-by-d-not-sqrt', module: scaleByDNotSqrt, section: '1.3', message: 'your scores match dividing by d_k instead of √d_k' },
    { name: 'softmax-wrong-axis', module: softmaxWrongAxis, section: '3.1', message: 'your weights match a softmax over each column (over queries) instead of each row (over keys)' },
    { name: 'no-max-subtraction', module: noMaxSubtraction, section: '3.5', message: 'your softmax overflows on large logits: subtract the row maximum before exponentiating' },
    { name: 'mixes-keys-not-values', module: mixesKeysNotValues, section: '1.2', message: 'your output mixes the rows of K instead of the rows of V (keys address, values carry the payload)' },
    { name: 'scores-shape-transposed', module: scoresShapeTransposed, section: '2.3', message: 'your shapes give S and A one row per key (Tk × Tq) instead of one row per query (Tq × Tk)' },
  ],
};
