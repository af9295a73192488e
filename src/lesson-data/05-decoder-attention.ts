// Numbers for lesson 05 (decoder attention in LLMs), computed by the reference engine at build time.
import {
  alibiBias,
  alibiSlopes,
  applyRope,
  attention,
  attentionCost,
  causalMask,
  createKVCache,
  createRng,
  decodeStep,
  kvCacheBytes,
  leakageProbe,
  multiHeadAttention,
  paddingMask,
  randomTensor,
  ropeFrequencies,
  softmax,
  tensor,
  type Tensor,
} from '../engine';

/** Object / Shape / Meaning rows for `<ShapeTable>` (object and shape are LaTeX). */
export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });

/** Rows of a (1, 1, r, c) tensor (or of head h / batch b of a 4-d tensor) as number[][]. */
export function rowsOf(t: Tensor, b = 0, h = 0): number[][] {
  const [, H, r, c] = t.shape;
  const lead = (b * H + h) * r * c;
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(lead + i * c, lead + (i + 1) * c)));
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

// ---------------------------------------------------------------------------------------------
// 5.1 Causal attention: T = 5, D = 4, one head.
export const T51 = 5;
export const D51 = 4;
const rng51 = createRng(51);
const q51 = randomTensor(rng51, [1, 1, T51, D51]);
const k51 = randomTensor(rng51, [1, 1, T51, D51]);
const v51 = randomTensor(rng51, [1, 1, T51, D51]);
const causal51 = attention(q51, k51, v51, { causal: true });
const open51 = attention(q51, k51, v51);
export const causalWeights = rowsOf(causal51.weights);
export const openWeights = rowsOf(open51.weights);
/** Largest weight above the diagonal (must be exactly 0). */
export const upperMax = Math.max(...causalWeights.flatMap((r, i) => r.filter((_, j) => j > i)));
/** Weight that query 0 puts on the future without a mask. */
export const openFutureMass0 = openWeights[0].slice(1).reduce((a, b) => a + b, 0);
/** Perturb the last token's k and v; watch the outputs of positions 0..T−2. */
const probe = (causal: boolean) =>
  leakageProbe((x) => attention(x.q, x.k, x.v, { causal }).output, { q: q51, k: k51, v: v51 }, {
    perturb: { k: [T51 - 1], v: [T51 - 1] },
    observe: Array.from({ length: T51 - 1 }, (_, t) => t),
  });
export const probeCausal = probe(true);
export const probeOpen = probe(false);
export const shapes51: ShapeRow[] = [
  row('X', String.raw`B \times T \times d_{\text{model}}`, 'hidden states of the prefix entering the layer'),
  row('Q,\\;K', String.raw`B \times H \times T \times d_h`, 'one query and one key per position and head'),
  row('V', String.raw`B \times H \times T \times d_h`, 'payload of each position'),
  row('M_{\\text{causal}}', String.raw`1 \times 1 \times T \times T`, '0 on and below the diagonal (j ≤ i), −∞ above it'),
  row('S = QK^\\top/\\sqrt{d_k} + M', String.raw`B \times H \times T \times T`, 'logits; future entries are −∞'),
  row('A = \\operatorname{softmax}_{\\text{row}}(S)', String.raw`B \times H \times T \times T`, 'lower-triangular, each row sums to 1 over j ≤ i'),
  row('O = AV', String.raw`B \times H \times T \times d_h`, 'output of position i mixes only values 0..i'),
];

// ---------------------------------------------------------------------------------------------
// 5.2 KV cache bytes: the 7B-class example of the syllabus.
export const gqaKvHeads = 8;
export const batchServe = 8;
export const decodeBatch = 32;
export const model7b = { layers: 32, heads: 32, headDim: 128, seqLen: 4096, batch: 1, bytesPerElement: 2 };
const bytesFor = (kvHeads: number, over: Partial<typeof model7b> = {}) => {
  const m = { ...model7b, ...over };
  return kvCacheBytes({ layers: m.layers, batch: m.batch, seqLen: m.seqLen, kvHeads, headDim: m.headDim, bytesPerElement: m.bytesPerElement });
};
export const cacheMHA = bytesFor(32);
export const cacheGQA8 = bytesFor(gqaKvHeads);
export const cacheMQA = bytesFor(1);
export const cachePerToken = bytesFor(32, { seqLen: 1 });
export const cacheBatch8 = bytesFor(32, { batch: batchServe });
export const cacheFp32 = bytesFor(32, { bytesPerElement: 4 });
export const gqaSaving = cacheMHA / cacheGQA8;

// A decode step with the cache equals the last row of full causal attention (B=1, H=2, T=6, D=4).
const rng52 = createRng(52);
export const T52 = 6;
const q52 = randomTensor(rng52, [1, 2, T52, 4]);
const k52 = randomTensor(rng52, [1, 2, T52, 4]);
const v52 = randomTensor(rng52, [1, 2, T52, 4]);
const slice = (t: Tensor, from: number, to: number): Tensor => {
  const [B, H, , D] = t.shape;
  const n = to - from;
  const data = new Float64Array(B * H * n * D);
  for (let r = 0; r < B * H; r++) data.set(t.data.subarray((r * t.shape[2] + from) * D, (r * t.shape[2] + to) * D), r * n * D);
  return { shape: [B, H, n, D], data };
};
const full52 = attention(q52, k52, v52, { causal: true });
const cache = createKVCache();
cache.prefill(slice(k52, 0, T52 - 1), slice(v52, 0, T52 - 1));
export const cacheLenBefore = cache.length;
const step = decodeStep(slice(q52, T52 - 1, T52), slice(k52, T52 - 1, T52), slice(v52, T52 - 1, T52), cache);
export const cacheLenAfter = cache.length;
export const decodeVsFull = maxAbsDiff(step.output.data, slice(full52.output, T52 - 1, T52).data);
export const decodeWeightsShape = step.weights.shape;
export const decodeOut = rowsOf(step.output, 0, 0)[0];
export const shapes52: ShapeRow[] = [
  row('K_{\\text{cache}},\\;V_{\\text{cache}}', String.raw`B \times H_{kv} \times T_{\text{past}} \times d_h`, 'keys and values of every earlier position, per layer'),
  row('q_t', String.raw`B \times H \times 1 \times d_h`, 'the one new query of the decode step'),
  row('k_t,\\;v_t', String.raw`B \times H_{kv} \times 1 \times d_h`, 'appended to the cache after the step'),
  row('s_t = q_t K^\\top/\\sqrt{d_k}', String.raw`B \times H \times 1 \times (T_{\text{past}}+1)`, 'one row of logits; no mask needed beyond the cache'),
  row('o_t', String.raw`B \times H \times 1 \times d_h`, 'equals row t of full causal attention'),
  row('\\text{bytes}', '\\text{scalar}', '2 · layers · B · T · H_kv · d_h · bytes per element'),
];

// ---------------------------------------------------------------------------------------------
// 5.3 Prefill vs decode with the engine's cost model (one layer and all 32 layers).
const costBase = { batch: 1, heads: 32, headDim: 128, layers: 32, bytesPerElement: 2 };
export const prefill = attentionCost({ ...costBase, phase: 'prefill', kvHeads: 32, seqLen: 4096, cache: true });
export const decode = attentionCost({ ...costBase, phase: 'decode', kvHeads: 32, seqLen: 4096, cache: true });
export const decodeNoCache = attentionCost({ ...costBase, phase: 'decode', kvHeads: 32, seqLen: 4096, cache: false });
export const decodeGQA = attentionCost({ ...costBase, phase: 'decode', kvHeads: gqaKvHeads, seqLen: 4096, cache: true });
export const decodeBatch32 = attentionCost({ ...costBase, phase: 'decode', kvHeads: 32, seqLen: 4096, cache: true, batch: decodeBatch });
export const prefillPerToken = prefill.flops / 4096;
/** The same prefill with a tiled kernel: 128×128 tiles in 192 KiB of on-chip memory, K and V read once per query tile. */
export const tiledPrefill = {
  tile: 128,
  cost: attentionCost({ ...costBase, phase: 'prefill', kvHeads: 32, seqLen: 4096, cache: true, kernel: { kind: 'tiled', onChipBytes: 192 * 1024, blockQ: 128, blockK: 128 } }),
};
export const shapes53: ShapeRow[] = [
  row('Q_{\\text{prefill}}', String.raw`B \times H \times T \times d_h`, 'every prompt position at once: QKᵀ is a matrix–matrix product'),
  row('S_{\\text{prefill}}', String.raw`B \times H \times T \times T`, 'all causal scores of the prompt'),
  row('q_{\\text{decode}}', String.raw`B \times H \times 1 \times d_h`, 'one query: qKᵀ is a matrix–vector product'),
  row('K_{\\text{cache}}', String.raw`B \times H_{kv} \times T \times d_h`, 'read in full at every decode step'),
  row('I = \\text{FLOPs}/\\text{bytes}', '\\text{scalar}', 'arithmetic intensity: high = compute-bound, low = bandwidth-bound'),
];

// ---------------------------------------------------------------------------------------------
// 5.4 RoPE: q·k depends only on the offset. d = 4, base 10000; also the frequencies for d = 8.
export const ropeD = 4;
export const ropeFreqs8 = ropeFrequencies(8);
export const ropeFreqs4 = ropeFrequencies(4);
const rng54 = createRng(54);
const qv = randomTensor(rng54, [1, ropeD]);
const kv = randomTensor(rng54, [1, ropeD]);
export const ropeQ = Array.from(qv.data);
export const ropeK = Array.from(kv.data);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
/** Score of q at position m and k at position n after RoPE. */
export const ropeScore = (m: number, n: number) => dot(applyRope(qv, [m]).data, applyRope(kv, [n]).data);
export const ropePairs = [
  { m: 5, n: 2 },
  { m: 12, n: 9 },
  { m: 105, n: 102 },
  { m: 5, n: 4 },
].map((p) => ({ ...p, offset: p.m - p.n, score: ropeScore(p.m, p.n) }));
export const ropeRaw = dot(qv.data, kv.data);
export const ropeRotated5 = Array.from(applyRope(qv, [5]).data);
export const ropeNormBefore = Math.sqrt(dot(qv.data, qv.data));
export const ropeNormAfter = Math.sqrt(dot(ropeRotated5, ropeRotated5));

// ALiBi.
export const slopes8 = alibiSlopes(8);
export const slopes6 = alibiSlopes(6);
export const slopes12 = alibiSlopes(12);
export const alibiT = 5;
const bias = alibiBias(8, alibiT, alibiT);
const causalBias = (m: number[][]) => m.map((r, i) => r.map((x, j) => (j > i ? -Infinity : x)));
export const alibiHead0 = causalBias(rowsOf(bias, 0, 0));
export const alibiHead7 = causalBias(rowsOf(bias, 0, 7));
/** Equal content scores (all zero) with ALiBi: the weights of the last query in head 0 and head 7. */
const lastQuery = attention(
  tensor([1, 8, 1, 1], new Float64Array(8)),
  tensor([1, 8, alibiT, 1], new Float64Array(8 * alibiT)),
  tensor([1, 8, alibiT, 1], Float64Array.from({ length: 8 * alibiT }, (_, n) => n % alibiT)),
  { bias: alibiBias(8, 1, alibiT, { past: alibiT - 1 }) },
);
export const alibiLastRowHead0 = rowsOf(lastQuery.weights, 0, 0)[0];
export const alibiLastRowHead7 = rowsOf(lastQuery.weights, 0, 7)[0];
export const uniformCheck = softmax(new Array(alibiT).fill(0));
export const shapes54: ShapeRow[] = [
  row('\\theta_i = b^{-2i/d}', String.raw`d/2`, 'one rotation frequency per coordinate pair (b = base)'),
  row('R_m q_m,\\;R_n k_n', String.raw`B \times H \times T \times d_h`, 'queries and keys rotated by their own positions'),
  row('(R_m q)^\\top (R_n k)', '\\text{scalar}', 'depends on m − n, not on m and n separately'),
  row('m_h = 2^{-8(h+1)/H}', 'H', 'one ALiBi slope per head h = 0, …, H − 1'),
  row('\\text{bias}_{h,i,j} = -m_h (i - j)', String.raw`1 \times H \times T_q \times T_k`, 'added to the logits before softmax'),
];

// ---------------------------------------------------------------------------------------------
// 5.5 Cross-attention: Worked Example 2 of seed 003 (B = 2, L_src = 4, L_tgt = 3, d_model = 8, one head).
export const ex2 = { B: 2, Lsrc: 4, Ltgt: 3, dModel: 8 };
const rng55 = createRng(55);
const Hsrc = randomTensor(rng55, [2, 4, 8]);
const Ytgt = randomTensor(rng55, [2, 3, 8]);
const w = () => randomTensor(rng55, [8, 8], 1 / Math.sqrt(8));
const wq = w();
const wk = w();
const wv = w();
const wo = w();
/** Source lengths: sequence 0 has 4 real tokens, sequence 1 has 2 (two padded source positions). */
export const srcLengths = [4, 2];
const enc = multiHeadAttention({ x: Hsrc, wq, wk, wv, wo, heads: 1, mask: paddingMask(srcLengths, 4) });
const dec = multiHeadAttention({ x: Ytgt, wq, wk, wv, wo, heads: 1, causal: true });
const cross = multiHeadAttention({ x: Ytgt, xKv: Hsrc, wq, wk, wv, wo, heads: 1, mask: paddingMask(srcLengths, 4) });
const shp = (t: Tensor) => t.shape;
export const ex2Shapes = {
  enc: { q: shp(enc.q), k: shp(enc.k), v: shp(enc.v), weights: shp(enc.weights), out: shp(enc.output) },
  dec: { q: shp(dec.q), k: shp(dec.k), v: shp(dec.v), weights: shp(dec.weights), out: shp(dec.output) },
  cross: { q: shp(cross.q), k: shp(cross.k), v: shp(cross.v), weights: shp(cross.weights), out: shp(cross.output) },
};
export const crossWeightsB1 = rowsOf(cross.weights, 1, 0);
export const crossWeightsB0 = rowsOf(cross.weights, 0, 0);
export const crossRowSumsB1 = crossWeightsB1.map((r) => r.reduce((a, b) => a + b, 0));
export const decWeightsB0 = rowsOf(dec.weights, 0, 0);
export const causalMaskCheck = causalMask(3, 3).shape;
export const shapes55: ShapeRow[] = [
  row('Y', String.raw`B \times T_{\text{tgt}} \times d_{\text{model}}`, 'decoder states: the source of the queries'),
  row('H', String.raw`B \times T_{\text{src}} \times d_{\text{model}}`, 'encoder outputs (or retrieved text): the source of keys and values'),
  row('Q = YW_Q', String.raw`B \times H \times T_{\text{tgt}} \times d_h`, 'what each target position is looking for'),
  row('K = HW_K,\\;V = HW_V', String.raw`B \times H \times T_{\text{src}} \times d_h`, 'addresses and payloads of the source'),
  row('M_{\\text{pad}}', String.raw`B \times 1 \times 1 \times T_{\text{src}}`, 'hides padded source positions'),
  row('S,\\;A', String.raw`B \times H \times T_{\text{tgt}} \times T_{\text{src}}`, 'rectangular; softmax runs over the T_src source positions'),
  row('O = AV', String.raw`B \times H \times T_{\text{tgt}} \times d_h`, 'one source summary per target position'),
];

// Inputs named in the prose, and the self-check.
export const slopes4 = alibiSlopes(4);
const scIn = { layers: 40, kvHeads: 8, headDim: 128, bytesPerElement: 2 };
export const sc = { ...scIn, bytes: kvCacheBytes({ ...scIn, batch: 1, seqLen: 1 }) };
