// The naive reference: materialise every score, softmax each row, mix the values. Clarity over speed.
import { checkMatrix } from './matrix';
import { biasAt, isVisible, kvHeadOf, kvRow, planAttention, type AttentionOptions, type AttentionPlan } from './plan';
import { softmaxInPlace } from './softmax';
import { fromNested, type Tensor } from './tensor';

/** Result of `attention`. */
export interface AttentionResult {
  /** (B, H, Tq, Dv) */
  output: Tensor;
  /** Softmax weights (B, H, Tq, Tk_total); hidden keys are exactly 0. */
  weights: Tensor;
  /** Final logits (B, H, Tq, Tk_total) after scale, softcap and bias; hidden keys are −∞. */
  scores: Tensor;
  /** Past keys followed by k: (B, Hkv, Tk_total, D). */
  presentKey: Tensor;
  /** Past values followed by v: (B, Hkv, Tk_total, Dv). */
  presentValue: Tensor;
}

/** One logit: scale·(q_i·k_j), then softcap c·tanh(s/c), then + bias; −∞ when the key is hidden. */
function logit(p: AttentionPlan, b: number, h: number, i: number, j: number): number {
  if (!isVisible(p, b, h, i, j)) return -Infinity;
  const [kd, ko] = kvRow(p, 'key', b, kvHeadOf(p, h), j);
  const qo = ((b * p.H + h) * p.Tq + i) * p.D;
  let dot = 0;
  for (let d = 0; d < p.D; d++) dot += p.q.data[qo + d] * kd[ko + d];
  let s = p.scale * dot;
  if (p.softcap > 0) s = p.softcap * Math.tanh(s / p.softcap);
  return s + biasAt(p, b, h, i, j);
}

/** Concatenates the past cache and the new rows along the sequence axis: (B, Hkv, P + Tk, width). */
function present(p: AttentionPlan, which: 'key' | 'value'): Tensor {
  const width = which === 'key' ? p.D : p.Dv;
  const data = new Float64Array(p.B * p.Hkv * p.TkTotal * width);
  for (let b = 0; b < p.B; b++) {
    for (let g = 0; g < p.Hkv; g++) {
      for (let j = 0; j < p.TkTotal; j++) {
        const [src, at] = kvRow(p, which, b, g, j);
        data.set(src.subarray(at, at + width), ((b * p.Hkv + g) * p.TkTotal + j) * width);
      }
    }
  }
  return { shape: [p.B, p.Hkv, p.TkTotal, width], data };
}

/** Scaled dot-product attention with the ONNX `Attention` semantics (masks, bias, softcap, GQA, KV cache). */
export function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): AttentionResult {
  const p = planAttention('attention', q, k, v, options);
  const { B, H, Tq, TkTotal: Tk, Dv } = p;
  const scores = new Float64Array(B * H * Tq * Tk); // (B, H, Tq, Tk_total)
  const weights = new Float64Array(B * H * Tq * Tk); // (B, H, Tq, Tk_total)
  const output = new Float64Array(B * H * Tq * Dv); // (B, H, Tq, Dv)
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = kvHeadOf(p, h);
      for (let i = 0; i < Tq; i++) {
        const row = ((b * H + h) * Tq + i) * Tk;
        for (let j = 0; j < Tk; j++) scores[row + j] = logit(p, b, h, i, j);
        weights.set(scores.subarray(row, row + Tk), row);
        softmaxInPlace(weights, row, Tk);
        const out = ((b * H + h) * Tq + i) * Dv;
        for (let j = 0; j < Tk; j++) {
          const w = weights[row + j];
          if (w === 0) continue; // hidden keys contribute nothing (and skipping avoids 0·v work)
          const [vd, vo] = kvRow(p, 'value', b, g, j);
          for (let e = 0; e < Dv; e++) output[out + e] += w * vd[vo + e];
        }
      }
    }
  }
  return {
    output: { shape: [B, H, Tq, Dv], data: output },
    weights: { shape: [B, H, Tq, Tk], data: weights },
    scores: { shape: [B, H, Tq, Tk], data: scores },
    presentKey: present(p, 'key'),
    presentValue: present(p, 'value'),
  };
}

/** Options of the one-head teaching form `attention2d`. */
export interface Attention2dOptions {
  scale?: number;
  causal?: boolean;
  /** Keep-mask (Tq × Tk), nonzero = visible. */
  mask?: number[][];
  /** Additive bias (Tq × Tk), −∞ allowed. */
  bias?: number[][];
}

/** Result of `attention2d`, as plain matrices. */
export interface Attention2dResult {
  output: number[][];
  weights: number[][];
  scores: number[][];
}

/** One head, no batch: Q (Tq×D), K (Tk×D), V (Tk×Dv) as `number[][]`; same semantics as `attention`. */
export function attention2d(Q: number[][], K: number[][], V: number[][], options: Attention2dOptions = {}): Attention2dResult {
  const as4d = (name: string, m: number[][]): Tensor => {
    const [r, c] = checkMatrix('attention2d', name, m);
    const t = r === 0 ? { shape: [0, c], data: new Float64Array(0) } : fromNested(m);
    return { shape: [1, 1, r, c], data: t.data }; // (1, 1, T, D)
  };
  const toRows = (t: Tensor): number[][] => {
    const [, , r, c] = t.shape; // (1, 1, r, c)
    return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
  };
  const r = attention(as4d('Q', Q), as4d('K', K), as4d('V', V), {
    scale: options.scale,
    causal: options.causal,
    mask: options.mask && fromNested(options.mask), // (Tq, Tk)
    bias: options.bias && fromNested(options.bias), // (Tq, Tk)
  });
  return { output: toRows(r.output), weights: toRows(r.weights), scores: toRows(r.scores) };
}
