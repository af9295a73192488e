// Measurements of the trained model on held-out copy sequences: copy accuracy, head scores, entropy, ablation.
import { headEntropy } from '../engine';
import { copyPositions, type CopySequence } from './data';
import { argmaxAt, forward, type ForwardResult, type HeadId } from './forward';
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

/** Copy accuracy, previous-token and induction scores, entropies, optionally with heads ablated. */
export function evaluate(model: ModelWeights, seqs: readonly CopySequence[], ablate: readonly HeadId[] = []): ModelEvaluation {
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
    const r = forward(model, part.map((s) => s.tokens), { ablate });
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
