// A multi-head attention layer: projections W_Q, W_K, W_V, split into heads, attend, merge, W_O.
import { attention } from './attention';
import { fail, formatShape } from './errors';
import type { Tensor } from './tensor';
import { checkTensor, checkValues } from './validate';

/** x (…, d_in) times w (d_in, d_out) → (…, d_out). */
export function linear(x: Tensor, w: Tensor): Tensor {
  checkTensor('linear', 'x', x);
  checkTensor('linear', 'w', w, 2, '(d_in, d_out)');
  const dIn = x.shape[x.shape.length - 1];
  const [wIn, dOut] = w.shape;
  if (x.shape.length === 0 || dIn !== wIn) {
    fail('linear', `x has d_in=${dIn} but w has ${wIn} rows (x ${formatShape(x.shape)}, w ${formatShape(w.shape)})`);
  }
  const rows = x.data.length / dIn;
  const out = new Float64Array(rows * dOut); // (…, d_out)
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < dIn; p++) {
      const a = x.data[r * dIn + p];
      for (let c = 0; c < dOut; c++) out[r * dOut + c] += a * w.data[p * dOut + c];
    }
  }
  return { shape: [...x.shape.slice(0, -1), dOut], data: out };
}

/** (B, T, d_model) → (B, h, T, d_h) with d_h = d_model / h: a reshape to (B, T, h, d_h), then a transpose of T and h. */
export function splitHeads(x: Tensor, h: number): Tensor {
  checkTensor('splitHeads', 'x', x, 3, '(B, T, d_model)');
  const [B, T, dModel] = x.shape;
  if (!Number.isInteger(h) || h < 1 || dModel % h !== 0) {
    fail('splitHeads', `d_model=${dModel} is not divisible by h=${h} (x ${formatShape(x.shape)})`);
  }
  const dh = dModel / h;
  const out = new Float64Array(x.data.length); // (B, h, T, d_h)
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let head = 0; head < h; head++) {
        const src = (b * T + t) * dModel + head * dh; // x viewed as (B, T, h, d_h)
        out.set(x.data.subarray(src, src + dh), ((b * h + head) * T + t) * dh);
      }
    }
  }
  return { shape: [B, h, T, dh], data: out };
}

/** (B, h, T, d_h) → (B, T, h·d_h): the inverse of splitHeads (transpose back, then reshape). */
export function mergeHeads(x: Tensor): Tensor {
  checkTensor('mergeHeads', 'x', x, 4, '(B, h, T, d_h)');
  const [B, h, T, dh] = x.shape;
  const out = new Float64Array(x.data.length); // (B, T, h·d_h)
  for (let b = 0; b < B; b++) {
    for (let head = 0; head < h; head++) {
      for (let t = 0; t < T; t++) {
        const src = ((b * h + head) * T + t) * dh;
        out.set(x.data.subarray(src, src + dh), (b * T + t) * h * dh + head * dh);
      }
    }
  }
  return { shape: [B, T, h * dh], data: out };
}

/** Inputs of `multiHeadAttention`. */
export interface MultiHeadInput {
  /** Query source (B, Tq, d_model). */
  x: Tensor;
  /** Key/value source (B, Tk, d_model) for cross-attention; defaults to x (self-attention). */
  xKv?: Tensor;
  /** (d_model, h·d_h) */
  wq: Tensor;
  /** (d_model, h_kv·d_h) */
  wk: Tensor;
  /** (d_model, h_kv·d_v) */
  wv: Tensor;
  /** (h·d_v, d_out) */
  wo: Tensor;
  /** Query heads h. */
  heads: number;
  /** Key/value heads h_kv (default h; 1 = MQA). */
  kvHeads?: number;
  causal?: boolean;
  /** Keep-mask broadcastable to (B, h, Tq, Tk). */
  mask?: Tensor;
  /** Additive bias broadcastable to (B, h, Tq, Tk). */
  bias?: Tensor;
  /** Default 1/√d_h. */
  scale?: number;
  /** Query heads whose output is zeroed before W_O. */
  ablateHeads?: number[];
}

/** Result of `multiHeadAttention`. */
export interface MultiHeadResult {
  /** (B, Tq, d_out) */
  output: Tensor;
  /** Per-head outputs before W_O, after ablation (B, h, Tq, d_v). */
  heads: Tensor;
  /** (B, h, Tq, Tk) */
  weights: Tensor;
  /** (B, h, Tq, d_h) */
  q: Tensor;
  /** (B, h_kv, Tk, d_h) */
  k: Tensor;
  /** (B, h_kv, Tk, d_v) */
  v: Tensor;
}

/** Multi-head (or GQA/MQA, or cross-) attention: split(xW_Q), split(xKv W_K), split(xKv W_V) → attention → merge → W_O. */
export function multiHeadAttention(input: MultiHeadInput): MultiHeadResult {
  const fn = 'multiHeadAttention';
  const { x, wq, wk, wv, wo, heads } = input;
  const xKv = input.xKv ?? x;
  const kvHeads = input.kvHeads ?? heads;
  checkTensor(fn, 'x', x, 3, '(B, Tq, d_model)');
  checkTensor(fn, 'xKv', xKv, 3, '(B, Tk, d_model)');
  checkValues(fn, 'x', x);
  checkValues(fn, 'xKv', xKv);
  if (xKv.shape[0] !== x.shape[0]) fail(fn, `xKv has B=${xKv.shape[0]} but x has B=${x.shape[0]} (x ${formatShape(x.shape)}, xKv ${formatShape(xKv.shape)})`);
  for (const [name, w] of [['wq', wq], ['wk', wk], ['wv', wv], ['wo', wo]] as const) checkTensor(fn, name, w, 2, '(d_in, d_out)');
  if (!Number.isInteger(heads) || heads < 1 || !Number.isInteger(kvHeads) || kvHeads < 1 || heads % kvHeads !== 0) {
    fail(fn, `heads=${heads} must be a positive multiple of kvHeads=${kvHeads}`);
  }
  if (wq.shape[1] % heads !== 0) fail(fn, `wq has ${wq.shape[1]} columns, not divisible by heads=${heads} (wq ${formatShape(wq.shape)})`);
  if (wk.shape[1] !== (wq.shape[1] / heads) * kvHeads) {
    fail(fn, `wk must have kvHeads·d_h = ${(wq.shape[1] / heads) * kvHeads} columns but has ${wk.shape[1]} (wq ${formatShape(wq.shape)}, wk ${formatShape(wk.shape)})`);
  }
  if (wv.shape[1] % kvHeads !== 0) fail(fn, `wv has ${wv.shape[1]} columns, not divisible by kvHeads=${kvHeads} (wv ${formatShape(wv.shape)})`);
  const dv = wv.shape[1] / kvHeads;
  if (wo.shape[0] !== heads * dv) {
    fail(fn, `wo must have heads·d_v = ${heads * dv} rows but has ${wo.shape[0]} (wv ${formatShape(wv.shape)}, wo ${formatShape(wo.shape)})`);
  }
  const q = splitHeads(linear(x, wq), heads); // (B, h, Tq, d_h)
  const k = splitHeads(linear(xKv, wk), kvHeads); // (B, h_kv, Tk, d_h)
  const v = splitHeads(linear(xKv, wv), kvHeads); // (B, h_kv, Tk, d_v)
  const r = attention(q, k, v, { causal: input.causal, mask: input.mask, bias: input.bias, scale: input.scale });
  const perHead = r.output; // (B, h, Tq, d_v)
  const [B, , Tq] = perHead.shape;
  for (const head of input.ablateHeads ?? []) {
    if (!Number.isInteger(head) || head < 0 || head >= heads) fail(fn, `ablateHeads has ${head}, outside [0, ${heads})`);
    for (let b = 0; b < B; b++) perHead.data.fill(0, (b * heads + head) * Tq * dv, (b * heads + head + 1) * Tq * dv);
  }
  const output = linear(mergeHeads(perHead), wo); // (B, Tq, h·d_v) → (B, Tq, d_out)
  return { output, heads: perHead, weights: r.weights, q, k, v };
}
