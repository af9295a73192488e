// Grader for exercise 03: row entropies of weights and of softmaxed scores, and the sharp/mixed/diffuse rule.
import { createRng, fromNested, headEntropy, rowEntropy, softmax, tensor, type Rng } from '../src/engine/index';
import rawMeta from '../exercises/03-attention-entropy/meta.json';
import * as entropyOfScoresNotWeights from '../exercises/03-attention-entropy/mistakes/entropy-of-scores-not-weights';
import * as entropyWrongAxis from '../exercises/03-attention-entropy/mistakes/entropy-wrong-axis';
import * as log2InsteadOfLn from '../exercises/03-attention-entropy/mistakes/log2-instead-of-ln';
import * as missingMinusSign from '../exercises/03-attention-entropy/mistakes/missing-minus-sign';
import * as nanOnZeroWeight from '../exercises/03-attention-entropy/mistakes/nan-on-zero-weight';
import * as thresholdsNotNormalised from '../exercises/03-attention-entropy/mistakes/thresholds-not-normalised';
import { dim, randomMatrix, roundTo } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/03-attention-entropy');

/** The thresholds of the statement on the normalised entropy H / ln k. */
export const SHARP_AT_MOST = 0.2;
export const DIFFUSE_AT_LEAST = 0.8;

const entropies = (A: number[][]) => Array.from(rowEntropy(fromNested(A)).data);

/** The statement's rule applied to the engine's entropies `H` of the rows of `A`. */
function classify(A: number[][], H = entropies(A)): string[] {
  return A.map((row, i) => {
    const k = row.filter((w) => w > 0).length;
    if (k <= 1) return 'sharp';
    const h = H[i] / Math.log(k);
    return h <= SHARP_AT_MOST ? 'sharp' : h >= DIFFUSE_AT_LEAST ? 'diffuse' : 'mixed';
  });
}

/**
 * A Tq×Tk weight matrix with varied rows: each row sees a prefix of the keys (the rest are exact zeros, as under a
 * causal or padding mask) and is a softmax at a random temperature — cold rows are sharp, hot rows diffuse.
 */
function randomWeights(rng: Rng, Tq: number, Tk: number): number[][] {
  return Array.from({ length: Tq }, () => {
    const visible = dim(rng, 1, Tk);
    const temp = [0.05, 0.3, 1, 3, 12][rng.int(0, 5)];
    const logits = Array.from({ length: Tk }, (_, j) => (j < visible ? roundTo(rng.normal() * temp, 3) : -Infinity));
    return softmax(logits);
  });
}

function buildShapesCase(B: number, H: number, Tq: number, Tk: number): Case {
  const w = tensor([B, H, Tq, Tk], new Float64Array(B * H * Tq * Tk).fill(1 / Tk));
  return {
    fn: 'shapes',
    args: [B, H, Tq, Tk],
    argNames: ['B', 'H', 'Tq', 'Tk'],
    expected: { A: w.shape, rowEntropy: rowEntropy(w).shape, headEntropy: headEntropy(w).shape },
    check: { kind: 'shapes', dims: { A: ['B', 'H', 'Tq', 'Tk'], rowEntropy: ['B', 'H', 'Tq'], headEntropy: ['H'] } },
    describe: describeParams({ B, H, Tq, Tk }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

const entropyCase = (A: number[][]): Case => ({
  fn: 'rowEntropy', args: [A], argNames: ['A'], readOnly: ['A'], expected: entropies(A),
  check: { kind: 'tensor', name: 'entropy', dims: ['Tq'] },
  describe: describeParams({ Tq: A.length, Tk: A[0].length }),
});

const scoreCase = (S: number[][]): Case => ({
  fn: 'scoreEntropy', args: [S], argNames: ['S'], readOnly: ['S'], expected: entropies(S.map((row) => softmax(row))),
  check: { kind: 'tensor', name: 'entropy', dims: ['Tq'] },
  describe: describeParams({ Tq: S.length, Tk: S[0].length }),
});

/** Rounding decides rows this close to a threshold, so the statement leaves them ungraded. */
const UNGRADED_BAND = 1e-9;

/**
 * A random row that lands within the band of a threshold (in practice never) is replaced by a one-hot row. Returns
 * the rows and the engine's entropies of the rows returned (computed once when no row was replaced).
 */
function awayFromThresholds(A: number[][]): { A: number[][]; H: number[] } {
  const H = entropies(A);
  let replaced = false;
  const rows = A.map((row, i) => {
    const k = row.filter((w) => w > 0).length;
    const h = k > 1 ? H[i] / Math.log(k) : 0;
    const near = Math.abs(h - SHARP_AT_MOST) < UNGRADED_BAND || Math.abs(h - DIFFUSE_AT_LEAST) < UNGRADED_BAND;
    if (near) replaced = true;
    return near ? row.map((_, j) => (j === 0 ? 1 : 0)) : row;
  });
  return { A: rows, H: replaced ? entropies(rows) : H };
}

/** Classifying the rows of A; `H` are their entropies when already computed. */
const classifyCase = (A: number[][], H?: number[]): Case => ({
  fn: 'classifyRows', args: [A], argNames: ['A'], readOnly: ['A'], expected: classify(A, H),
  check: { kind: 'exact', name: 'kinds' },
  describe: describeParams({ Tq: A.length, Tk: A[0].length }),
});

/** The statement's three rows: one-hot, uniform over 4, uniform over the 2 visible keys. */
const EXAMPLE = [[1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0, 0]];
/** One row of each kind, and rows whose kind depends on dividing by ln k. */
const KINDS = [[1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0, 0], [0.7, 0.2, 0.1, 0], [0.97, 0.01, 0.01, 0.01]];
/** A causal map of four tokens (row i sees i + 1 keys). */
const CAUSAL = [[1, 0, 0, 0], [0.3, 0.7, 0, 0], [0.2, 0.2, 0.6, 0], [0.1, 0.4, 0.1, 0.4]];
/** Scores with negative entries (they are logits, not probabilities). */
const SCORES = [[2, -1, 0.5], [0, 3, 4], [-2, -2, -2]];
/** Masked scores (−∞ passed in) and logits in the thousands: softmax must neither overflow nor give 0·(−∞) = NaN. */
const EDGE_SCORES = [[-Infinity, 2, -1], [1500, -Infinity, 1499], [-1200, -1201, -Infinity], [3, -Infinity, -Infinity]];

/**
 * A row over k keys whose normalised entropy H/ln k equals `h`: weight p on key 0 and (1 − p)/(k − 1) on the others,
 * p found by bisection (H falls as p grows from 1/k to 1), so rows can sit just either side of a threshold.
 */
function rowWithNormalisedEntropy(k: number, h: number, Tk: number): number[] {
  const row = (p: number) => [p, ...Array.from({ length: k - 1 }, () => (1 - p) / (k - 1)), ...Array.from({ length: Tk - k }, () => 0)];
  const hOf = (p: number) => entropies([row(p)])[0] / Math.log(k);
  let lo = 1 / k;
  let hi = 1 - 1e-12;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    if (hOf(mid) > h) lo = mid;
    else hi = mid;
  }
  return row((lo + hi) / 2);
}

let nearRows: number[][] | null = null;

/** Rows 0.01 either side of both thresholds for k = 2, 3 and 4 visible keys, and a row whose third weight is 1e-30 (it still counts in k). */
function nearThresholds(): number[][] {
  if (nearRows) return nearRows.map((r) => r.slice()); // the bisections cost ~1000 engine calls: made once
  const rows: number[][] = [];
  for (const k of [2, 3, 4]) for (const h of [SHARP_AT_MOST - 0.01, SHARP_AT_MOST + 0.01, DIFFUSE_AT_LEAST - 0.01, DIFFUSE_AT_LEAST + 0.01]) rows.push(rowWithNormalisedEntropy(k, h, 5));
  rows.push([0.5, 0.5 - 1e-30, 1e-30, 0, 0]);
  nearRows = rows;
  return rows.map((r) => r.slice());
}

type Dims = { Tq: number; Tk: number };
const pick = (rng: Rng, k: number): Dims => ({ Tq: k === 0 ? 1 : dim(rng, 1, 6), Tk: k === 1 ? 1 : dim(rng, 2, 8) });

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.fixed', part: 'a', title: 'shapes for weights with B = 2, H = 4, Tq = 3, Tk = 5', make: () => shapesCase(2, 4, 3, 5) }));
  out.push(...random<{ B: number; H: number; Tq: number; Tk: number }>(seed, {
    id: 'a.shapes.random', part: 'a', count: 3, min: { B: 1, H: 1, Tq: 1, Tk: 1 },
    params: (rng) => {
      const B = dim(rng, 1, 3);
      const H = B + dim(rng, 1, 3);
      const Tq = H + dim(rng, 1, 3);
      return { B, H, Tq, Tk: Tq + dim(rng, 1, 3) };
    },
    title: (p) => `shapes for weights with B = ${p.B}, H = ${p.H}, Tq = ${p.Tq}, Tk = ${p.Tk}`,
    make: (p) => shapesCase(p.B, p.H, p.Tq, p.Tk),
  }));

  out.push(fixed({ id: 'b.entropy.example', part: 'b', title: "row entropies of the statement's one-hot, uniform and half-masked rows", make: () => entropyCase(EXAMPLE) }));
  out.push(fixed({ id: 'b.entropy.causal', part: 'b', title: 'row entropies of a 4-token causal attention map (zeros above the diagonal)', make: () => entropyCase(CAUSAL) }));
  out.push(...random<Dims>(seed, {
    id: 'b.entropy.random', part: 'b', count: 4, params: pick, min: { Tq: 1, Tk: 1 }, repeat: [3],
    title: (p) => `row entropies of a ${p.Tq}×${p.Tk} weight matrix with masked keys`,
    make: (p, s) => entropyCase(randomWeights(createRng(s), p.Tq, p.Tk)),
  }));

  out.push(fixed({ id: 'b.score-entropy.fixed', part: 'b', title: 'entropies of the weights produced by a 3×3 score matrix with negative scores', make: () => scoreCase(SCORES) }));
  out.push(fixed({ id: 'b.score-entropy.edge', part: 'b', title: 'entropies from scores holding −∞ (masked keys) and logits in the thousands', make: () => scoreCase(EDGE_SCORES) }));
  out.push(...random<Dims>(seed, {
    id: 'b.score-entropy.random', part: 'b', count: 3, params: pick, min: { Tq: 1, Tk: 1 }, repeat: [2],
    title: (p) => `entropies of the weights produced by a ${p.Tq}×${p.Tk} score matrix`,
    make: (p, s) => scoreCase(randomMatrix(createRng(s), p.Tq, p.Tk, 2)),
  }));

  out.push(fixed({ id: 'b.classify.kinds', part: 'b', title: 'sharp, mixed or diffuse for rows that see 1, 2, 3 and 4 keys', make: () => classifyCase(KINDS) }));
  out.push(fixed({ id: 'b.classify.near-thresholds', part: 'b', title: 'sharp, mixed or diffuse for rows 0.01 either side of h = 0.2 and h = 0.8, and a row with a weight of 1e-30', make: () => classifyCase(nearThresholds()) }));
  out.push(...random<Dims>(seed, {
    id: 'b.classify.random', part: 'b', count: 4, min: { Tq: 1, Tk: 1 }, repeat: [3],
    params: (rng) => ({ Tq: dim(rng, 3, 8), Tk: dim(rng, 2, 8) }),
    title: (p) => `sharp, mixed or diffuse for the rows of a ${p.Tq}×${p.Tk} weight matrix`,
    make: (p, s) => {
      const away = awayFromThresholds(randomWeights(createRng(s), p.Tq, p.Tk));
      return classifyCase(away.A, away.H);
    },
  }));
  return out;
}

/** Exercise 03's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'log2-instead-of-ln', module: log2InsteadOfLn, section: '3.3', message: 'your entropies are in bits (log base 2); the lesson measures them in nats (natural log)' },
    { name: 'nan-on-zero-weight', module: nanOnZeroWeight, section: '3.3', message: 'your entropy is NaN where a weight is 0: 0·ln 0 must count as 0, so skip zero weights' },
    { name: 'missing-minus-sign', module: missingMinusSign, section: '3.3', message: 'your entropies are negative: H = −Σ w ln w, with the minus sign' },
    { name: 'entropy-wrong-axis', module: entropyWrongAxis, section: '3.3', message: 'your entropies run down the columns (over queries); each row (over keys) is one distribution' },
    { name: 'entropy-of-scores-not-weights', module: entropyOfScoresNotWeights, section: '7.3', message: 'your scoreEntropy uses the raw scores as probabilities; softmax each row first' },
    { name: 'thresholds-not-normalised', module: thresholdsNotNormalised, section: '7.3', message: 'your classification compares the raw entropy with 0.2 and 0.8; divide by ln k, the most the row could have' },
  ],
};
