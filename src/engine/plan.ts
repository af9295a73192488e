// Validates attention inputs once and resolves options, so the naive and flash kernels share one definition.
import { broadcastStrides } from './broadcast';
import { fail, formatShape } from './errors';
import type { Tensor } from './tensor';
import { checkTensor, checkValues } from './validate';

/** Options shared by `attention`, `flashAttention` and `decodeStep`. */
export interface AttentionOptions {
  /** Multiplies QKᵀ; defaults to 1/√D. */
  scale?: number;
  /** Causal visibility: j ≤ i without a past cache (top-left), j ≤ i + past with one (bottom-right). */
  causal?: boolean;
  /** Keep-mask, nonzero = visible; broadcasts to (B, H, Tq, Tk_total). */
  mask?: Tensor;
  /** Additive float bias (−∞ allowed); broadcasts to (B, H, Tq, Tk_total). */
  bias?: Tensor;
  /** Soft cap c: logits become c·tanh(s/c) after scaling, before bias and masks; 0 or absent = off. */
  softcap?: number;
  /** Cached keys (B, Hkv, P, D) placed before k. */
  pastKey?: Tensor;
  /** Cached values (B, Hkv, P, Dv) placed before v. */
  pastValue?: Tensor;
}

/** A broadcast view of a mask or bias over (B, H, Tq, Tk_total). */
export interface BroadcastView {
  data: Float64Array;
  sb: number;
  sh: number;
  si: number;
  sj: number;
}

/** Everything a kernel needs: sizes, resolved options, inputs and broadcast views. */
export interface AttentionPlan {
  B: number;
  H: number;
  Hkv: number;
  Tq: number;
  /** New keys in k. */
  Tk: number;
  /** Keys in the past cache. */
  past: number;
  /** past + Tk. */
  TkTotal: number;
  D: number;
  Dv: number;
  /** H / Hkv: query heads per kv head. */
  group: number;
  scale: number;
  /** 0 when off. */
  softcap: number;
  causal: boolean;
  q: Tensor;
  k: Tensor;
  v: Tensor;
  pastKey?: Tensor;
  pastValue?: Tensor;
  mask?: BroadcastView;
  bias?: BroadcastView;
}

function view(fn: string, name: string, t: Tensor, target: number[]): BroadcastView {
  const [sb, sh, si, sj] = broadcastStrides(fn, name, t.shape, target, '(B,H,Tq,Tk_total)');
  return { data: t.data, sb, sh, si, sj };
}

/** Checks shapes, values and options, throwing errors that name the tensors and their shapes. */
export function planAttention(fn: string, q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): AttentionPlan {
  checkTensor(fn, 'q', q, 4, '(B, H, Tq, D)');
  checkTensor(fn, 'k', k, 4, '(B, Hkv, Tk, D)');
  checkTensor(fn, 'v', v, 4, '(B, Hkv, Tk, Dv)');
  const [B, H, Tq, D] = q.shape;
  const [Bk, Hkv, Tk, Dk] = k.shape;
  const [Bv, Hv, Tv, Dv] = v.shape;
  // Made only for a message: every call of attention passes through here.
  const qk = () => `(q ${formatShape(q.shape)}, k ${formatShape(k.shape)})`;
  const kv = () => `(k ${formatShape(k.shape)}, v ${formatShape(v.shape)})`;
  if (Dk !== D) fail(fn, `k has D=${Dk} but q has D=${D} ${qk()}`);
  if (Bk !== B) fail(fn, `k has B=${Bk} but q has B=${B} ${qk()}`);
  if (Hkv === 0 || H % Hkv !== 0) fail(fn, `q has H=${H} heads, which is not a multiple of k's Hkv=${Hkv} ${qk()}`);
  if (Bv !== B) fail(fn, `v has B=${Bv} but k has B=${Bk} ${kv()}`);
  if (Hv !== Hkv) fail(fn, `v has Hkv=${Hv} but k has Hkv=${Hkv} ${kv()}`);
  if (Tv !== Tk) fail(fn, `v has Tk=${Tv} but k has Tk=${Tk} ${kv()}`);
  checkValues(fn, 'q', q);
  checkValues(fn, 'k', k);
  checkValues(fn, 'v', v);

  const { pastKey, pastValue } = options;
  if ((pastKey === undefined) !== (pastValue === undefined)) {
    fail(fn, `pastKey and pastValue must be given together (got only ${pastKey ? 'pastKey' : 'pastValue'})`);
  }
  let past = 0;
  if (pastKey && pastValue) {
    checkTensor(fn, 'pastKey', pastKey, 4, '(B, Hkv, P, D)');
    checkTensor(fn, 'pastValue', pastValue, 4, '(B, Hkv, P, Dv)');
    past = pastKey.shape[2];
    const want = [B, Hkv, past, D];
    if (pastKey.shape.some((d, a) => d !== want[a])) {
      fail(fn, `pastKey must have shape (B,Hkv,P,D) = ${formatShape(want)} but has ${formatShape(pastKey.shape)} (k ${formatShape(k.shape)})`);
    }
    const wantV = [B, Hkv, past, Dv];
    if (pastValue.shape.some((d, a) => d !== wantV[a])) {
      fail(fn, `pastValue must have shape (B,Hkv,P,Dv) = ${formatShape(wantV)} but has ${formatShape(pastValue.shape)} (pastKey ${formatShape(pastKey.shape)}, v ${formatShape(v.shape)})`);
    }
    checkValues(fn, 'pastKey', pastKey);
    checkValues(fn, 'pastValue', pastValue);
  }
  const TkTotal = past + Tk;
  const target = [B, H, Tq, TkTotal];

  const scale = options.scale ?? 1 / Math.sqrt(D);
  if (!Number.isFinite(scale)) fail(fn, `scale must be a finite number, got ${scale}`);
  const softcap = options.softcap ?? 0;
  if (!(softcap >= 0 && Number.isFinite(softcap))) fail(fn, `softcap must be a finite number ≥ 0 (0 = off), got ${softcap}`);

  let mask: BroadcastView | undefined;
  if (options.mask) {
    checkTensor(fn, 'mask', options.mask);
    mask = view(fn, 'mask', options.mask, target);
    checkValues(fn, 'mask', options.mask);
  }
  let bias: BroadcastView | undefined;
  if (options.bias) {
    checkTensor(fn, 'bias', options.bias);
    bias = view(fn, 'bias', options.bias, target);
    // −∞ hides a key; +∞ or NaN would make the softmax undefined.
    checkValues(fn, 'bias', options.bias, true);
  }

  return {
    B, H, Hkv, Tq, Tk, past, TkTotal, D, Dv, group: H / Hkv, scale, softcap,
    causal: options.causal ?? false, q, k, v, pastKey, pastValue, mask, bias,
  };
}

/** Whether query i of (b, h) may see key j (j counts the past cache first). */
export function isVisible(p: AttentionPlan, b: number, h: number, i: number, j: number): boolean {
  if (p.causal && j > i + p.past) return false;
  const m = p.mask;
  return !m || m.data[b * m.sb + h * m.sh + i * m.si + j * m.sj] !== 0;
}

/** The additive bias for (b, h, i, j), 0 without a bias. */
export function biasAt(p: AttentionPlan, b: number, h: number, i: number, j: number): number {
  const m = p.bias;
  return m ? m.data[b * m.sb + h * m.sh + i * m.si + j * m.sj] : 0;
}

/** Where key (or value) row j of kv head g in batch b lives: the past cache for j < past, else k (or v). */
export function kvRow(p: AttentionPlan, which: 'key' | 'value', b: number, g: number, j: number): [Float64Array, number] {
  const width = which === 'key' ? p.D : p.Dv;
  if (j < p.past) {
    const t = (which === 'key' ? p.pastKey : p.pastValue) as Tensor;
    return [t.data, ((b * p.Hkv + g) * p.past + j) * width];
  }
  const t = which === 'key' ? p.k : p.v;
  return [t.data, ((b * p.Hkv + g) * p.Tk + (j - p.past)) * width];
}

/** The query head's kv head under GQA/MQA: ⌊h / (H/Hkv)⌋. */
export function kvHeadOf(p: AttentionPlan, h: number): number {
  return Math.floor(h / p.group);
}
