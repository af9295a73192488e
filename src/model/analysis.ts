// Measurements of the trained model on held-out copy sequences: copy accuracy, head scores, entropy, ablation.
import { headEntropy } from '../engine';
import { copyPositions, type CopySequence } from './data';
import { argmaxAt, forward, forwardPathAblated, type ForwardResult, type HeadId, type PathInput } from './forward';
import type { ModelWeights } from './weights';

/** Sequences per forward call (keeps the (B, H, T, T) weight tensors small). */
const CHUNK = 100;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  return Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
}

/** Attention weight of query i on key j for (b, h) in a (B, H, T, T) tensor. */
function weightAt(w: ForwardResult['weights'][number], b: number, h: number, i: number, j: number): number {
  const [, H, T] = w.shape;
  return w.data[((b * H + h) * T + i) * T + j];
}

/**
 * Per-head scores: previous-token (weight on key i − 1), duplicate-token (weight on key src + k, the earlier
 * occurrence of the same letter, from query dst + k) and induction (weight on key src + k + 1 from query dst + k).
 */
export interface HeadScores {
  /** [layer][head]: mean weight on the previous position, over every query i ≥ 1. */
  previousToken: number[][];
  /** [layer][head]: mean weight, from the repeat's queries, on the earlier copy of the current token. */
  duplicate: number[][];
  /** [layer][head]: mean weight, from the repeat's queries, on the token after the earlier copy of the current one. */
  induction: number[][];
  /** [layer][head]: mean row entropy in nats (engine `headEntropy`). */
  entropy: number[][];
}

/** Summary of the model on a set of sequences. */
export interface ModelEvaluation {
  /** Fraction of copy positions (copyPositions) whose argmax is the right next token. */
  copyAccuracy: number;
  /** Copy positions counted. */
  copyPredictions: number;
  scores: HeadScores;
}

/** A head's output removed from one input (queries, keys or values) of the later layers (`forwardPathAblated`). */
export interface PathAblation {
  head: HeadId;
  input: PathInput;
}

/** Copy accuracy, previous-token and induction scores, entropies, optionally with heads (or one path) ablated. */
export function evaluate(model: ModelWeights, seqs: readonly CopySequence[], ablate: readonly HeadId[] = [], path?: PathAblation): ModelEvaluation {
  const { layers, heads } = model.manifest;
  const grid = () => Array.from({ length: layers }, () => new Array<number>(heads).fill(0));
  const prev = grid();
  const ind = grid();
  const dup = grid();
  const ent = grid();
  let prevCount = 0;
  let indCount = 0;
  let correct = 0;
  let total = 0;
  for (const part of chunks(seqs)) {
    const tokens = part.map((s) => s.tokens);
    const r = path ? forwardPathAblated(model, tokens, path.head, path.input) : forward(model, tokens, { ablate });
    part.forEach((s, b) => {
      for (const i of copyPositions(s)) {
        total++;
        if (argmaxAt(r.logits, b, i) === s.tokens[i + 1]) correct++;
      }
    });
    for (let l = 0; l < layers; l++) {
      const w = r.weights[l];
      const T = w.shape[2];
      const e = headEntropy(w);
      for (let h = 0; h < heads; h++) {
        ent[l][h] += e.data[h] * part.length;
        part.forEach((s, b) => {
          for (let i = 1; i < T; i++) prev[l][h] += weightAt(w, b, h, i, i - 1);
          for (const i of copyPositions(s)) {
            ind[l][h] += weightAt(w, b, h, i, s.src + (i - s.dst) + 1);
            dup[l][h] += weightAt(w, b, h, i, s.src + (i - s.dst));
          }
        });
      }
    }
    part.forEach((s) => {
      prevCount += s.tokens.length - 1;
      indCount += s.len - 1;
    });
  }
  const div = (g: number[][], n: number) => g.map((row) => row.map((v) => v / n));
  return {
    copyAccuracy: correct / total,
    copyPredictions: total,
    scores: { previousToken: div(prev, prevCount), duplicate: div(dup, indCount), induction: div(ind, indCount), entropy: div(ent, seqs.length) },
  };
}

/** A head with its score. */
export interface ScoredHead extends HeadId {
  score: number;
}

/** Score at or above which a head is called a previous-token or an induction head. */
export const HEAD_CLASS_THRESHOLD = 0.4;

/** Heads whose score reaches HEAD_CLASS_THRESHOLD, best first. */
export function classify(scores: number[][]): ScoredHead[] {
  const out: ScoredHead[] = [];
  scores.forEach((row, layer) => row.forEach((score, head) => {
    if (score >= HEAD_CLASS_THRESHOLD) out.push({ layer, head, score });
  }));
  return out.sort((a, b) => b.score - a.score);
}

/** Copy accuracy with each head ablated alone, [layer][head]. */
export function ablationTable(model: ModelWeights, seqs: readonly CopySequence[]): number[][] {
  const { layers, heads } = model.manifest;
  return Array.from({ length: layers }, (_, layer) =>
    Array.from({ length: heads }, (_, head) => evaluate(model, seqs, [{ layer, head }]).copyAccuracy));
}

/** Parameter count from the tensors' shapes. */
export function parameterCount(model: ModelWeights): number {
  return model.manifest.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
}

/** Frobenius norm of a row-major (n, n) matrix. */
const frob = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

/** (n, k) · (k, m) for row-major arrays. */
function mm(a: Float64Array, b: Float64Array, n: number, k: number, m: number, transposeB = false): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const x = a[i * k + p];
    for (let j = 0; j < m; j++) out[i * m + j] += x * (transposeB ? b[j * k + p] : b[p * m + j]);
  }
  return out;
}

/** A head's (d_model, d_model) circuits: W_QK = W_Q^h W_K^hᵀ (scores x_i W_QK x_jᵀ) and W_OV = W_V^h W_O^h. */
function circuits(model: ModelWeights, h: HeadId): { qk: Float64Array; ov: Float64Array } {
  const { dModel: d, dHead: dh } = model.manifest;
  const w = model.layers[h.layer];
  const cols = (t: Float64Array) => { // (d_model, d_h): head h's columns
    const out = new Float64Array(d * dh);
    for (let r = 0; r < d; r++) out.set(t.subarray(r * d + h.head * dh, r * d + (h.head + 1) * dh), r * dh);
    return out;
  };
  const wo = w.wo.data.slice(h.head * dh * d, (h.head + 1) * dh * d); // (d_h, d_model): head h's rows of W_O
  return { qk: mm(cols(w.wq.data), cols(w.wk.data), d, dh, d, true), ov: mm(cols(w.wv.data), wo, d, dh, d) };
}

/**
 * Composition scores of Elhage et al. (2021) between an earlier head `from` and a later head `to`: how much of
 * `to`'s query (Q), key (K) or value (V) circuit reads what `from` writes, ‖product‖_F / (‖A‖_F ‖B‖_F), in [0, 1].
 * With row vectors, `from` writes x·W_OV; `to`'s score x_i W_QK x_jᵀ reads it through its keys as W_QK W_OVᵀ.
 */
export function compositionScores(model: ModelWeights, from: HeadId, to: HeadId): { q: number; k: number; v: number } {
  const d = model.manifest.dModel;
  const a = circuits(model, from);
  const b = circuits(model, to);
  const score = (p: Float64Array, x: Float64Array, y: Float64Array) => frob(p) / (frob(x) * frob(y));
  return {
    q: score(mm(a.ov, b.qk, d, d, d), a.ov, b.qk),
    k: score(mm(b.qk, a.ov, d, d, d, true), b.qk, a.ov),
    v: score(mm(a.ov, b.ov, d, d, d), a.ov, b.ov),
  };
}
