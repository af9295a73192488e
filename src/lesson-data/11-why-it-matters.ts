// Lesson 11 (Why it matters): the concept → impact figures, the shapes of the bridge diagram (from a real
// forward pass of a small block through the engine), and the positional facts of "where it leads".
import {
  alibiSlopes,
  applyRope,
  attention,
  createRng,
  kvCacheBytes,
  linear,
  multiHeadAttention,
  randomTensor,
  tensor,
  type Tensor,
} from '../engine';
import { masks, pronoun, scaling } from './01-intuition';
import { flash, runs } from './09-common-mistakes';

const shapeOf = (t: Tensor) => [...t.shape];

// ---------------------------------------------------------------------------------------------
// 11.1 Concept → impact: one computed figure per row.
// ---------------------------------------------------------------------------------------------

/** The syllabus' serving example: 32 layers, 32 KV heads, d_h = 128, T = 4096, fp16, B = 1. */
const serving = { layers: 32, batch: 1, seqLen: 4096, kvHeads: 32, headDim: 128, bytesPerElement: 2 };
const gqaHeads = 8;
const ragTokens = 2048;

export const impact = {
  pronounWeight: pronoun.weights[pronoun.top],
  pronounToken: pronoun.tokens[pronoun.top],
  varUnscaled: scaling.last.varUnscaled,
  varScaled: scaling.last.varScaled,
  scalingDk: scaling.last.dk,
  futureZeros: masks.upperZero,
  futureCount: masks.upperCount,
  dModel: 4096,
  heads: 32,
  dHead: 4096 / 32,
  serving,
  mhaBytes: kvCacheBytes(serving),
  gqaHeads,
  gqaBytes: kvCacheBytes({ ...serving, kvHeads: gqaHeads }),
  gqaFactor: serving.kvHeads / gqaHeads,
  entropyT: serving.seqLen,
  entropyMax: Math.log(serving.seqLen),
  flashDiff: flash.diff,
  ragTokens,
  ragBytes: kvCacheBytes({ ...serving, seqLen: ragTokens, kvHeads: gqaHeads }),
  leak: runs['06'].bug.value,
};

// ---------------------------------------------------------------------------------------------
// 11.2 The bridge: token ids → embeddings → Q K V → softmax·V → W_O → residual → MLP, run for real.
// ---------------------------------------------------------------------------------------------

const BRIDGE_SEED = 11;

/** Layer norm over the last axis (no learned gain or bias): shape-preserving, for the pre-norm block. */
function layerNorm(x: Tensor): Tensor {
  const d = x.shape[x.shape.length - 1];
  const out = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length / d; r++) {
    const row = x.data.subarray(r * d, (r + 1) * d);
    const mean = row.reduce((a, b) => a + b, 0) / d;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / d;
    for (let c = 0; c < d; c++) out[r * d + c] = (row[c] - mean) / Math.sqrt(variance + 1e-5);
  }
  return { shape: [...x.shape], data: out };
}

const add = (a: Tensor, b: Tensor): Tensor => tensor(a.shape, a.data.map((x, i) => x + b.data[i]));
const gelu = (t: Tensor): Tensor =>
  tensor(t.shape, t.data.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))));

function bridgeStudy() {
  const cfg = { B: 2, T: 8, dModel: 64, heads: 4, kvHeads: 2, vocab: 100, mlp: 4 * 64 };
  const dHead = cfg.dModel / cfg.heads;
  const rng = createRng(BRIDGE_SEED);
  const ids = Array.from({ length: cfg.B * cfg.T }, () => rng.int(0, cfg.vocab));
  const table = randomTensor(rng, [cfg.vocab, cfg.dModel], 0.1);
  const x = tensor(
    [cfg.B, cfg.T, cfg.dModel],
    ids.flatMap((id) => Array.from(table.data.subarray(id * cfg.dModel, (id + 1) * cfg.dModel))),
  );
  const s = 1 / Math.sqrt(cfg.dModel);
  const wq = randomTensor(rng, [cfg.dModel, cfg.heads * dHead], s);
  const wk = randomTensor(rng, [cfg.dModel, cfg.kvHeads * dHead], s);
  const wv = randomTensor(rng, [cfg.dModel, cfg.kvHeads * dHead], s);
  const wo = randomTensor(rng, [cfg.heads * dHead, cfg.dModel], s);
  const mha = multiHeadAttention({ x: layerNorm(x), wq, wk, wv, wo, heads: cfg.heads, kvHeads: cfg.kvHeads, causal: true });
  const h = add(x, mha.output); // residual stream after attention
  const w1 = randomTensor(rng, [cfg.dModel, cfg.mlp], s);
  const w2 = randomTensor(rng, [cfg.mlp, cfg.dModel], 1 / Math.sqrt(cfg.mlp));
  const hidden = gelu(linear(layerNorm(h), w1));
  const y = add(h, linear(hidden, w2)); // residual stream after the MLP
  let maxRowSumError = 0;
  for (let r = 0; r < mha.weights.data.length / cfg.T; r++) {
    let sum = 0;
    for (let j = 0; j < cfg.T; j++) sum += mha.weights.data[r * cfg.T + j];
    maxRowSumError = Math.max(maxRowSumError, Math.abs(sum - 1));
  }
  return {
    cfg: { ...cfg, dHead },
    shapes: {
      ids: [cfg.B, cfg.T],
      table: shapeOf(table),
      x: shapeOf(x),
      q: shapeOf(mha.q),
      k: shapeOf(mha.k),
      v: shapeOf(mha.v),
      weights: shapeOf(mha.weights),
      heads: shapeOf(mha.heads),
      attnOut: shapeOf(mha.output),
      wo: shapeOf(wo),
      residual: shapeOf(h),
      hidden: shapeOf(hidden),
      y: shapeOf(y),
    },
    maxRowSumError,
    sameShape: shapeOf(y).join() === shapeOf(x).join(),
  };
}
export const bridge = bridgeStudy();

// ---------------------------------------------------------------------------------------------
// 11.3 Where it leads: attention alone ignores order; RoPE and ALiBi put position back in.
// ---------------------------------------------------------------------------------------------

function positionStudy() {
  const rng = createRng(BRIDGE_SEED + 1);
  const T = 5;
  const d = 8;
  const q = randomTensor(rng, [1, 1, T, d]);
  const k = randomTensor(rng, [1, 1, T, d]);
  const v = randomTensor(rng, [1, 1, T, 3]);
  // Permute the tokens: without positions, the outputs are permuted the same way and otherwise unchanged.
  const perm = [3, 0, 4, 1, 2];
  const permute = (t: Tensor) => {
    const w = t.shape[3];
    return tensor(t.shape, perm.flatMap((p) => Array.from(t.data.subarray(p * w, (p + 1) * w))));
  };
  const out = attention(q, k, v).output;
  const outPerm = attention(permute(q), permute(k), permute(v)).output;
  let permDiff = 0;
  perm.forEach((p, i) => {
    for (let c = 0; c < 3; c++) permDiff = Math.max(permDiff, Math.abs(outPerm.data[i * 3 + c] - out.data[p * 3 + c]));
  });
  // RoPE: the score of a query at position m and a key at position n depends only on m − n.
  const q1 = randomTensor(rng, [1, 1, 1, d]);
  const k1 = randomTensor(rng, [1, 1, 1, d]);
  const dot = (a: Tensor, b: Tensor) => a.data.reduce((acc, x, i) => acc + x * b.data[i], 0);
  const ropeScore = (m: number, n: number) => dot(applyRope(q1, [m]), applyRope(k1, [n]));
  const pairs = [
    [7, 4],
    [103, 100],
    [2003, 2000],
  ].map(([m, n]) => ({ m, n, score: ropeScore(m, n) }));
  const ropeSpread = Math.max(...pairs.map((p) => p.score)) - Math.min(...pairs.map((p) => p.score));
  return {
    T,
    perm,
    permDiff,
    pairs,
    ropeSpread,
    unrotated: ropeScore(0, 0),
    alibiHeads: 8,
    alibi: alibiSlopes(8),
  };
}
export const position = positionStudy();
