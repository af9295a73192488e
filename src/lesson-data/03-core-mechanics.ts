// Numbers for lesson 03 (core mechanics), computed by the reference engine at build time.
import { attention2d, causalMask, rowEntropy, softmax, tensor, transpose } from '../engine';
import { sampleDotStats } from '../components/demos/temperature-sampling';
import { naiveSoftmax, stableSteps } from '../components/demos/stability-math';
import { we1 } from './02-formal-definitions';

/** Object / Shape / Meaning rows for `<ShapeTable>` (object and shape are LaTeX). */
export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });

function expectClose(what: string, got: number, want: number, tol = 1e-12): number {
  if (!(Math.abs(got - want) <= tol)) throw new Error(`lesson 03: ${what}: engine ${got} ≠ expected ${want}`);
  return got;
}
const sum = (r: readonly number[]) => r.reduce((a, b) => a + b, 0);
const entropyOf = (rows: number[][]): number[] => Array.from(rowEntropy(tensor([rows.length, rows[0].length], rows.flat())).data);
/** Scientific notation as LaTeX, e.g. 4.25 \times 10^{-18}. */
export function texSci(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? String.raw`\text{NaN}` : x > 0 ? String.raw`\infty` : String.raw`-\infty`;
  const [m, e] = x.toExponential(digits).split('e');
  return `${m} \\times 10^{${Number(e)}}`;
}

// ---------------------------------------------------------------------------------------------
// 3.1 Softmax over the right axis.
export const S = [
  [2, 1, 0],
  [0, 3, 4],
  [1, 1, 1],
];
export const rowSoft = S.map((r) => softmax(r));
/** The wrong-axis bug: softmax down each column (over queries). */
export const colSoft = transpose(transpose(S).map((c) => softmax(c)));
export const rowSoftRowSums = rowSoft.map(sum);
export const colSoftRowSums = colSoft.map(sum);
export const colSoftColSums = transpose(colSoft).map(sum);
/** Shift invariance: adding 100 to every score of a row changes nothing; doubling the scores does. */
export const shiftRow = softmax(S[1].map((s) => s + 100));
export const doubledRow = softmax(S[1].map((s) => 2 * s));
expectClose('shift invariance', shiftRow[2], rowSoft[1][2], 1e-12);

export const shapes31: ShapeRow[] = [
  row('S', String.raw`B \times H \times T_q \times T_k`, 'scores; the last axis indexes keys'),
  row(String.raw`\operatorname{softmax}_{\text{row}}`, String.raw`\text{over } T_k`, 'one normalisation per (b, h, i): a distribution over keys'),
  row('A', String.raw`B \times H \times T_q \times T_k`, 'same shape as S; sums over the last axis are 1'),
  row(String.raw`\textstyle\sum_j A_{ij}`, String.raw`B \times H \times T_q`, 'all ones — the check that the axis was right'),
];

// ---------------------------------------------------------------------------------------------
// 3.2 Weighted value aggregation (worked example 1: q = [1, 0], three keys, unscaled).
// The inputs are lesson 2.3's; this lesson reads them as a convex combination.
export { we1 };
const r1 = attention2d(we1.q, we1.K, we1.V, { scale: 1 });
export const we1Weights = r1.weights[0];
export const we1Output = r1.output[0];
/** The three values lie on the line x + y = 10, so every convex combination does too. */
export const we1CoordSum = sum(we1Output);
expectClose('o on the segment', we1CoordSum, 10, 1e-12);
/** Near one-hot and uniform limits: q = [1, −1] at scale 12 singles out key 1; scale 0 gives equal weights. */
export const sharpQ = [1, -1];
export const sharp = attention2d([sharpQ], we1.K, we1.V, { scale: 12 });
export const flat = attention2d([[1, 0]], we1.K, we1.V, { scale: 0 });
/** Mask-after-softmax on this row: key 3's weight zeroed after normalising. */
export const leaked = (() => {
  const w = [we1Weights[0], we1Weights[1], 0];
  const o = [0, 1].map((c) => w.reduce((a, wj, j) => a + wj * we1.V[j][c], 0));
  return { weights: w, weightSum: sum(w), output: o, coordSum: sum(o) };
})();

export const shapes32: ShapeRow[] = [
  row(String.raw`A_{i,:}`, String.raw`T_k`, 'the weights of query i: non-negative, summing to 1'),
  row('V', String.raw`T_k \times d_v`, 'one value vector per key'),
  row(String.raw`o_i = \sum_j A_{ij} v_j`, String.raw`d_v`, 'a convex combination of the visible values'),
  row('O = AV', String.raw`T_q \times d_v`, 'all outputs at once'),
];

// ---------------------------------------------------------------------------------------------
// 3.3 Entropy.
export const entropyScores = {
  sharp: [6, 0, 0, 0],
  medium: [2, 1, 0, 0],
  diffuse: [0.2, 0, 0.1, 0],
  uniform: [0, 0, 0, 0],
};
export const entropyRows = {
  sharp: softmax(entropyScores.sharp),
  medium: softmax(entropyScores.medium),
  diffuse: softmax(entropyScores.diffuse),
  uniform: softmax(entropyScores.uniform),
};
const ent = entropyOf([entropyRows.sharp, entropyRows.medium, entropyRows.diffuse, entropyRows.uniform]);
export const entropies = { sharp: ent[0], medium: ent[1], diffuse: ent[2], uniform: ent[3] };
export const ln4 = Math.log(4);
expectClose('uniform entropy', entropies.uniform, ln4, 1e-12);
export const effective = { sharp: Math.exp(ent[0]), medium: Math.exp(ent[1]), diffuse: Math.exp(ent[2]), uniform: Math.exp(ent[3]) };
export const ln8 = Math.log(8);
export const we1Entropy = entropyOf([we1Weights])[0];
export const ln3 = Math.log(3);
/** Causal rows with equal scores: row i is uniform over i + 1 keys, so the entropy of row i is ln(i + 1). */
export const causalUniform = (() => {
  const T = 4;
  const keep = causalMask(T, T);
  const ones = Array.from({ length: T }, () => [1]);
  const mask = Array.from({ length: T }, (_, i) => Array.from(keep.data.subarray(i * T, (i + 1) * T)));
  const r = attention2d(ones, ones, ones.map((_, j) => [j]), { mask, scale: 1 });
  const H = entropyOf(r.weights);
  return { weights: r.weights, entropy: H, bounds: H.map((_, i) => Math.log(i + 1)) };
})();

export const shapes33: ShapeRow[] = [
  row('A', String.raw`B \times H \times T_q \times T_k`, 'attention weights'),
  row(String.raw`\mathcal{H}_i = -\sum_j A_{ij}\ln A_{ij}`, String.raw`B \times H \times T_q`, 'one entropy per query row (nats)'),
  row(String.raw`\bar H_h`, String.raw`H`, 'mean row entropy of each head: a dashboard number'),
  row(String.raw`e^{\mathcal{H}_i}`, String.raw`B \times H \times T_q`, 'effective number of keys the row spreads over'),
];

// ---------------------------------------------------------------------------------------------
// 3.4 Temperature and the √d_k scale.
export const tempScores = [2, 1, 0.5, -1];
export const taus = [0.25, 0.5, 1, 2, 4];
export const tempRows = taus.map((tau) => softmax(tempScores.map((s) => s / tau)));
export const tempEntropy = entropyOf(tempRows);
export const ln4Temp = Math.log(tempScores.length);

export const dotSeed = 3;
export const dotSamples = 4000;
export const dotStats = [4, 16, 64, 256].map((dk) => sampleDotStats(dk, dotSamples, dotSeed));

export const shapes34: ShapeRow[] = [
  row('S', String.raw`T_q \times T_k`, 'logits before the temperature'),
  row(String.raw`\tau`, String.raw`\text{scalar} > 0`, 'temperature: < 1 sharpens, > 1 flattens'),
  row(String.raw`\operatorname{softmax}(S/\tau)`, String.raw`T_q \times T_k`, 'weights at temperature τ'),
  row(String.raw`q \cdot k`, String.raw`\text{scalar}`, 'variance $d_k$ for unit-variance entries, so $\\tau = \\sqrt{d_k}$ restores variance 1'),
];

// ---------------------------------------------------------------------------------------------
// 3.5 Numerical stability.
export const bigRow = [1000, 999, 998];
export const bigNaive = naiveSoftmax(bigRow);
export const bigStable = stableSteps(bigRow);
export const bigWeights = softmax(bigRow);
export const smallRow = [-1000, -1001, -1002];
export const smallNaive = naiveSoftmax(smallRow);
export const smallWeights = softmax(smallRow);
/** The largest logit whose exp is still finite, in float64, float32 and float16. */
export const expLimits = {
  f64: Math.log(Number.MAX_VALUE),
  f32: Math.log(3.4028234663852886e38),
  f16: Math.log(65504),
};
/** A fully masked row: −∞ everywhere (engine: zeros), and the same row with −1e9 (uniform). */
export const maskedRow = [-Infinity, -Infinity, -Infinity];
export const maskedEngine = softmax(maskedRow);
export const maskedNaive = naiveSoftmax(maskedRow).weights;
export const maskedFinite = softmax([-1e9, -1e9, -1e9]);
export const maskedOutput = attention2d([[1, 0]], we1.K, we1.V, { mask: [[0, 0, 0]] }).output[0];

export const shapes35: ShapeRow[] = [
  row(String.raw`S_{i,:}`, String.raw`T_k`, 'one row of logits, possibly huge or −∞'),
  row(String.raw`m_i = \max_j S_{ij}`, String.raw`\text{scalar per row}`, 'the shift that keeps every exponent ≤ 0'),
  row(String.raw`\ell_i = \sum_j e^{S_{ij} - m_i}`, String.raw`\text{scalar per row}`, 'normaliser, between 1 and T_k'),
  row(String.raw`\operatorname{LSE}_i = m_i + \ln \ell_i`, String.raw`\text{scalar per row}`, 'log of the full normaliser, never overflows'),
];
