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
  tensor,
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
export const shapes61: ShapeRow[] = [
  row('Q,\\;K,\\;V', String.raw`B \times H \times T \times d_h`, 'linear in T'),
  row('S = QK^\\top/\\sqrt{d_k}', String.raw`B \times H \times T \times T`, 'one logit per (query, key) pair: quadratic in T'),
  row('A = \\operatorname{softmax}_{\\text{row}}(S)', String.raw`B \times H \times T \times T`, 'same size again'),
  row('O = AV', String.raw`B \times H \times T \times d_h`, 'linear in T; costs 2·T²·d_h FLOPs per head to compute'),
];

// ---------------------------------------------------------------------------------------------
// 6.2 IO of standard attention vs an IO-aware kernel, one layer at T = 4096 (same shape).
export const T62 = 4096;
const io = attentionCost({ ...shape61, kvHeads: shape61.heads, seqLen: T62, phase: 'prefill', cache: false });
export const ioAware = { read: io.bytesRead, written: io.bytesWritten, total: io.bytesRead + io.bytesWritten };
/** Standard attention additionally writes S, reads it for softmax, writes A and reads it for AV. */
export const matrixBytes = shape61.batch * shape61.heads * T62 * T62 * shape61.bytesPerElement;
export const standardTotal = ioAware.total + 4 * matrixBytes;
export const ioRatio = standardTotal / ioAware.total;
export const shapes62: ShapeRow[] = [
  row('Q,\\;K,\\;V,\\;O \\text{ in HBM}', String.raw`B \times H \times T \times d_h`, 'read or written once by any kernel'),
  row('S,\\;A \\text{ in HBM}', String.raw`B \times H \times T \times T`, 'standard attention writes and re-reads both'),
  row('\\text{tile in SRAM}', String.raw`B_q \times B_k`, 'what an IO-aware kernel keeps on chip instead'),
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
  row('\\tilde O_i', String.raw`B_q \times d_v`, 'unnormalised partial output, rescaled when m grows'),
  row('O_i = \\tilde O_i / \\ell', String.raw`B_q \times d_v`, 'the exact output rows, written once'),
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
  row('M_{\\text{window}}', String.raw`T \times T`, 'keep j with i − w < j ≤ i: a band of width w'),
  row('M_{\\text{block}}', String.raw`T \times T`, 'keep pairs in the same block (and j ≤ i)'),
  row('\\text{visible pairs}', '\\text{scalar}', 'about T·w instead of T(T+1)/2'),
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
  row('\\text{KV cache}', String.raw`2 \cdot L \cdot B \cdot T \cdot h_{kv} \cdot d_h`, 'grows linearly with T'),
  row('\\text{prefill FLOPs}', String.raw`4 \cdot B \cdot h \cdot T^2 \cdot d_h \cdot L`, 'grows quadratically with T'),
];
