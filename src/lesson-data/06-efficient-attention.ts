// Numbers for lesson 06 (complexity and efficient attention), computed by the reference engine at build time.
import {
  attention,
  attentionCost,
  causalMask,
  createRng,
  flashAttention,
  kvCacheBytes,
  randomTensor,
  slidingWindowMask,
  largestTile,
  tensor,
  tiledOnChipBytes,
  type AttentionCost,
  type AttentionKernel,
  type Tensor,
} from '../engine';

export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const rowsOf = (t: Tensor, lead = 0): number[][] => {
  const [, , r, c] = t.shape;
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(lead + i * c, lead + (i + 1) * c)));
};

// ---------------------------------------------------------------------------------------------
// 6.1 Quadratic cost for one layer of a 7B-class shape: B = 1, h = 32, d_h = 128, fp16.
export const shape61 = { batch: 1, heads: 32, headDim: 128, bytesPerElement: 2 };
export const lengths61 = [1024, 2048, 4096, 8192, 16384];
export const table61 = lengths61.map((T) => {
  const c = attentionCost({ ...shape61, kvHeads: shape61.heads, seqLen: T, phase: 'prefill', cache: false });
  const scores = shape61.batch * shape61.heads * T * T;
  return { T, scores, scoreBytes: scores * shape61.bytesPerElement, flops: c.flops };
});
export const doublingRatio = table61[1].flops / table61[0].flops;
export const doublingScoreRatio = table61[1].scores / table61[0].scores;
/**
 * Where the attention core (QKᵀ and AV, from the engine's cost model, no causal skipping) overtakes the MLP per token
 * and layer. The MLP's two linear maps d_model → 4·d_model → d_model cost 2·(2·d_model·4·d_model) FLOPs per token;
 * the core costs 4·T·d_model per token, so they meet at T = 4·d_model.
 */
export function attentionMlpCrossover(dModel: number, heads: number): { T: number; mlpPerToken: number } {
  const mlpPerToken = 2 * 2 * dModel * 4 * dModel;
  const corePerToken = (T: number) => attentionCost({ phase: 'prefill', batch: 1, heads, kvHeads: heads, seqLen: T, headDim: dModel / heads, bytesPerElement: 2, cache: false }).flops / T;
  let T = 1;
  while (corePerToken(T) < mlpPerToken) T *= 2; // bracket, then bisect on the integer T
  let lo = T / 2;
  while (T - lo > 1) {
    const mid = Math.floor((lo + T) / 2);
    if (corePerToken(mid) < mlpPerToken) lo = mid;
    else T = mid;
  }
  return { T, mlpPerToken };
}
/** GPT-2 small (d_model = 768, 12 heads) and the 7B-class shape of this lesson (d_model = 4096). */
export const crossover61 = {
  small: { dModel: 768, ...attentionMlpCrossover(768, 12) },
  big: { dModel: shape61.heads * shape61.headDim, ...attentionMlpCrossover(shape61.heads * shape61.headDim, shape61.heads) },
};
export const shapes61: ShapeRow[] = [
  row('Q,\\;K,\\;V', String.raw`B \times H \times T \times d_h`, 'linear in T'),
  row('S = QK^\\top/\\sqrt{d_k}', String.raw`B \times H \times T \times T`, 'one logit per (query, key) pair: quadratic in T'),
  row('A = \\operatorname{softmax}_{\\text{row}}(S)', String.raw`B \times H \times T \times T`, 'same size again'),
  row('O = AV', String.raw`B \times H \times T \times d_h`, 'linear in $T$; costs $2T^2 d_h$ FLOPs per head to compute'),
];

// ---------------------------------------------------------------------------------------------
// 6.2 Main-memory traffic of standard attention vs a tiled kernel, one layer at T = 4096 (same shape).
export const T62 = 4096;
const layer62 = { ...shape61, kvHeads: shape61.heads, seqLen: T62, phase: 'prefill' as const, cache: false };
/** On-chip memory per processor in the worked example: 192 KiB (an A100 streaming multiprocessor's L1/shared memory). */
export const onChip62 = 192 * 1024;
/** 128×128 tiles, a common choice for d_h = 128, which fit in 192 KiB. */
export const tile62 = 128;
const traffic = (c: AttentionCost) => c.bytesRead + c.bytesWritten;
const tiledKernel = (onChipBytes: number, blockQ: number, blockK = blockQ): AttentionKernel => ({ kind: 'tiled', onChipBytes, blockQ, blockK });
const minimal62 = attentionCost(layer62);
const standard62 = attentionCost({ ...layer62, kernel: { kind: 'standard' } });
const tiled62 = attentionCost({ ...layer62, kernel: tiledKernel(onChip62, tile62) });
export const io62 = {
  minimal: traffic(minimal62),
  standard: traffic(standard62),
  tiled: traffic(tiled62),
  tiledKvPasses: tiled62.kvPasses,
  /** One H×T×T matrix in fp16. */
  matrixBytes: shape61.batch * shape61.heads * T62 * T62 * shape61.bytesPerElement,
  /** One pass over K and V of the layer. */
  kvBytes: 2 * shape61.batch * shape61.heads * T62 * shape61.headDim * shape61.bytesPerElement,
  tileBytes: tiledOnChipBytes(tile62, tile62, shape61.headDim, shape61.bytesPerElement),
};
export const ioRatio = io62.standard / io62.tiled;
/** Traffic of the tiled kernel as on-chip memory M grows (largest power-of-two square tile that fits). */
export const memorySweep62 = [48, 96, 192, 384, 768].map((kib) => {
  const M = kib * 1024;
  const t = largestTile(M, shape61.headDim, shape61.bytesPerElement);
  const c = attentionCost({ ...layer62, kernel: tiledKernel(M, t) });
  return { kib, tile: t, kvPasses: c.kvPasses, traffic: traffic(c), vsStandard: io62.standard / traffic(c) };
});
/**
 * FlashAttention's argument (Dao et al. 2022, Theorem 2): standard attention needs Θ(Td + T²) main-memory accesses, a
 * tiled kernel Θ(T²d²/M), so for T ≫ d the saving grows like M/d² (M in elements). The model's ratio for d_h = 64 and
 * d_h = 128 at the same M shows that dependence.
 */
export const headWidths62 = [64, 128].map((dh) => {
  const c = { ...layer62, headDim: dh };
  const t = largestTile(onChip62, dh, shape61.bytesPerElement);
  const std = traffic(attentionCost({ ...c, kernel: { kind: 'standard' } }));
  const tiled = traffic(attentionCost({ ...c, kernel: tiledKernel(onChip62, t) }));
  return { dh, tile: t, mOverD2: onChip62 / shape61.bytesPerElement / (dh * dh), ratio: std / tiled };
});
export const shapes62: ShapeRow[] = [
  row('Q,\\;O \\text{ in HBM}', String.raw`B \times H \times T \times d_h`, 'read once (Q) and written once (O) by any kernel'),
  row('K,\\;V \\text{ in HBM}', String.raw`B \times H_{kv} \times T \times d_h`, 'read once per query tile by a tiled kernel'),
  row('S,\\;A \\text{ in HBM}', String.raw`B \times H \times T \times T`, 'standard attention writes and re-reads both'),
  row('\\text{tiles on chip}', String.raw`2B_q d_h + 2B_k d_h + B_q B_k \le M`, 'query tile and running output, K and V tiles, score tile'),
];

// ---------------------------------------------------------------------------------------------
// 6.3 FlashAttention: exact, small scratch. T = 12, D = 4, blockQ = 4, blockK = 4, one head.
export const T63 = 12;
export const D63 = 4;
export const bq63 = 4;
export const bk63 = 4;
const rng63 = createRng(63);
const q63 = randomTensor(rng63, [1, 1, T63, D63]);
const k63 = randomTensor(rng63, [1, 1, T63, D63]);
const v63 = randomTensor(rng63, [1, 1, T63, D63]);
const naive63 = attention(q63, k63, v63);
const flash63 = flashAttention(q63, k63, v63, { blockQ: bq63, blockK: bk63, trace: true });
export const flashDiff = maxAbsDiff(flash63.output.data, naive63.output.data);
export const flashScratch = flash63.scratchElements;
export const naiveMatrix = T63 * T63;
const trace = flash63.trace ?? [];
export const traceSteps = trace.length;
/** A row whose running max grows after the first key tile, so the rescaling is visible. */
export const showRow = (() => {
  for (let i = 0; i < T63; i++) {
    if (trace.some((s) => i >= s.rowStart && i < s.rowEnd && s.kBlock > 0 && s.rescale[i - s.rowStart] < 1)) return i;
  }
  return 0;
})();
export const rowSteps = trace
  .filter((s) => showRow >= s.rowStart && showRow < s.rowEnd)
  .map((s) => {
    const r = showRow - s.rowStart;
    return { kBlock: s.kBlock, cols: `${s.colStart}–${s.colEnd - 1}`, tileMax: Math.max(...s.scores[r]), mBefore: s.mBefore[r], m: s.mAfter[r], lBefore: s.lBefore[r], l: s.lAfter[r], rescale: s.rescale[r], pSum: s.p[r].reduce((a, b) => a + b, 0) };
  });
export const rowFinal = rowSteps[rowSteps.length - 1];
/** The same row's softmax denominator from the naive scores, shifted by the final max. */
const naiveScoresRow = rowsOf(naive63.scores)[showRow];
export const rowNaiveMax = Math.max(...naiveScoresRow);
export const rowNaiveL = naiveScoresRow.reduce((a, s) => a + Math.exp(s - rowNaiveMax), 0);
/**
 * FlashAttention-1's update for the same row, written out here independently of the engine's kernel: the output is
 * kept normalised after every key tile, O ← (ℓ_old·e^{m_old − m_new}·O + P·V_j) / ℓ_new, and stays exact.
 */
export const fa1Row = (() => {
  const D = D63;
  const qRow = q63.data.subarray(showRow * D, (showRow + 1) * D);
  let m = -Infinity;
  let l = 0;
  let o = new Array<number>(D).fill(0);
  const steps: { kBlock: number; o0: number; fa2o0: number }[] = [];
  for (let j0 = 0, kb = 0; j0 < T63; j0 += bk63, kb++) {
    const cols = Array.from({ length: Math.min(bk63, T63 - j0) }, (_, c) => j0 + c);
    const s = cols.map((j) => {
      let dot = 0;
      for (let x = 0; x < D; x++) dot += qRow[x] * k63.data[j * D + x];
      return dot / Math.sqrt(D);
    });
    const mNew = Math.max(m, ...s);
    const alpha = Math.exp(m - mNew);
    const p = s.map((x) => Math.exp(x - mNew));
    const lNew = alpha * l + p.reduce((a, b) => a + b, 0);
    o = o.map((ox, x) => (l * alpha * ox + cols.reduce((a, j, c) => a + p[c] * v63.data[j * D + x], 0)) / lNew);
    m = mNew;
    l = lNew;
    // FlashAttention-2 keeps Õ unnormalised; its Õ/ℓ after this tile is the same number.
    const fa2 = trace.find((t) => showRow >= t.rowStart && showRow < t.rowEnd && t.kBlock === kb);
    const r = showRow - (fa2?.rowStart ?? 0);
    steps.push({ kBlock: kb, o0: o[0], fa2o0: fa2 ? fa2.o[r][0] / fa2.lAfter[r] : NaN });
  }
  const naiveRow = naive63.output.data.subarray(showRow * D, (showRow + 1) * D);
  return { steps, diff: maxAbsDiff(o, naiveRow), naive0: naiveRow[0] };
})();
// Causal run: tiles above the diagonal are skipped.
const flashCausal = flashAttention(q63, k63, v63, { blockQ: bq63, blockK: bk63, trace: true, causal: true });
export const causalSkipped = (flashCausal.trace ?? []).filter((s) => s.skipped).length;
export const causalTiles = (flashCausal.trace ?? []).length;
export const causalDiff = maxAbsDiff(flashCausal.output.data, attention(q63, k63, v63, { causal: true }).output.data);
// A larger case: T = 256, D = 16, tiles of 32.
const rngBig = createRng(64);
export const Tbig = 256;
const qb = randomTensor(rngBig, [1, 2, Tbig, 16]);
const kb = randomTensor(rngBig, [1, 2, Tbig, 16]);
const vb = randomTensor(rngBig, [1, 2, Tbig, 16]);
const flashBig = flashAttention(qb, kb, vb, { blockQ: 32, blockK: 32, causal: true });
export const bigDiff = maxAbsDiff(flashBig.output.data, attention(qb, kb, vb, { causal: true }).output.data);
export const bigScratch = flashBig.scratchElements;
export const bigMatrix = 2 * Tbig * Tbig;
export const shapes63: ShapeRow[] = [
  row('Q_i', String.raw`B_q \times d_h`, 'one query tile, loaded once per row block'),
  row('K_j,\\;V_j', String.raw`B_k \times d_h`, 'one key/value tile, streamed past the query tile'),
  row('S_{ij} = Q_i K_j^\\top/\\sqrt{d_k}', String.raw`B_q \times B_k`, 'the only piece of S that ever exists'),
  row('m,\\;\\ell', String.raw`B_q`, 'running row maximum and running normaliser'),
  row('\\tilde O_i', String.raw`B_q \times d_h`, 'unnormalised partial output (FlashAttention-2), rescaled when m grows'),
  row('O_i = \\tilde O_i / \\ell', String.raw`B_q \times d_h`, 'the exact output rows, written once'),
  row('L = m + \\log \\ell', String.raw`B_q`, 'per-row log-sum-exp, stored for the backward pass'),
];

// ---------------------------------------------------------------------------------------------
// 6.4 Sliding window and block-local attention versus full causal attention: T = 16, D = 8.
export const T64 = 16;
export const window64 = 4;
export const block64 = 4;
const rng64 = createRng(640);
const q64 = randomTensor(rng64, [1, 1, T64, 8]);
const k64 = randomTensor(rng64, [1, 1, T64, 8]);
const v64 = randomTensor(rng64, [1, 1, T64, 8]);
const full64 = attention(q64, k64, v64, { causal: true });
const win64 = attention(q64, k64, v64, { mask: slidingWindowMask(T64, T64, window64) });
const blockMask = tensor(
  [T64, T64],
  Array.from({ length: T64 * T64 }, (_, n) => {
    const i = Math.floor(n / T64);
    const j = n % T64;
    return j <= i && Math.floor(j / block64) === Math.floor(i / block64) ? 1 : 0;
  }),
);
const blk64 = attention(q64, k64, v64, { mask: blockMask });
const count = (m: Tensor) => m.data.reduce((a, x) => a + (x !== 0 ? 1 : 0), 0);
export const visibleFull = count(causalMask(T64, T64));
export const visibleWindow = count(slidingWindowMask(T64, T64, window64));
export const visibleBlock = count(blockMask);
/** Per-position largest output change vs full causal attention. */
const perPos = (o: Tensor) =>
  Array.from({ length: T64 }, (_, i) => maxAbsDiff(o.data.subarray(i * 8, i * 8 + 8), full64.output.data.subarray(i * 8, i * 8 + 8)));
export const windowDiffPerPos = perPos(win64.output);
export const blockDiffPerPos = perPos(blk64.output);
export const windowDiffMax = Math.max(...windowDiffPerPos);
export const blockDiffMax = Math.max(...blockDiffPerPos);
export const windowExactUpTo = windowDiffPerPos.findIndex((x) => x > 0);
export const windowDemo = { T: 8, w: 3 };
export const windowMaskRows = rowsOf({ shape: [1, 1, windowDemo.T, windowDemo.T], data: slidingWindowMask(windowDemo.T, windowDemo.T, windowDemo.w).data });
export const shapes64: ShapeRow[] = [
  row('M_{\\text{window}}', String.raw`T \times T`, 'keep $j$ with $i - w < j \\le i$: the query and the $w - 1$ keys before it'),
  row('M_{\\text{block}}', String.raw`T \times T`, 'keep pairs in the same block (and j ≤ i)'),
  row('\\text{visible pairs}', '\\text{scalar}', 'about $Tw$ instead of $T(T+1)/2$'),
  row('O_{\\text{sparse}} - O_{\\text{full}}', String.raw`B \times H \times T \times d_h`, 'nonzero wherever a hidden key carried weight: an approximation'),
];

// ---------------------------------------------------------------------------------------------
// 6.5 Long-context diagnostics: a "needle" key at position 0 that matches the query, among random keys.
// Weight on the needle vs context length, for full causal attention and a sliding window; plus cost and memory.
export const lengths65 = [1024, 4096, 16384, 65536];
export const window65 = 4096;
export const model65 = { layers: 32, heads: 32, kvHeads: 8, headDim: 128, bytesPerElement: 2 };
const D65 = 16;
export const needle = lengths65.map((T) => {
  const rng = createRng(65);
  const k = randomTensor(rng, [1, 1, T, D65]);
  const qv = new Float64Array(D65);
  for (let d = 0; d < D65; d++) qv[d] = 2 * k.data[d]; // the last query looks for key 0
  const v = randomTensor(rng, [1, 1, T, 1]);
  const q = tensor([1, 1, 1, D65], qv);
  const bias = (keep: (j: number) => boolean) => tensor([1, 1, 1, T], Array.from({ length: T }, (_, j) => (keep(j) ? 0 : -Infinity)));
  const full = attention(q, k, v).weights.data[0];
  const windowed = attention(q, k, v, { bias: bias((j) => j > T - 1 - window65) }).weights.data[0];
  const m = model65;
  const kv = kvCacheBytes({ layers: m.layers, batch: 1, seqLen: T, kvHeads: m.kvHeads, headDim: m.headDim, bytesPerElement: m.bytesPerElement });
  const cost = attentionCost({ phase: 'prefill', batch: 1, heads: m.heads, kvHeads: m.kvHeads, seqLen: T, headDim: m.headDim, layers: m.layers, bytesPerElement: m.bytesPerElement, cache: true });
  const scoreBytes = m.heads * T * T * m.bytesPerElement; // one layer's T×T matrix if materialised
  return { T, full, windowed, kvBytes: kv, prefillFlops: cost.flops, scoreBytes };
});
export const shapes65: ShapeRow[] = [
  row('a_{T,0}', '\\text{scalar}', 'weight the last query puts on an early, relevant key'),
  row('\\text{KV cache}', String.raw`2 \cdot L \cdot B \cdot T \cdot H_{kv} \cdot d_h`, 'grows linearly with T'),
  row('\\text{prefill FLOPs}', String.raw`4 \cdot B \cdot H \cdot T^2 \cdot d_h \cdot L`, 'grows quadratically with T'),
];
