// The course model's forward pass in float64 on the reference engine: embeddings, causal multi-head attention
// layers with residual connections, unembedding. Full-sequence and token-by-token (KV cache) forms.
import {
  attention,
  createKVCache,
  decodeStep,
  linear,
  mergeHeads,
  multiHeadAttention,
  splitHeads,
  type KVCache,
  type Tensor,
} from '../engine';
import type { ModelWeights } from './weights';

/** One head: layer l, head h (indices from 0). */
export interface HeadId {
  layer: number;
  head: number;
}

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Heads whose output is zeroed before W_O (zero ablation). */
  ablate?: readonly HeadId[];
}

/** Result of `forward`. */
export interface ForwardResult {
  /** (B, T, V) */
  logits: Tensor;
  /** Attention weights per layer, each (B, H, T, T). */
  weights: Tensor[];
  /** Residual stream before each layer and after the last, each (B, T, d_model). */
  residual: Tensor[];
}

function checkTokens(model: ModelWeights, batch: readonly (readonly number[])[]): void {
  const { maxSeqLen, vocab } = model.manifest;
  const T = batch[0]?.length ?? 0;
  if (T === 0) throw new Error('model: the token sequence is empty');
  if (T > maxSeqLen) throw new Error(`model: T=${T} tokens, but the model's learned positions stop at ${maxSeqLen}`);
  for (const seq of batch) {
    if (seq.length !== T) throw new Error(`model: sequences in a batch must have one length (${T} and ${seq.length})`);
    for (const t of seq) if (!Number.isInteger(t) || t < 0 || t >= vocab.length) throw new Error(`model: token ${t} is outside [0, ${vocab.length})`);
  }
}

/** x[b, t] = E[token] + P[t + offset], shape (B, T, d_model). */
function embed(model: ModelWeights, batch: readonly (readonly number[])[], offset = 0): Tensor {
  const d = model.manifest.dModel;
  const B = batch.length;
  const T = batch[0].length;
  const data = new Float64Array(B * T * d); // (B, T, d_model)
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const at = (b * T + t) * d;
      const e = batch[b][t] * d;
      const p = (t + offset) * d;
      for (let c = 0; c < d; c++) data[at + c] = model.embed.data[e + c] + model.pos.data[p + c];
    }
  }
  return { shape: [B, T, d], data };
}

function addInPlace(x: Tensor, y: Tensor): Tensor {
  const data = x.data.slice();
  for (let i = 0; i < data.length; i++) data[i] += y.data[i];
  return { shape: [...x.shape], data };
}

/** Logits and every layer's attention weights for a batch of equal-length token sequences. */
export function forward(model: ModelWeights, batch: readonly (readonly number[])[], options: ForwardOptions = {}): ForwardResult {
  checkTokens(model, batch);
  const { heads } = model.manifest;
  let x = embed(model, batch);
  const residual = [x];
  const weights: Tensor[] = [];
  model.layers.forEach((w, l) => {
    const ablateHeads = (options.ablate ?? []).filter((a) => a.layer === l).map((a) => a.head);
    const r = multiHeadAttention({ x, wq: w.wq, wk: w.wk, wv: w.wv, wo: w.wo, heads, causal: true, ablateHeads });
    x = addInPlace(x, r.output);
    residual.push(x);
    weights.push(r.weights);
  });
  return { logits: linear(x, model.unembed), weights, residual };
}

/** Result of `decodeWithCache`. */
export interface DecodeResult {
  /** (1, T, V): the logits of each step, in order. */
  logits: Tensor;
  /** One cache per layer, holding (1, H, T, d_h) keys and values at the end. */
  caches: KVCache[];
}

/**
 * Runs the model one token at a time (batch 1): each step embeds the new token, and each layer computes only
 * the new position's q, k, v and attends to its KV cache plus the new key (engine `decodeStep`).
 */
export function decodeWithCache(model: ModelWeights, tokens: readonly number[], options: ForwardOptions = {}): DecodeResult {
  checkTokens(model, [tokens]);
  const { heads, vocab } = model.manifest;
  const V = vocab.length;
  const caches = model.layers.map(() => createKVCache());
  const out = new Float64Array(tokens.length * V); // (1, T, V)
  tokens.forEach((token, t) => {
    let x = embed(model, [[token]], t); // (1, 1, d_model)
    model.layers.forEach((w, l) => {
      const q = splitHeads(linear(x, w.wq), heads); // (1, H, 1, d_h)
      const k = splitHeads(linear(x, w.wk), heads); // (1, H, 1, d_h)
      const v = splitHeads(linear(x, w.wv), heads); // (1, H, 1, d_h)
      const o = decodeStep(q, k, v, caches[l]).output; // (1, H, 1, d_h)
      const dh = o.shape[3];
      for (const a of options.ablate ?? []) if (a.layer === l) o.data.fill(0, a.head * dh, (a.head + 1) * dh);
      x = addInPlace(x, linear(mergeHeads(o), w.wo)); // (1, 1, H·d_h) → (1, 1, d_model)
    });
    out.set(linear(x, model.unembed).data, t * V);
  });
  return { logits: { shape: [1, tokens.length, V], data: out }, caches };
}

/** Index of the largest logit at (b, t) of a (B, T, V) tensor. */
export function argmaxAt(logits: Tensor, b: number, t: number): number {
  const [, T, V] = logits.shape;
  const at = (b * T + t) * V;
  let best = 0;
  for (let v = 1; v < V; v++) if (logits.data[at + v] > logits.data[at + best]) best = v;
  return best;
}

/** Softmax of the logits at (b, t): the model's next-token distribution. */
export function probabilitiesAt(logits: Tensor, b: number, t: number): number[] {
  const [, T, V] = logits.shape;
  const row = Array.from(logits.data.subarray((b * T + t) * V, (b * T + t + 1) * V));
  const m = Math.max(...row);
  const e = row.map((z) => Math.exp(z - m));
  const s = e.reduce((a, c) => a + c, 0);
  return e.map((z) => z / s);
}

/** Which of a later layer's inputs a path ablation removes a head's output from. */
export type PathInput = 'query' | 'key' | 'value';

/**
 * Path ablation: like `forward`, but `head`'s output is removed only from the stream that later layers read
 * for `input` (their queries, keys or values); everything else still sees it. Tells K-composition (the keys
 * need the head) from Q- and V-composition. Built from the engine's `linear`, `splitHeads`, `attention`.
 */
export function forwardPathAblated(model: ModelWeights, batch: readonly (readonly number[])[], head: HeadId, input: PathInput): ForwardResult {
  checkTokens(model, batch);
  const { heads } = model.manifest;
  let x = embed(model, batch);
  const residual = [x];
  const weights: Tensor[] = [];
  let removed: Tensor | null = null; // head's contribution to the stream, (B, T, d_model)
  model.layers.forEach((w, l) => {
    const minus = (which: PathInput) => {
      if (which !== input || !removed) return x;
      const r = removed;
      return { shape: [...x.shape], data: x.data.map((v, i) => v - r.data[i]) };
    };
    const q = splitHeads(linear(minus('query'), w.wq), heads); // (B, H, T, d_h)
    const k = splitHeads(linear(minus('key'), w.wk), heads); // (B, H, T, d_h)
    const v = splitHeads(linear(minus('value'), w.wv), heads); // (B, H, T, d_h)
    const a = attention(q, k, v, { causal: true });
    const out = linear(mergeHeads(a.output), w.wo); // (B, T, H·d_h) → (B, T, d_model)
    if (l === head.layer) {
      // The head's own share of this layer's output: its block of the merged heads times W_O.
      const only = { shape: [...a.output.shape], data: a.output.data.slice() }; // (B, H, T, d_h)
      const [B, H, T, dh] = only.shape;
      for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) if (h !== head.head) only.data.fill(0, ((b * H + h) * T) * dh, ((b * H + h + 1) * T) * dh);
      removed = linear(mergeHeads(only), w.wo);
    }
    x = addInPlace(x, out);
    residual.push(x);
    weights.push(a.weights);
  });
  return { logits: linear(x, model.unembed), weights, residual };
}
