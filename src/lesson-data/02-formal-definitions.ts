// Numbers for lesson 02 (formal definitions), computed by the reference engine at build time.
import {
  attention,
  attention2d,
  causalMask,
  combineMasks,
  createRng,
  maskToBias,
  matmul,
  paddingMask,
  softmax,
  tensor,
  transpose,
  type Tensor,
} from '../engine';

/** Object / Shape / Meaning rows for `<ShapeTable>` (object and shape are LaTeX). */
export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });

/** Throws at build time if a closed form and the engine disagree, so the page can never show both unequal. */
function expectClose(what: string, got: number, want: number, tol = 1e-12): number {
  if (!(Math.abs(got - want) <= tol)) throw new Error(`lesson 02: ${what}: engine ${got} ≠ closed form ${want}`);
  return got;
}

const rowSums = (m: number[][]) => m.map((r) => r.reduce((a, b) => a + b, 0));
const colSums = (m: number[][]) => transpose(m).map((c) => c.reduce((a, b) => a + b, 0));
const rows3 = (t: Tensor, lead: number, r: number, c: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(lead + i * c, lead + (i + 1) * c)));

// ---------------------------------------------------------------------------------------------
// 2.1 The hidden-state matrix: a batch of B = 2 sequences, T = 3 tokens, d_model = 4.
// Small integers drawn by the engine's seeded generator, so every product below stays readable.
export const B = 2;
export const T = 3;
export const dModel = 4;
export const dK = 2;
export const dV = 2;

const rng = createRng(11);
const ints = (r: number, c: number, lo: number, hi: number) =>
  Array.from({ length: r }, () => Array.from({ length: c }, () => rng.int(lo, hi)));

/** X as (B, T, d_model). */
export const Xbatch: number[][][] = [ints(T, dModel, -2, 3), ints(T, dModel, -2, 3)];
/** The first sequence, T × d_model. */
export const X = Xbatch[0];
export const xTensor = tensor([B, T, dModel], Xbatch.flat(2));
/** Row-major offset of element (b, t, c) = ((b·T + t)·d_model + c); example (1, 2, 3). */
export const flatIndex = { b: 1, t: 2, c: 3, offset: (1 * T + 2) * dModel + 3 };
export const flatValue = xTensor.data[flatIndex.offset];
export const xCount = xTensor.data.length;

export const shapes21: ShapeRow[] = [
  row('X', String.raw`T \times d_{\text{model}}`, 'one sequence: row t is the hidden state of token t'),
  row('x_t = X_{t,:}', String.raw`d_{\text{model}}`, 'the state of one token (a row, not a column)'),
  row(String.raw`\mathbf{X}`, String.raw`B \times T \times d_{\text{model}}`, 'a batch of B sequences padded to a common length T'),
  row(String.raw`\mathbf{X}_{b,t,c}`, String.raw`\text{scalar}`, 'feature c of token t in sequence b, at flat offset (bT + t)·d_model + c'),
];

// ---------------------------------------------------------------------------------------------
// 2.2 Projections W_Q, W_K ∈ R^{d_model×d_k}, W_V ∈ R^{d_model×d_v}, entries in {−1, 0, 1}.
export const WQ = ints(dModel, dK, -1, 2);
export const WK = ints(dModel, dK, -1, 2);
export const WV = ints(dModel, dV, -1, 2);
export const Q = matmul(X, WQ);
export const K = matmul(X, WK);
export const V = matmul(X, WV);
/** Q of the second sequence: the same W_Q, applied row by row. */
export const Q2 = matmul(Xbatch[1], WQ);
/** Parameters of the three projections; none of them depends on T. */
export const projParams = dModel * dK + dModel * dK + dModel * dV;
/** q_0 computed as one row times W_Q: the same numbers as row 0 of Q. */
export const q0 = matmul([X[0]], WQ)[0];

export const shapes22: ShapeRow[] = [
  row('X', String.raw`T \times d_{\text{model}}`, 'hidden states entering the layer'),
  row('W_Q,\\ W_K', String.raw`d_{\text{model}} \times d_k`, 'learned maps to query and key (address) space'),
  row('W_V', String.raw`d_{\text{model}} \times d_v`, 'learned map to value (payload) space'),
  row('Q = XW_Q', String.raw`T_q \times d_k`, 'one query per token: what it looks for'),
  row('K = XW_K', String.raw`T_k \times d_k`, 'one key per token: how it can be found'),
  row('V = XW_V', String.raw`T_k \times d_v`, 'one value per token: what it hands over'),
];

// ---------------------------------------------------------------------------------------------
// 2.3 Scaled dot-product attention on the Q, K, V above.
export const sdpa = attention2d(Q, K, V); // default scale 1/√d_k
export const rawDots = matmul(Q, transpose(K));
export const invSqrtDk = 1 / Math.sqrt(dK);
/** Entry (1, 2) of S read step by step. */
export const s12 = { dot: rawDots[1][2], scaled: sdpa.scores[1][2] };

// Worked example: one query, three keys, unscaled (scale 1).
export const we1 = {
  q: [[1, 0]],
  K: [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
  V: [
    [10, 0],
    [0, 10],
    [5, 5],
  ],
};
const we1r = attention2d(we1.q, we1.K, we1.V, { scale: 1 });
const e = Math.E;
export const we1Scores = we1r.scores[0];
export const we1Weights = we1r.weights[0];
export const we1Output = we1r.output[0];
/** e/(2e+1), 1/(2e+1), e/(2e+1), 15e/(2e+1), (10+5e)/(2e+1) — each checked against the engine. */
export const we1Closed = {
  a1: expectClose('α₁', we1Weights[0], e / (2 * e + 1)),
  a2: expectClose('α₂', we1Weights[1], 1 / (2 * e + 1)),
  a3: expectClose('α₃', we1Weights[2], e / (2 * e + 1)),
  o1: expectClose('o₁', we1Output[0], (15 * e) / (2 * e + 1)),
  o2: expectClose('o₂', we1Output[1], (10 + 5 * e) / (2 * e + 1)),
};
/** The same example with the 1/√2 scale: flatter weights. */
export const we1Scaled = attention2d(we1.q, we1.K, we1.V);

export const shapes23: ShapeRow[] = [
  row('Q', String.raw`T_q \times d_k`, 'queries'),
  row('K', String.raw`T_k \times d_k`, 'keys'),
  row('V', String.raw`T_k \times d_v`, 'values'),
  row(String.raw`S = QK^\top/\sqrt{d_k} + M`, String.raw`T_q \times T_k`, 'compatibility scores (logits), one per query–key pair'),
  row(String.raw`A = \operatorname{softmax}_{\text{row}}(S)`, String.raw`T_q \times T_k`, 'attention weights: row i is a distribution over keys'),
  row('O = AV', String.raw`T_q \times d_v`, 'mixed output values, one per query'),
];

// ---------------------------------------------------------------------------------------------
// 2.4 Row-stochastic weights.
export const sdpaRowSums = rowSums(sdpa.weights);
export const sdpaColSums = colSums(sdpa.weights);
export const sdpaMin = Math.min(...sdpa.weights.flat());
export const causalSdpa = attention2d(Q, K, V, { causal: true });
export const causalRowSums = rowSums(causalSdpa.weights);
/** A wide logit gap: the smallest weight is tiny but still positive. */
export const gapRow = softmax([0, -20, -40]);
/** The smallest of those weights as LaTeX scientific notation. */
export const gapTinyTex = (() => {
  const [m, ex] = gapRow[2].toExponential(2).split('e');
  return `${m} \\times 10^{${Number(ex)}}`;
})();

export const shapes24: ShapeRow[] = [
  row('A', String.raw`T_q \times T_k`, 'weights; entries in [0, 1]'),
  row(String.raw`A\mathbf{1}`, String.raw`T_q`, 'row sums: all exactly 1 (up to rounding)'),
  row(String.raw`\mathbf{1}^\top A`, String.raw`T_k`, 'column sums: how much total attention a key receives — no constraint'),
  row(String.raw`\mathcal{V}_i`, String.raw`\le T_k \text{ keys}`, 'the keys query i may see; A_ij = 0 outside it'),
];

// ---------------------------------------------------------------------------------------------
// 2.5 Masks.
const cm = causalMask(3, 3); // (Tq, Tk) keep-mask
export const causalKeep = rows3(cm, 0, 3, 3);
export const causalBias = rows3(maskToBias(cm), 0, 3, 3);

// Worked example: scores given directly (already scaled), causal mask, softmax row by row.
export const we3S = [
  [2, 1, 0],
  [0, 3, 4],
  [1, 1, 1],
];
export const we3Masked = we3S.map((r, i) => r.map((s, j) => s + causalBias[i][j]));
export const we3Weights = we3Masked.map((r) => softmax(r));
/** Row 1's maximum and the row after subtracting it. */
export const we3Max = Math.max(...we3Masked[1]);
export const we3Shifted = we3Masked[1].map((s) => s - we3Max);
export const we3Unmasked = we3S.map((r) => softmax(r));
const em3 = Math.exp(-3);
export const we3Closed = {
  a10: expectClose('row 1, key 0', we3Weights[1][0], em3 / (1 + em3)),
  a11: expectClose('row 1, key 1', we3Weights[1][1], 1 / (1 + em3)),
  a12: expectClose('row 1, key 2', we3Weights[1][2], 0, 0),
};
/** The "mask after softmax" bug on row 1: zero the future weight of the unmasked softmax. */
export const maskAfter = (() => {
  const w = [...we3Unmasked[1]];
  w[2] = 0;
  return { weights: w, sum: w.reduce((a, b) => a + b, 0) };
})();

// Broadcast shapes: a batch of two sequences of lengths 3 and 2 (right padding), causal, H = 2 heads.
export const padLengths = [3, 2];
const pm = paddingMask(padLengths, 3); // (B, 1, 1, Tk)
const cm4 = tensor([1, 1, 3, 3], cm.data); // (1, 1, Tq, Tk)
const both = combineMasks(pm, cm4); // (B, 1, Tq, Tk)
export const padShape = pm.shape;
export const causalShape4 = cm4.shape;
export const combinedShape = both.shape;
/** The padding keep-mask as B rows of T_k entries (1 = real token). */
export const padKeep = rows3(pm, 0, B, 3);
/** The combined keep-mask of sequence b = 1 (length 2), a Tq × Tk matrix. */
export const combinedB1 = rows3(both, 9, 3, 3);
const rngMask = createRng(7);
const H = 2;
const qkv = () => {
  const d = new Float64Array(B * H * 3 * 2);
  for (let i = 0; i < d.length; i++) d[i] = rngMask.int(-2, 3);
  return tensor([B, H, 3, 2], d);
};
const q4 = qkv();
const k4 = qkv();
const v4 = qkv();
const masked = attention(q4, k4, v4, { mask: both });
export const maskedScoresShape = masked.scores.shape;
/** Batch 1, head 0: weights (Tq × Tk); column 2 is padding, the upper triangle is the future. */
export const maskedWeightsB1H0 = rows3(masked.weights, (1 * H + 0) * 9, 3, 3);

export const shapes25: ShapeRow[] = [
  row('S', String.raw`B \times H \times T_q \times T_k`, 'scores of every batch item and head'),
  row(String.raw`M_{\text{causal}}`, String.raw`1 \times 1 \times T_q \times T_k`, 'query i may see key j iff j ≤ i; same for every sequence and head'),
  row(String.raw`M_{\text{pad}}`, String.raw`B \times 1 \times 1 \times T_k`, 'key j of sequence b is a real token; same for every head and query'),
  row(String.raw`M_{\text{causal}} + M_{\text{pad}}`, String.raw`B \times 1 \times T_q \times T_k`, 'both rules (a key must pass each); broadcasts over heads'),
  row(String.raw`M_{ij}`, String.raw`\{0,\,-\infty\}`, 'added to the logit before softmax'),
];
