// Lesson 01 (Intuition): every number the lesson prints, computed with the reference engine at build time.
import {
  attention,
  attention2d,
  attentionCost,
  causalMask,
  createRng,
  paddingMask,
  randomTensor,
  rowEntropy,
  softmax,
  tensor,
  type Tensor,
} from '../engine';
import { itQuery, keyFeatures, valueFeatures } from './pronoun-toy';

/** Rows of a (1, 1, T, D) tensor, or of a (B, 1, T, D) tensor's batch `b`, as number[][]. */
function rows(t: Tensor, b = 0): number[][] {
  const [, H, T, D] = t.shape;
  const start = b * H * T * D;
  return Array.from({ length: T }, (_, i) => Array.from(t.data.subarray(start + i * D, start + (i + 1) * D)));
}

const argmax = (xs: number[]) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// 1.1 The pronoun example: "it" as a query over the whole sentence (encoder-style, nothing masked).
// ---------------------------------------------------------------------------------------------

function pronounExample() {
  const tokens = keyFeatures.map(([t]) => t);
  const K = keyFeatures.map(([, k]) => k);
  const V = valueFeatures;
  const dk = itQuery.length;
  const r = attention2d([itQuery], K, V); // scale defaults to 1/√d_k
  const scores = r.scores[0];
  const weights = r.weights[0];
  const output = r.output[0];
  const order = weights.map((w, j) => j).sort((a, b) => weights[b] - weights[a]);
  const top = argmax(scores);
  // Hard retrieval: one-hot on the best key, so the output is that key's value, copied.
  const hardWeights = scores.map((_, j) => (j === top ? 1 : 0));
  const hardOutput = V[top];
  // Nudge the score of "animal" by ε and watch both kinds of retrieval respond.
  const eps = 0.01;
  const nudged = scores.map((s, j) => (j === top ? s + eps : s));
  const softNudged = softmax(nudged);
  const softSlope = (softNudged[top] - weights[top]) / eps;
  const analyticSlope = weights[top] * (1 - weights[top]);
  const hardNudged = nudged.map((_, j) => (j === argmax(nudged) ? 1 : 0));
  const hardSlope = (hardNudged[top] - hardWeights[top]) / eps;
  // How far must "road"'s score rise before hard retrieval flips? Soft retrieval moves smoothly meanwhile.
  const road = tokens.indexOf('road');
  const byScore = scores.map((_, j) => j).sort((a, b) => scores[b] - scores[a]);
  const runnerUp = byScore[1];
  const flipGap = scores[top] - scores[runnerUp];
  return {
    tokens,
    K,
    V,
    query: itQuery,
    dk,
    scale: 1 / Math.sqrt(dk),
    scores,
    weights,
    output,
    weightSum: sum(weights),
    order,
    top,
    road,
    runnerUp,
    self: tokens.indexOf('it'),
    hardWeights,
    hardOutput,
    eps,
    softSlope,
    analyticSlope,
    hardSlope,
    flipGap,
    /** Weight share of the two nouns together. */
    nounShare: weights[top] + weights[road],
  };
}
export const pronoun = pronounExample();

// ---------------------------------------------------------------------------------------------
// 1.2 Q/K/V roles: one query, three keys, three values (the single-query worked example).
// ---------------------------------------------------------------------------------------------

function rolesExample() {
  const q = [1, 0];
  const K = [
    [1, 0],
    [0, 1],
    [1, 1],
  ];
  const V = [
    [10, 0],
    [0, 10],
    [5, 5],
  ];
  const r = attention2d([q], K, V);
  // Same query and keys, different payloads: the weights cannot change, the output does.
  const V2 = [
    [0, 4],
    [8, 8],
    [-2, 6],
  ];
  const r2 = attention2d([q], K, V2);
  // Same payloads, a different query: the weights move, the payload rows stay put.
  const q3 = [0, 1];
  const r3 = attention2d([q3], K, V);
  const dk = q.length;
  return {
    q,
    K,
    V,
    dk,
    scale: 1 / Math.sqrt(dk),
    scores: r.scores[0],
    weights: r.weights[0],
    output: r.output[0],
    /** e^{s}/(2e^{s}+1) with s = 1/√2, the closed form of the tied weight. */
    closedForm: Math.exp(1 / Math.sqrt(dk)) / (2 * Math.exp(1 / Math.sqrt(dk)) + 1),
    V2,
    weights2: r2.weights[0],
    output2: r2.output[0],
    maxWeightChange: Math.max(...r.weights[0].map((w, j) => Math.abs(w - r2.weights[0][j]))),
    q3,
    weights3: r3.weights[0],
    output3: r3.output[0],
  };
}
export const roles = rolesExample();

// ---------------------------------------------------------------------------------------------
// 1.3 Why scale: the variance of q·k grows like d_k; 1/√d_k brings it back to 1.
// ---------------------------------------------------------------------------------------------

const SCALING_SEED = 20240601;
const SAMPLES = 4000;
const ROW_KEYS = 8;
const ROWS = 200;

function scalingStudy() {
  const dims = [4, 16, 64, 256];
  const rng = createRng(SCALING_SEED);
  const variance = (xs: number[]) => {
    const m = sum(xs) / xs.length;
    return sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1);
  };
  const table = dims.map((dk) => {
    // SAMPLES independent pairs (q, k) with i.i.d. N(0, 1) components.
    const dots: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const q = randomTensor(rng, [dk]);
      const k = randomTensor(rng, [dk]);
      let dot = 0;
      for (let i = 0; i < dk; i++) dot += q.data[i] * k.data[i];
      dots.push(dot);
    }
    const varUnscaled = variance(dots);
    const varScaled = variance(dots.map((x) => x / Math.sqrt(dk)));
    const varOverDk = variance(dots.map((x) => x / dk));
    // ROWS attention rows: a random query against ROW_KEYS random keys, with and without 1/√d_k.
    const q = randomTensor(rng, [1, 1, ROWS, dk]);
    const k = randomTensor(rng, [1, 1, ROW_KEYS, dk]);
    const v = randomTensor(rng, [1, 1, ROW_KEYS, 1]);
    const raw = attention(q, k, v, { scale: 1 });
    const scaled = attention(q, k, v); // default scale 1/√d_k
    const rowMax = (w: Tensor) => rows(w).map((r) => Math.max(...r));
    const mean = (xs: ArrayLike<number>) => sum(Array.from(xs)) / xs.length;
    const rawW = rows(raw.weights)[0];
    const scaledW = rows(scaled.weights)[0];
    return {
      dk,
      sqrtDk: Math.sqrt(dk),
      varUnscaled,
      varScaled,
      varOverDk,
      sdUnscaled: Math.sqrt(varUnscaled),
      /** Means over ROWS rows. */
      maxUnscaled: mean(rowMax(raw.weights)),
      maxScaled: mean(rowMax(scaled.weights)),
      entropyUnscaled: mean(rowEntropy(raw.weights).data),
      entropyScaled: mean(rowEntropy(scaled.weights).data),
      /** The first row in full. */
      rawWeights: rawW,
      scaledWeights: scaledW,
      rawScores: rows(raw.scores)[0],
      scaledScores: rows(scaled.scores)[0],
      rowMaxUnscaled: Math.max(...rawW),
      rowMaxScaled: Math.max(...scaledW),
      rowEntropyUnscaled: rowEntropy(raw.weights).data[0],
      rowEntropyScaled: rowEntropy(scaled.weights).data[0],
      /** Largest softmax slope a_j(1 − a_j) in that row: near 0 means the row is saturated. */
      slopeUnscaled: Math.max(...rawW.map((a) => a * (1 - a))),
      slopeScaled: Math.max(...scaledW.map((a) => a * (1 - a))),
    };
  });
  return {
    seed: SCALING_SEED,
    samples: SAMPLES,
    rows: ROWS,
    rowKeys: ROW_KEYS,
    lnRowKeys: Math.log(ROW_KEYS),
    table,
    last: table[table.length - 1],
  };
}
export const scaling = scalingStudy();

// ---------------------------------------------------------------------------------------------
// 1.4 Why masks: causal, padding, and the wrong way (zeroing after softmax).
// ---------------------------------------------------------------------------------------------

const MASK_SEED = 7;

function maskStudy() {
  const tokens = ['the', 'cat', 'sat', 'down'];
  const T = tokens.length;
  const dk = 4;
  const rng = createRng(MASK_SEED);
  const q = randomTensor(rng, [1, 1, T, dk]);
  const k = randomTensor(rng, [1, 1, T, dk]);
  const v = randomTensor(rng, [1, 1, T, 2]);
  const open = attention(q, k, v);
  const causal = attention(q, k, v, { causal: true });
  const cm = causalMask(T, T); // (Tq, Tk), 1 = visible
  const keep = rows({ shape: [1, 1, T, T], data: cm.data });
  const W = rows(causal.weights);
  const Wopen = rows(open.weights);
  const S = rows(causal.scores);
  let upperCount = 0;
  let upperZero = 0;
  for (let i = 0; i < T; i++) {
    for (let j = i + 1; j < T; j++) {
      upperCount++;
      if (W[i][j] === 0) upperZero++;
    }
  }
  // The wrong way: softmax over every key, then zero the future entries.
  const after = Wopen.map((row, i) => row.map((w, j) => (j > i ? 0 : w)));
  const afterSums = after.map(sum);
  // Future leakage without a mask: how much of row 0's weight sits on keys it must not see.
  const leak0 = sum(Wopen[0].slice(1));
  // Changing a future token must not change an earlier output: perturb the last key and value.
  const k2 = tensor(k.shape, k.data.map((x, idx) => (idx >= (T - 1) * dk ? x + 3 : x)));
  const v2 = tensor(v.shape, v.data.map((x, idx) => (idx >= (T - 1) * 2 ? x - 5 : x)));
  const causal2 = attention(q, k2, v2, { causal: true });
  const open2 = attention(q, k2, v2);
  const maxDiff = (a: Tensor, b: Tensor, upToRow: number, width: number) => {
    let m = 0;
    for (let idx = 0; idx < upToRow * width; idx++) m = Math.max(m, Math.abs(a.data[idx] - b.data[idx]));
    return m;
  };

  // Padding: a batch of two sequences, lengths 4 and 2, padded to 4 (the same random q, k, v in both).
  const lengths = [T, 2];
  const qb = tensor([2, 1, T, dk], [...q.data, ...q.data]);
  const kb = tensor([2, 1, T, dk], [...k.data, ...k.data]);
  const vb = tensor([2, 1, T, 2], [...v.data, ...v.data]);
  const padMask = paddingMask(lengths, T); // (B, 1, 1, Tk)
  const padded = attention(qb, kb, vb, { mask: padMask });
  const unpadded = attention(qb, kb, vb);
  const padRow = rows(padded.weights, 1)[1]; // sequence 2, query 1 (its last real token)
  const leakyRow = rows(unpadded.weights, 1)[1];

  // The 3×3 worked example: scores given directly (Q = S, K = I, scale 1 reproduces them), causal mask.
  const S3 = [
    [2, 1, 0],
    [0, 3, 4],
    [1, 1, 1],
  ];
  const I3 = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const ex3 = attention2d(S3, I3, I3, { scale: 1, causal: true });
  const ex3open = attention2d(S3, I3, I3, { scale: 1 });
  return {
    tokens,
    T,
    dk,
    seed: MASK_SEED,
    keep,
    scores: S,
    weights: W,
    openWeights: Wopen,
    rowSums: W.map(sum),
    upperCount,
    upperZero,
    after,
    afterSums,
    leak0,
    causalChange: maxDiff(causal.output, causal2.output, T - 1, 2),
    openChange: maxDiff(open.output, open2.output, T - 1, 2),
    lengths,
    padShape: padMask.shape,
    padRow,
    leakyRow,
    padLeak: sum(leakyRow.slice(lengths[1])),
    S3,
    ex3Scores: ex3.scores,
    ex3Weights: ex3.weights,
    ex3OpenRow1: ex3open.weights[1],
    ex3Closed: [Math.exp(-3) / (1 + Math.exp(-3)), 1 / (1 + Math.exp(-3))],
  };
}
export const masks = maskStudy();

// ---------------------------------------------------------------------------------------------
// 1.5 Attention vs recurrence: operation counts, sequential steps and path length per layer.
// ---------------------------------------------------------------------------------------------

/** FLOPs of the sequence-mixing core of one layer. Attention: QKᵀ and AV (engine cost model, one head of width d). */
function attentionFlops(T: number, d: number): number {
  return attentionCost({ phase: 'prefill', batch: 1, heads: 1, kvHeads: 1, seqLen: T, headDim: d, bytesPerElement: 2, cache: false }).flops;
}
/** Recurrence h_t = tanh(W h_{t−1} + U x_t): two d×d matrix–vector products (2d² FLOPs each) per step, T steps. */
function recurrentFlops(T: number, d: number): number {
  return T * 2 * (2 * d * d);
}

function complexityStudy() {
  const cases = [
    { T: 512, d: 512 },
    { T: 8192, d: 512 },
    { T: 128, d: 1024 },
  ].map(({ T, d }) => {
    const attn = attentionFlops(T, d);
    const rnn = recurrentFlops(T, d);
    return {
      T,
      d,
      attnOrder: T * T * d,
      rnnOrder: T * d * d,
      attnFlops: attn,
      rnnFlops: rnn,
      ratio: attn / rnn,
      attnSteps: 1,
      rnnSteps: T,
      attnPath: 1,
      rnnPath: T - 1,
      scoreEntries: T * T,
    };
  });
  // The self-check question: T = 4096, d = 1024.
  const check = { T: 4096, d: 1024, ratio: attentionFlops(4096, 1024) / recurrentFlops(4096, 1024) };
  return { cases, short: cases[0], long: cases[1], narrow: cases[2], check };
}
export const complexity = complexityStudy();
