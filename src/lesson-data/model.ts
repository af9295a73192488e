// Numbers about the course's trained transformer (lessons 5, 7 and 8), computed at build time by the engine's
// forward pass from the shipped weights (src/model/weights/copy-model.json).
import { kvCacheBytes } from '../engine';
import { copyBatch, decodeWithCache, evaluate, forward, HELD_OUT_SEED, parameterCount, type HeadId } from '../model';
import { shippedModel as model } from '../model/shipped';

const m = model.manifest;
/** Held-out sequences for the headline accuracy and head scores (the same set `npm run model:eval` uses). */
export const EVAL_SEQUENCES = 1000;
/** Held-out sequences behind each ablation figure (a subset, to keep the build quick). */
export const ABLATION_SEQUENCES = 200;

const seqs = copyBatch(HELD_OUT_SEED, EVAL_SEQUENCES, m.task);
const ablSeqs = seqs.slice(0, ABLATION_SEQUENCES);
const full = evaluate(model, seqs);
const baseSmall = evaluate(model, ablSeqs);

/** The model's shape and training, from the manifest. */
export const modelFacts = {
  layers: m.layers, heads: m.heads, dModel: m.dModel, dHead: m.dHead, maxSeqLen: m.maxSeqLen, vocabSize: m.vocab.length,
  params: parameterCount(model), steps: m.steps, phases: m.phases, seed: m.trainingSeed, finalLoss: m.finalLoss,
  finalCopyLoss: m.finalCopyLoss, seqLen: m.task.seqLen, minSegment: m.task.minSegment, maxSegment: m.task.maxSegment,
};

/** Copy accuracy over EVAL_SEQUENCES held-out sequences and chance (1 / vocabulary). */
export const copyAccuracy = full.copyAccuracy;
export const copyPredictions = full.copyPredictions;
export const chance = 1 / m.vocab.length;
/** [layer][head] previous-token, duplicate-token and induction scores and mean entropy (nats) over the held-out set. */
export const scores = full.scores;
/** ln T: the entropy of uniform attention over the whole training length (the last row's maximum). */
export const lnT = Math.log(m.task.seqLen);

const argmaxIn = (row: number[]) => row.indexOf(Math.max(...row));
/** The last layer's head with the highest induction score. */
export const inductionHead: HeadId = { layer: m.layers - 1, head: argmaxIn(scores.induction[m.layers - 1]) };

/** Evaluation on ABLATION_SEQUENCES with each head ablated alone, [layer][head]. */
const ablatedEval = Array.from({ length: m.layers }, (_, layer) =>
  Array.from({ length: m.heads }, (_, head) => evaluate(model, ablSeqs, [{ layer, head }])));
/** Copy accuracy on ABLATION_SEQUENCES with each head ablated alone, [layer][head], and with none. */
export const ablated = ablatedEval.map((row) => row.map((e) => e.copyAccuracy));
export const ablationBase = baseSmall.copyAccuracy;

/** The layer-0 head whose ablation lowers the induction head's induction score the most: its partner. */
const inductionWithout = ablatedEval[0].map((e) => e.scores.induction[inductionHead.layer][inductionHead.head]);
export const partnerHead: HeadId = { layer: 0, head: inductionWithout.indexOf(Math.min(...inductionWithout)) };
/** What the partner does: its previous-token and duplicate-token scores, and which is larger. */
export const partner = {
  previousToken: scores.previousToken[0][partnerHead.head],
  duplicate: scores.duplicate[0][partnerHead.head],
  kind: scores.previousToken[0][partnerHead.head] >= scores.duplicate[0][partnerHead.head] ? 'previous-token' as const : 'duplicate-token' as const,
};

// Where each head's rows put their largest weight, over the ablation subset (queries i ≥ 1).
const favourite = (() => {
  const { layers, heads } = m;
  const count = Array.from({ length: layers }, () => Array.from({ length: heads }, () => ({ self: 0, previous: 0, first: 0, rows: 0 })));
  const r = forward(model, ablSeqs.map((s) => s.tokens));
  const T = m.task.seqLen;
  for (let l = 0; l < layers; l++) {
    const w = r.weights[l].data; // (B, H, T, T)
    for (let b = 0; b < ablSeqs.length; b++) {
      for (let h = 0; h < heads; h++) {
        for (let i = 1; i < T; i++) {
          const row = ((b * heads + h) * T + i) * T;
          let best = 0;
          for (let j = 1; j <= i; j++) if (w[row + j] > w[row + best]) best = j;
          const c = count[l][h];
          c.rows++;
          if (best === i) c.self++;
          else if (best === i - 1) c.previous++;
          else if (best === 0) c.first++;
        }
      }
    }
  }
  return count.map((row) => row.map((c) => {
    const options = [['itself', c.self], ['the previous position', c.previous], ['the first position', c.first]] as const;
    const [where, n] = options.reduce((a, o) => (o[1] > a[1] ? o : a));
    return { where, share: n / c.rows };
  }));
})();

/** A head's most distinctive measured behaviour, as a phrase for the lesson text. */
function roleOf(prev: number, dup: number, ind: number, fav: { where: string; share: number }): string {
  const best = Math.max(prev, dup, ind);
  if (best >= 0.4 && best === ind) return `from a repeated letter it puts ${ind.toFixed(2)} of its weight on the letter after the earlier copy`;
  if (best >= 0.4 && best === dup) return `from a repeated letter it puts ${dup.toFixed(2)} of its weight on that letter's earlier copy`;
  if (best >= 0.4) return `it puts ${prev.toFixed(2)} of its weight on the previous position`;
  return `in ${(100 * fav.share).toFixed(1)} % of rows its largest weight is on ${fav.where}`;
}

/** Heads as rows for the lesson tables: scores, entropy, accuracy with the head ablated. */
export const headRows = ablated.flatMap((row, layer) => row.map((acc, head) => ({
  layer, head,
  previousToken: scores.previousToken[layer][head],
  duplicate: scores.duplicate[layer][head],
  induction: scores.induction[layer][head],
  entropy: scores.entropy[layer][head],
  ablatedAccuracy: acc,
  drop: ablationBase - acc,
  /** The key its rows most often weight highest (itself, the previous position or the first), and how often. */
  favourite: favourite[layer][head],
  /** Its most distinctive measured behaviour, as a phrase. */
  role: roleOf(scores.previousToken[layer][head], scores.duplicate[layer][head], scores.induction[layer][head], favourite[layer][head]),
})));

/** The head whose ablation costs the most copy accuracy. */
export const mostNeeded = headRows.reduce((a, b) => (b.drop > a.drop ? b : a));
/**
 * A striking map that matters little: among heads whose ablation costs under 5 points, the one with the
 * lowest entropy (its map is the sharpest, most "explanatory"-looking); undefined if every head matters.
 */
export const strikingButIdle = headRows.filter((r) => r.drop < 0.05).sort((a, b) => a.entropy - b.entropy)[0];

/** 8.1 composition (ABLATION_SEQUENCES): the induction head's score and copy accuracy, with and without its partner. */
export const composition = {
  inductionScore: baseSmall.scores.induction[inductionHead.layer][inductionHead.head],
  inductionScoreWithoutPartner: inductionWithout[partnerHead.head],
  accuracy: ablationBase,
  accuracyWithoutPartner: ablated[0][partnerHead.head],
  accuracyWithoutInduction: ablated[inductionHead.layer][inductionHead.head],
};

// Lesson 5: the KV cache of this model.
const [demoSeq] = copyBatch(HELD_OUT_SEED + 5, 1, m.task);
const fullLogits = forward(model, [demoSeq.tokens]).logits;
const cached = decodeWithCache(model, demoSeq.tokens);
let maxDiff = 0;
for (let i = 0; i < fullLogits.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fullLogits.data[i] - cached.logits.data[i]));
/** KV-cache bytes of the model for one sequence of maxSeqLen tokens, in float64 (as the engine runs it) and float32. */
export const kvBytes = {
  T: m.maxSeqLen,
  float64: kvCacheBytes({ layers: m.layers, batch: 1, seqLen: m.maxSeqLen, kvHeads: m.heads, headDim: m.dHead, bytesPerElement: 8 }),
  float32: kvCacheBytes({ layers: m.layers, batch: 1, seqLen: m.maxSeqLen, kvHeads: m.heads, headDim: m.dHead, bytesPerElement: 4 }),
  /** Length of each layer's cached keys after decoding the demo sequence. */
  cachedPositions: cached.caches[0].length,
  /** Largest |logit(cache) − logit(full recompute)| over every position of that sequence. */
  maxLogitDiff: maxDiff,
  logitsCompared: fullLogits.data.length,
};

/** A fraction as a percentage with one decimal, "87.3 %". */
export const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
/** "layer 1 · head 0". */
export const headName = (h: HeadId): string => `layer ${h.layer} · head ${h.head}`;
