// Numbers for lesson 04 (multi-head attention), computed by the reference engine at build time.
import {
  attention,
  attention2d,
  createRng,
  headEntropy,
  kvCacheBytes,
  linear,
  mergeHeads,
  multiHeadAttention,
  randomTensor,
  splitHeads,
  tensor,
  type Tensor,
} from '../engine';

/** Object / Shape / Meaning rows for `<ShapeTable>` (object and shape are LaTeX). */
export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });

const maxAbsDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);
const norm = (t: Tensor) => Math.sqrt(t.data.reduce((s, x) => s + x * x, 0));
/** Rows of a (…, r, c) tensor starting at flat offset `at`. */
const mat = (t: Tensor, at: number, r: number, c: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(at + i * c, at + (i + 1) * c)));
/** Columns [c0, c1) of a (rows, cols) tensor, as number[][]. */
const cols = (w: Tensor, c0: number, c1: number): number[][] =>
  Array.from({ length: w.shape[0] }, (_, i) => Array.from(w.data.subarray(i * w.shape[1] + c0, i * w.shape[1] + c1)));

// ---------------------------------------------------------------------------------------------
// 4.1 Head width.
export const configs = [
  { name: 'Transformer base (2017)', dModel: 512, h: 8 },
  { name: 'BERT-base / GPT-2 small', dModel: 768, h: 12 },
  { name: 'a 7B-class decoder', dModel: 4096, h: 32 },
  { name: 'this lesson’s toy layer', dModel: 4, h: 2 },
].map((c) => ({ ...c, dh: c.dModel / c.h, params: 4 * c.dModel * c.dModel }));

export const shapes41: ShapeRow[] = [
  row('d_{\\text{model}}', String.raw`\text{scalar}`, 'width of the residual stream (input and output of the layer)'),
  row('H', String.raw`\text{scalar}`, 'number of query heads; must divide d_model'),
  row(String.raw`d_h = d_{\text{model}}/H`, String.raw`\text{scalar}`, 'width of one head; d_k = d_v = d_h in the standard design'),
  row(String.raw`W_Q, W_K, W_V, W_O`, String.raw`d_{\text{model}} \times d_{\text{model}}`, 'total parameters 4·d_model², whatever h is'),
];

// ---------------------------------------------------------------------------------------------
// 4.2 Parallel heads: B = 1, T = 3, d_model = 4, h = 2, d_h = 2.
export const T = 3;
export const dModel = 4;
export const h = 2;
export const dh = dModel / h;
const rng = createRng(42);
const ints = (shape: number[], lo: number, hi: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(shape, Array.from({ length: n }, () => rng.int(lo, hi)));
};
const x = ints([1, T, dModel], -2, 3);
const wq = ints([dModel, dModel], -1, 2);
const wk = ints([dModel, dModel], -1, 2);
const wv = ints([dModel, dModel], -1, 2);
const wo = ints([dModel, dModel], -1, 2);
export const X = mat(x, 0, T, dModel);
export const WQ = mat(wq, 0, dModel, dModel);
const mha = multiHeadAttention({ x, wq, wk, wv, wo, heads: h });
/** Per-head weights (T × T) of the toy layer. */
export const headWeights = [0, 1].map((r) => mat(mha.weights, r * T * T, T, T));
export const headEntropies = Array.from(headEntropy(mha.weights).data);
export const mhaOutput = mat(mha.output, 0, T, dModel);
/** Head r equals one-head attention with W_Q, W_K, W_V restricted to columns r·d_h … (r+1)·d_h. */
export const headAsSingle = (() => {
  let diff = 0;
  for (let r = 0; r < h; r++) {
    const Qr = linear(x, tensor([dModel, dh], cols(wq, r * dh, (r + 1) * dh).flat()));
    const Kr = linear(x, tensor([dModel, dh], cols(wk, r * dh, (r + 1) * dh).flat()));
    const Vr = linear(x, tensor([dModel, dh], cols(wv, r * dh, (r + 1) * dh).flat()));
    const single = attention2d(mat(Qr, 0, T, dh), mat(Kr, 0, T, dh), mat(Vr, 0, T, dh));
    const fromMha = mat(mha.weights, r * T * T, T, T);
    single.weights.forEach((rw, i) => rw.forEach((w, j) => (diff = Math.max(diff, Math.abs(w - fromMha[i][j])))));
  }
  return diff;
})();
if (headAsSingle > 1e-12) throw new Error(`lesson 04: a head differs from single-head attention by ${headAsSingle}`);

export const shapes42: ShapeRow[] = [
  row('X', String.raw`B \times T \times d_{\text{model}}`, 'the same input for every head'),
  row(String.raw`W_Q^{(h)}, W_K^{(h)}`, String.raw`d_{\text{model}} \times d_h`, 'head h’s own query and key maps (columns of W_Q, W_K)'),
  row(String.raw`W_V^{(h)}`, String.raw`d_{\text{model}} \times d_v`, 'head h’s own value map'),
  row(String.raw`A^{(h)}`, String.raw`B \times T_q \times T_k`, 'head h’s weights; H of them, all different'),
  row(String.raw`O^{(h)} = A^{(h)} V^{(h)}`, String.raw`B \times T_q \times d_v`, 'head h’s output'),
];

// ---------------------------------------------------------------------------------------------
// 4.3 Split (reshape + transpose), concat, W_O.
/** Q with entries 0..11 so each element's origin is visible: (1, T, d_model). */
const counting = tensor([1, T, dModel], Array.from({ length: T * dModel }, (_, i) => i));
export const countingQ = mat(counting, 0, T, dModel);
export const countingLast = T * dModel - 1;
const split = splitHeads(counting, h); // (1, h, T, d_h)
export const splitShape = split.shape;
export const splitHeadsMats = [0, 1].map((r) => mat(split, r * T * dh, T, dh));
/** The bug: reshape (1, T, d_model) straight to (1, h, T, d_h) without the transpose. */
export const wrongHeadsMats = [0, 1].map((r) => mat(counting, r * T * dh, T, dh));
export const mergedBack = mat(mergeHeads(split), 0, T, dModel);

/** Full layer with the wrong split (and the matching wrong merge): shapes all fine, numbers not. */
const wrongSplit = (t: Tensor, heads: number): Tensor => {
  const [B, TT, D] = t.shape;
  return tensor([B, heads, TT, D / heads], t.data);
};
const wrongMerge = (t: Tensor): Tensor => {
  const [B, H, TT, d] = t.shape;
  return tensor([B, TT, H * d], t.data);
};
const wrongLayer = (() => {
  const q = wrongSplit(linear(x, wq), h);
  const k = wrongSplit(linear(x, wk), h);
  const v = wrongSplit(linear(x, wv), h);
  const r = attention(q, k, v);
  return linear(wrongMerge(r.output), wo);
})();
export const wrongOutput = mat(wrongLayer, 0, T, dModel);
export const wrongMaxDiff = maxAbsDiff(wrongLayer, mha.output);
export const wrongOutputShape = wrongLayer.shape;
export const rightOutputShape = mha.output.shape;
/** O·W_O = Σ_r O^(r) W_O^(r): the concat-then-project equals a sum of per-head projections. */
export const headContribs = (() => {
  const contribs = [0, 1].map((r) => {
    const Or = tensor([1, T, dh], mat(mha.heads, r * T * dh, T, dh).flat());
    const WOr = tensor([dh, dModel], Array.from(wo.data.subarray(r * dh * dModel, (r + 1) * dh * dModel)));
    return linear(Or, WOr);
  });
  const sum = tensor(contribs[0].shape, contribs[0].data.map((v, i) => v + contribs[1].data[i]));
  return { contribs: contribs.map((c) => mat(c, 0, T, dModel)), maxDiff: maxAbsDiff(sum, mha.output) };
})();

export const shapes43: ShapeRow[] = [
  row('Q = XW_Q', String.raw`B \times T \times d_{\text{model}}`, 'all heads’ queries side by side'),
  row(String.raw`\text{reshape}`, String.raw`B \times T \times H \times d_h`, 'cut each token’s row into H pieces of width d_h'),
  row(String.raw`\text{transpose}(1,2)`, String.raw`B \times H \times T \times d_h`, 'bring heads forward so each head is a T × d_h matrix'),
  row(String.raw`S, A`, String.raw`B \times H \times T_q \times T_k`, 'one score and weight matrix per head'),
  row(String.raw`O_{\text{heads}}`, String.raw`B \times H \times T_q \times d_v`, 'per-head outputs'),
  row(String.raw`\operatorname{Concat}`, String.raw`B \times T_q \times H d_v`, 'transpose back, then reshape'),
  row('W_O', String.raw`H d_v \times d_{\text{model}}`, 'output projection: mixes heads, back to model width'),
];

// ---------------------------------------------------------------------------------------------
// 4.4 Ablation: h = 4 heads, d_model = 8, T = 5; head 3's rows of W_O are scaled by 0.05.
export const ab = { T: 5, dModel: 8, h: 4, weakHead: 3, weakScale: 0.05 };
const rngAb = createRng(5);
const xAb = randomTensor(rngAb, [1, ab.T, ab.dModel]);
const wScale = 1 / Math.sqrt(ab.dModel);
const [wqAb, wkAb, wvAb, woAb] = [0, 1, 2, 3].map(() => randomTensor(rngAb, [ab.dModel, ab.dModel], wScale));
const dhAb = ab.dModel / ab.h;
for (let i = ab.weakHead * dhAb * ab.dModel; i < (ab.weakHead + 1) * dhAb * ab.dModel; i++) woAb.data[i] *= ab.weakScale;
const abInput = { x: xAb, wq: wqAb, wk: wkAb, wv: wvAb, wo: woAb, heads: ab.h, causal: true };
const full = multiHeadAttention(abInput);
const fullNorm = norm(full.output);
export const ablation = Array.from({ length: ab.h }, (_, r) => {
  const cut = multiHeadAttention({ ...abInput, ablateHeads: [r] });
  const diff = tensor(cut.output.shape, cut.output.data.map((v, i) => v - full.output.data[i]));
  return { head: r, relChange: norm(diff) / fullNorm };
});
export const ablationEntropy = Array.from(headEntropy(full.weights).data);
if (Math.min(...ablationEntropy) !== ablationEntropy[ab.weakHead]) throw new Error('lesson 04: the prose says the weak head has the sharpest map');
/** Ablating the two weakest-effect heads together. */
export const ablateBoth = (() => {
  const order = [...ablation].sort((a, b) => a.relChange - b.relChange);
  const heads = [order[0].head, order[1].head];
  const cut = multiHeadAttention({ ...abInput, ablateHeads: heads });
  const diff = tensor(cut.output.shape, cut.output.data.map((v, i) => v - full.output.data[i]));
  return { heads, relChange: norm(diff) / fullNorm };
})();

export const shapes44: ShapeRow[] = [
  row(String.raw`O_{\text{heads}}`, String.raw`B \times H \times T \times d_v`, 'per-head outputs before W_O'),
  row(String.raw`O^{(h)} \leftarrow 0`, String.raw`B \times T \times d_v`, 'ablation: zero head h’s slice before the projection'),
  row(String.raw`O_{-h}`, String.raw`B \times T \times d_{\text{model}}`, 'layer output without head h'),
  row(String.raw`\|O - O_{-h}\| / \|O\|`, String.raw`\text{scalar}`, 'how much the layer’s output depends on head h'),
];

// ---------------------------------------------------------------------------------------------
// 4.5 GQA and MQA.
export const cache = { layers: 32, batch: 1, seqLen: 4096, headDim: 128, bytesPerElement: 2, h: 32 };
export const cacheRows = [32, 8, 1].map((kvHeads) => ({
  kvHeads,
  label: kvHeads === cache.h ? 'MHA' : kvHeads === 1 ? 'MQA' : 'GQA',
  group: cache.h / kvHeads,
  bytes: kvCacheBytes({ ...cache, kvHeads }),
}));
export const cacheRatio = cacheRows[0].bytes / cacheRows[1].bytes;

/** GQA (h = 4, h_kv = 2) equals MHA whose K/V weights repeat each kv head for its group. */
export const gqa = (() => {
  const H = 4;
  const Hkv = 2;
  const d = 8;
  const dhG = d / H;
  const rg = createRng(9);
  const xg = randomTensor(rg, [1, 4, d]);
  const wqg = randomTensor(rg, [d, H * dhG], 0.5);
  const wkg = randomTensor(rg, [d, Hkv * dhG], 0.5);
  const wvg = randomTensor(rg, [d, Hkv * dhG], 0.5);
  const wog = randomTensor(rg, [H * dhG, d], 0.5);
  const g = multiHeadAttention({ x: xg, wq: wqg, wk: wkg, wv: wvg, wo: wog, heads: H, kvHeads: Hkv, causal: true });
  // Repeat kv head ⌊r / (H/Hkv)⌋ for query head r: columns of W_K and W_V.
  const repeat = (w: Tensor) => {
    const out: number[] = [];
    for (let i = 0; i < d; i++) {
      for (let r = 0; r < H; r++) {
        const src = Math.floor(r / (H / Hkv));
        for (let c = 0; c < dhG; c++) out.push(w.data[i * Hkv * dhG + src * dhG + c]);
      }
    }
    return tensor([d, H * dhG], out);
  };
  const m = multiHeadAttention({ x: xg, wq: wqg, wk: repeat(wkg), wv: repeat(wvg), wo: wog, heads: H, causal: true });
  return {
    H,
    Hkv,
    group: H / Hkv,
    kShape: g.k.shape,
    qShape: g.q.shape,
    weightsShape: g.weights.shape,
    maxDiff: maxAbsDiff(g.output, m.output),
    kvParams: 2 * d * Hkv * dhG,
    kvParamsMha: 2 * d * H * dhG,
  };
})();

export const shapes45: ShapeRow[] = [
  row('Q', String.raw`B \times H \times T_q \times d_h`, 'H query heads, as before'),
  row('K, V', String.raw`B \times H_{kv} \times T_k \times d_h`, 'only H_kv key/value heads'),
  row(String.raw`g = H / H_{kv}`, String.raw`\text{scalar}`, 'group size: query heads per kv head; head h reads kv head ⌊h/g⌋'),
  row(String.raw`W_K, W_V`, String.raw`d_{\text{model}} \times H_{kv} d_h`, 'smaller projections'),
  row(String.raw`\text{KV cache}`, String.raw`2 \cdot L \cdot B \cdot T \cdot H_{kv} \cdot d_h`, 'elements cached per sequence batch; H/H_kv times fewer than MHA'),
];
