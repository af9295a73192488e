// npm run model:eval — one JSON line: the shipped model's copy accuracy and head classes, computed by the
// float64 engine forward pass over held-out sequences. --n N sequences (default 1000; the per-head ablation
// accuracies use the first 200 of them, as the lessons do). --weights PATH: another weight file.
// copyAccuracy is on the manifest's task (the longest sequences, T = maxSeqLen); copyAccuracyByLength repeats
// it on n held-out sequences of each shorter length (copyTaskFor(T): segments T/4 … T/2).
import { readFileSync } from 'node:fs';
import { ablationTable, classify, copyBatch, copyTaskFor, evaluate, HELD_OUT_SEED, loadWeights, parameterCount } from '../../src/model';
import { shippedModel } from '../../src/model/shipped';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const n = Number(arg('n') ?? 1000);
// --weights PATH evaluates another weight file (e.g. a training checkpoint) instead of the shipped one.
const path = arg('weights');
const model = path ? loadWeights(JSON.parse(readFileSync(path, 'utf8'))) : shippedModel;
const started = performance.now();
const seqs = copyBatch(HELD_OUT_SEED, n, model.manifest.task);
const e = evaluate(model, seqs);
const ablationSequences = Math.min(n, 200);
const ablated = ablationTable(model, seqs.slice(0, ablationSequences));
const round = (x: number) => Number(x.toFixed(4));
const grid = (g: number[][]) => g.map((row) => row.map(round));
const m = model.manifest;
const byLength = Object.fromEntries([16, 32, 48, m.task.seqLen].filter((T, i, a) => T <= m.maxSeqLen && a.indexOf(T) === i).map((T) => [
  T, round(T === m.task.seqLen ? e.copyAccuracy : evaluate(model, copyBatch(HELD_OUT_SEED, n, copyTaskFor(T))).copyAccuracy),
]));
console.log(JSON.stringify({
  copyAccuracy: round(e.copyAccuracy),
  chance: round(1 / m.vocab.length),
  sequences: n,
  seqLen: m.task.seqLen,
  segment: [m.task.minSegment, m.task.maxSegment],
  copyAccuracyByLength: byLength,
  copyPredictions: e.copyPredictions,
  params: parameterCount(model),
  layers: m.layers,
  heads: m.heads,
  dModel: m.dModel,
  previousTokenHeads: classify(e.scores.previousToken).map((h) => ({ ...h, score: round(h.score) })),
  duplicateTokenHeads: classify(e.scores.duplicate).map((h) => ({ ...h, score: round(h.score) })),
  inductionHeads: classify(e.scores.induction).map((h) => ({ ...h, score: round(h.score) })),
  previousTokenScores: grid(e.scores.previousToken),
  duplicateTokenScores: grid(e.scores.duplicate),
  inductionScores: grid(e.scores.induction),
  entropy: grid(e.scores.entropy),
  ablationSequences,
  copyAccuracyWithHeadAblated: grid(ablated),
  seconds: round((performance.now() - started) / 1000),
}));
