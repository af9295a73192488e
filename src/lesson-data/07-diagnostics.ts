// Numbers for lesson 07 (interpretation and diagnostics), computed by the reference engine at build time.
import {
  attention,
  attention2d,
  causalMask,
  createRng,
  headEntropy,
  leakageProbe,
  multiHeadAttention,
  paddingMask,
  randomTensor,
  rowEntropy,
  tensor,
  type Tensor,
} from '../engine';

export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });
const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
const rowsOf = (t: Tensor, b = 0, h = 0): number[][] => {
  const [, H, r, c] = t.shape;
  const lead = (b * H + h) * r * c;
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(lead + i * c, lead + (i + 1) * c)));
};

// ---------------------------------------------------------------------------------------------
// 7.1 Weights are not contributions: one query, four keys; key 1 wins the weights but carries a tiny value.
export const Q71 = [[1, 0]];
export const K71 = [[0, 0], [3, 0], [1, 0], [0.5, 0]];
export const V71 = [[1, 0], [0.05, 0.05], [0, -1], [4, 4]];
const a71 = attention2d(Q71, K71, V71, { scale: 1 });
export const weights71 = a71.weights[0];
export const output71 = a71.output[0];
/** ‖A_0j v_j‖: how much each key actually moves the output. */
export const contrib71 = V71.map((v, j) => norm(v.map((x) => x * weights71[j])));
export const topByWeight = weights71.indexOf(Math.max(...weights71));
export const topByContrib = contrib71.indexOf(Math.max(...contrib71));
export const shapes71: ShapeRow[] = [
  row('A', String.raw`B \times H \times T_q \times T_k`, 'what a heatmap shows: how the query distributes its weight'),
  row('A_{ij}\\,v_j', String.raw`d_v`, 'what key j actually adds to output i'),
  row('O = AV', String.raw`B \times H \times T_q \times d_v`, 'the head output, before W_O, residuals and later layers'),
];

// ---------------------------------------------------------------------------------------------
// 7.2 Mask tests.
export const T72 = 6;
const rng72 = createRng(72);
const q72 = randomTensor(rng72, [2, 1, T72, 4]);
const k72 = randomTensor(rng72, [2, 1, T72, 4]);
const v72 = randomTensor(rng72, [2, 1, T72, 4]);
export const lengths72 = [6, 4];
const causal72 = attention(q72, k72, v72, { causal: true });
const cw = rowsOf(causal72.weights, 0, 0);
export const upperMax72 = Math.max(...cw.flatMap((r, i) => r.filter((_, j) => j > i)));
export const upperCount72 = (T72 * (T72 - 1)) / 2;
const padded = attention(q72, k72, v72, { mask: paddingMask(lengths72, T72) });
const pw = rowsOf(padded.weights, 1, 0);
export const paddedKeyMax = Math.max(...pw.flatMap((r) => r.slice(lengths72[1])));
export const paddedWeightsB1 = pw;
// A leaky mask: off by one (query i also sees key i + 1).
export const leakyMask = tensor([T72, T72], Array.from({ length: T72 * T72 }, (_, n) => (n % T72 <= Math.floor(n / T72) + 1 ? 1 : 0)));
export const leakyUpperMax = Math.max(...rowsOf(attention(q72, k72, v72, { mask: leakyMask }).weights).flatMap((r, i) => r.filter((_, j) => j > i)));
/** A finite "mask": −20 added to future scores instead of −∞. Future weights are tiny but not zero. */
export const finiteBias = -20;
const biasRows = rowsOf(
  attention(q72, k72, v72, { bias: tensor([T72, T72], Array.from({ length: T72 * T72 }, (_, n) => (n % T72 > Math.floor(n / T72) ? finiteBias : 0))) }).weights,
  0,
  0,
);
export const finiteBiasFutureMax = Math.max(...biasRows.flatMap((r, i) => r.filter((_, j) => j > i)));
/** The mask applied after softmax: future weights zeroed in the unmasked weights. They are exactly 0, and the rows lose mass. */
const afterRows = rowsOf(attention(q72, k72, v72).weights, 0, 0).map((r, i) => r.map((w, j) => (j > i ? 0 : w)));
export const maskAfterFutureMax = Math.max(...afterRows.flatMap((r, i) => r.filter((_, j) => j > i)));
export const maskAfterMinRowSum = Math.min(...afterRows.map((r) => r.reduce((a, b) => a + b, 0)));
export const perturbFrom = 3;
const future = Array.from({ length: T72 - perturbFrom }, (_, n) => perturbFrom + n);
const probe = (opts: { causal?: boolean; mask?: Tensor }) =>
  leakageProbe((x) => attention(x.q, x.k, x.v, opts).output, { q: q72, k: k72, v: v72 }, {
    perturb: { q: future, k: future, v: future },
    observe: Array.from({ length: perturbFrom }, (_, t) => t),
  });
export const probeCorrect = probe({ causal: true });
export const probeLeaky = probe({ mask: leakyMask });
export const padPositions = Array.from({ length: T72 - lengths72[1] }, (_, n) => lengths72[1] + n);
/** Padding perturbation on the second sequence alone (length 4 of 6): its padded keys 4, 5 get random values. */
const b1 = (t: Tensor): Tensor => ({ shape: [1, ...t.shape.slice(1)], data: t.data.slice(t.data.length / 2) });
export const padProbe = leakageProbe(
  (x) => attention(x.q, x.k, x.v, { mask: paddingMask([lengths72[1]], T72) }).output,
  { q: b1(q72), k: b1(k72), v: b1(v72) },
  { perturb: { k: padPositions, v: padPositions } },
);
export const shapes72: ShapeRow[] = [
  row('A_{ij},\\ j > i', String.raw`\tfrac{T(T-1)}{2} \text{ entries}`, 'must be exactly 0 under a causal mask'),
  row('A_{b,:,:,j},\\ j \\ge \\text{len}_b', String.raw`B \times H \times T_q \times (T - \text{len}_b)`, 'must be exactly 0 for padded keys'),
  row('\\Delta O_{:,i}', String.raw`T_q`, 'largest output change per position after perturbing future or padded inputs'),
];

// ---------------------------------------------------------------------------------------------
// 7.3 Entropy dashboard: the same q, k at three temperatures (scale multipliers), T = 8, causal off.
export const T73 = 8;
const rng73 = createRng(73);
const q73 = randomTensor(rng73, [1, 1, T73, 8]);
const k73 = randomTensor(rng73, [1, 1, T73, 8]);
const v73 = randomTensor(rng73, [1, 1, T73, 8]);
export const lnT = Math.log(T73);
export const heads73 = [
  { label: 'sharp (scores × 8)', mult: 8 },
  { label: 'normal (× 1)', mult: 1 },
  { label: 'diffuse (× 0.05)', mult: 0.05 },
].map((h) => {
  const r = attention(q73, k73, v73, { scale: h.mult / Math.sqrt(8) });
  const ent = Array.from(rowEntropy(r.weights).data);
  return { ...h, mean: headEntropy(r.weights).data[0], min: Math.min(...ent), max: Math.max(...ent), maxWeight: Math.max(...r.weights.data) };
});
export const shapes73: ShapeRow[] = [
  row('\\mathcal{H}_i = -\\sum_j A_{ij}\\ln A_{ij}', String.raw`B \times H \times T_q`, 'one entropy per query row'),
  row('\\bar H_h', 'H', 'mean row entropy per head: the dashboard value'),
  row('\\ln(\\#\\text{visible keys})', '\\text{scalar}', 'the ceiling: uniform attention'),
];

// ---------------------------------------------------------------------------------------------
// 7.4 Head ablation: B = 1, T = 6, d_model = 16, h = 4 (d_h = 4). Head 2's W_O rows are scaled by 0.05.
export const mha = { T: 6, dModel: 16, heads: 4, quietHead: 2, quietScale: 0.05 };
const rng74 = createRng(74);
const x74 = randomTensor(rng74, [1, mha.T, mha.dModel]);
const w = () => randomTensor(rng74, [mha.dModel, mha.dModel], 1 / Math.sqrt(mha.dModel));
const wq = w();
const wk = randomTensor(rng74, [mha.dModel, mha.dModel], 2 / Math.sqrt(mha.dModel));
const wv = w();
const wo = w();
const dh = mha.dModel / mha.heads;
for (let r = mha.quietHead * dh; r < (mha.quietHead + 1) * dh; r++) for (let c = 0; c < mha.dModel; c++) wo.data[r * mha.dModel + c] *= mha.quietScale;
const base74 = multiHeadAttention({ x: x74, wq, wk, wv, wo, heads: mha.heads, causal: true });
const baseNorm = norm(base74.output.data);
const relChange = (ablate: number[]) => {
  const o = multiHeadAttention({ x: x74, wq, wk, wv, wo, heads: mha.heads, causal: true, ablateHeads: ablate }).output.data;
  return norm(o.map((y, n) => y - base74.output.data[n])) / baseNorm;
};
export const ablation = Array.from({ length: mha.heads }, (_, h) => ({ head: h, change: relChange([h]) }));
export const entropy74 = Array.from(headEntropy(base74.weights).data);
export const pairChange = relChange([0, 1]);
export const ln74 = Math.log(mha.T);
export const shapes74: ShapeRow[] = [
  row('O^{(h)}', String.raw`B \times T \times d_v`, 'head h output before W_O: the thing set to zero'),
  row('\\operatorname{concat}_h O^{(h)}', String.raw`B \times T \times H\,d_v`, 'merged heads with one block zeroed'),
  row('W_O', String.raw`H\,d_v \times d_{\text{model}}`, 'rows h·d_v … (h+1)·d_v − 1 belong to head h'),
  row('\\|\\Delta Y\\| / \\|Y\\|', '\\text{scalar}', 'relative change of the layer output'),
];

// ---------------------------------------------------------------------------------------------
// 7.5 Attribution caveats: the residual stream. y = x + MHA(x); how much of y is the attention branch?
const y75 = base74.output.data.map((v, n) => v + x74.data[n]);
export const residualShare = Array.from({ length: mha.T }, (_, t) => {
  const sl = (a: ArrayLike<number>) => Array.from(a).slice(t * mha.dModel, (t + 1) * mha.dModel);
  return norm(sl(base74.output.data)) / norm(sl(y75));
});
export const quietHeadEntropy = entropy74[mha.quietHead];
export const quietHeadChange = ablation[mha.quietHead].change;
export const causalCheck = causalMask(2, 2).shape;
export const shapes75: ShapeRow[] = [
  row('x', String.raw`B \times T \times d_{\text{model}}`, 'residual stream entering the block: passes around attention untouched'),
  row('x + \\operatorname{MHA}(x)', String.raw`B \times T \times d_{\text{model}}`, 'what the next sublayer (MLP) sees'),
  row('A^{(\\ell)}', String.raw`B \times H \times T \times T`, 'one layer’s map; later layers re-mix the result'),
];
