// Numbers about the course's trained transformer (lessons 5, 7 and 8), computed at build time by the engine's
// forward pass from the shipped weights (src/model/weights/copy-model.json). The computation takes tens of
// seconds, so its result is kept in node_modules/.cache keyed by a hash of the weights and of every source file
// it runs (engine, model, this file): a rebuild with the same inputs reads it back, any change recomputes it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kvCacheBytes } from '../engine';
import { compositionScores, copyBatch, copyTaskFor, decodeWithCache, evaluate, forward, HELD_OUT_SEED, parameterCount, type HeadId, type PathInput } from '../model';
import { shippedModel as model } from '../model/shipped';

const m = model.manifest;
/** Held-out sequences for the headline accuracy and head scores (the same set `npm run model:eval` uses). */
export const EVAL_SEQUENCES = 1000;
/** Held-out sequences behind each ablation figure (a subset, to keep the build quick). */
export const ABLATION_SEQUENCES = 200;

/** Shorter sequence lengths whose copy accuracy the lessons also quote. */
const SHORTER_LENGTHS = [16, 32];

/** A head's row in the lesson tables. */
interface HeadRow extends HeadId {
  previousToken: number;
  duplicate: number;
  induction: number;
  entropy: number;
  ablatedAccuracy: number;
  drop: number;
  /** The key its rows most often weight highest (itself, the previous position or the first), and how often. */
  favourite: { where: string; share: number };
  /** Its most distinctive measured behaviour, as a phrase. */
  role: string;
}

/** A head's most distinctive measured behaviour, as a phrase for the lesson text. */
function roleOf(prev: number, dup: number, ind: number, fav: { where: string; share: number }): string {
  const best = Math.max(prev, dup, ind);
  if (best >= 0.4 && best === ind) return `from a repeated letter it puts ${ind.toFixed(2)} of its weight on the letter after the earlier copy`;
  if (best >= 0.4 && best === dup) return `from a repeated letter it puts ${dup.toFixed(2)} of its weight on that letter's earlier copy`;
  if (best >= 0.4) return `it puts ${prev.toFixed(2)} of its weight on the previous position`;
  return `in ${(100 * fav.share).toFixed(1)} % of rows its largest weight is on ${fav.where}`;
}

/** Everything the lessons quote, as plain data (what the cache holds). */
function compute() {
  const seqs = copyBatch(HELD_OUT_SEED, EVAL_SEQUENCES, m.task);
  const ablSeqs = seqs.slice(0, ABLATION_SEQUENCES);
  const full = evaluate(model, seqs);
  const baseSmall = evaluate(model, ablSeqs);
  const scores = full.scores;
  const argmaxIn = (row: number[]) => row.indexOf(Math.max(...row));
  const inductionHead: HeadId = { layer: m.layers - 1, head: argmaxIn(scores.induction[m.layers - 1]) };
  const ablatedEval = Array.from({ length: m.layers }, (_, layer) =>
    Array.from({ length: m.heads }, (_, head) => evaluate(model, ablSeqs, [{ layer, head }])));
  const ablated = ablatedEval.map((row) => row.map((e) => e.copyAccuracy));
  const ablationBase = baseSmall.copyAccuracy;
  const inductionWithout = ablatedEval[0].map((e) => e.scores.induction[inductionHead.layer][inductionHead.head]);
  const partnerHead: HeadId = { layer: 0, head: inductionWithout.indexOf(Math.min(...inductionWithout)) };

  // Where each head's rows put their largest weight, over the ablation subset (queries i ≥ 1).
  const T = m.task.seqLen;
  const count = Array.from({ length: m.layers }, () => Array.from({ length: m.heads }, () => ({ self: 0, previous: 0, first: 0, rows: 0 })));
  const r = forward(model, ablSeqs.map((s) => s.tokens));
  for (let l = 0; l < m.layers; l++) {
    const w = r.weights[l].data; // (B, H, T, T)
    for (let b = 0; b < ablSeqs.length; b++) {
      for (let h = 0; h < m.heads; h++) {
        for (let i = 1; i < T; i++) {
          const row = ((b * m.heads + h) * T + i) * T;
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
  const favourite = count.map((row) => row.map((c) => {
    const options = [['itself', c.self], ['the previous position', c.previous], ['the first position', c.first]] as const;
    const [where, n] = options.reduce((a, o) => (o[1] > a[1] ? o : a));
    return { where, share: n / c.rows };
  }));
  const headRows: HeadRow[] = ablated.flatMap((row, layer) => row.map((acc, head) => ({
    layer, head,
    previousToken: scores.previousToken[layer][head],
    duplicate: scores.duplicate[layer][head],
    induction: scores.induction[layer][head],
    entropy: scores.entropy[layer][head],
    ablatedAccuracy: acc,
    drop: ablationBase - acc,
    favourite: favourite[layer][head],
    role: roleOf(scores.previousToken[layer][head], scores.duplicate[layer][head], scores.induction[layer][head], favourite[layer][head]),
  })));

  // 8.1: the partner's output removed from only the queries, keys or values of layer 1 (path ablation).
  const paths = (['query', 'key', 'value'] as PathInput[]).map((input) => {
    const e = evaluate(model, ablSeqs, [], { head: partnerHead, input });
    return { input, inductionScore: e.scores.induction[inductionHead.layer][inductionHead.head], copyAccuracy: e.copyAccuracy };
  });
  const composition = Array.from({ length: m.heads }, (_, head) => ({ head, ...compositionScores(model, { layer: 0, head }, inductionHead) }));

  // Lesson 5: the KV cache of this model, on one held-out sequence.
  const [demoSeq] = copyBatch(HELD_OUT_SEED + 5, 1, m.task);
  const fullLogits = forward(model, [demoSeq.tokens]).logits;
  const cached = decodeWithCache(model, demoSeq.tokens);
  let maxDiff = 0;
  for (let i = 0; i < fullLogits.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fullLogits.data[i] - cached.logits.data[i]));

  // The same measurement on shorter held-out sequences (segments T/4 … T/2), for "every length up to maxSeqLen".
  const byLength = SHORTER_LENGTHS.filter((T) => T < m.task.seqLen).map((T) => ({
    T, copyAccuracy: evaluate(model, copyBatch(HELD_OUT_SEED, EVAL_SEQUENCES, copyTaskFor(T))).copyAccuracy,
  }));

  return {
    copyAccuracy: full.copyAccuracy,
    copyPredictions: full.copyPredictions,
    byLength,
    scores,
    inductionHead,
    ablated,
    ablationBase,
    partnerHead,
    inductionWithout,
    paths,
    composition,
    inductionScoreSmall: baseSmall.scores.induction[inductionHead.layer][inductionHead.head],
    headRows,
    kvCache: { cachedPositions: cached.caches[0].length, maxLogitDiff: maxDiff, logitsCompared: fullLogits.data.length },
  };
}
type LessonData = ReturnType<typeof compute>;

/** Source files whose text decides the numbers (with the weights): the engine, the model and this file. */
function sources(): string[] {
  const root = process.cwd();
  const tsIn = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsIn(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
  return [...tsIn(resolve(root, 'src/engine')), ...tsIn(resolve(root, 'src/model')), resolve(root, 'src/lesson-data/model.ts'), resolve(root, 'src/model/weights/copy-model.json')].sort();
}

/** The lesson data, from the cache when the weights and the code are unchanged, else computed (and cached). */
function load(): LessonData {
  let file: string | null = null;
  try {
    const hash = createHash('sha256');
    for (const f of sources()) hash.update(f.slice(process.cwd().length)).update(readFileSync(f));
    const dir = resolve(process.cwd(), 'node_modules/.cache/amm-model-lessons');
    file = join(dir, `${hash.digest('hex').slice(0, 32)}.json`);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LessonData;
    mkdirSync(dir, { recursive: true });
  } catch {
    // No source tree here (or unreadable cache): compute without caching.
    file = null;
  }
  const data = compute();
  if (file) {
    try {
      writeFileSync(file, JSON.stringify(data));
    } catch {
      // A read-only tree only loses the cache.
    }
  }
  return data;
}

const data = load();

/** The model's shape and training, from the manifest. */
export const modelFacts = {
  layers: m.layers, heads: m.heads, dModel: m.dModel, dHead: m.dHead, maxSeqLen: m.maxSeqLen, vocabSize: m.vocab.length,
  params: parameterCount(model), steps: m.steps, phases: m.phases, seed: m.trainingSeed, finalLoss: m.finalLoss,
  finalCopyLoss: m.finalCopyLoss, seqLen: m.task.seqLen, minSegment: m.task.minSegment, maxSegment: m.task.maxSegment,
  /** Shortest and longest training sequence of the last phase (one length when it did not mix lengths). */
  trainLengths: m.phases[m.phases.length - 1].lengths ?? { min: m.task.seqLen, max: m.task.seqLen },
};

/** Copy accuracy over EVAL_SEQUENCES held-out sequences and chance (1 / vocabulary). */
export const copyAccuracy = data.copyAccuracy;
export const copyPredictions = data.copyPredictions;
/** Copy accuracy over EVAL_SEQUENCES held-out sequences of each shorter length T (task copyTaskFor(T)). */
export const accuracyByLength: { T: number; copyAccuracy: number }[] = data.byLength;
export const chance = 1 / m.vocab.length;
/** [layer][head] previous-token, duplicate-token and induction scores and mean entropy (nats) over the held-out set. */
export const scores = data.scores;
/** ln T: the entropy of uniform attention over the whole training length (the last row's maximum). */
export const lnT = Math.log(m.task.seqLen);
/** The last layer's head with the highest induction score. */
export const inductionHead: HeadId = data.inductionHead;
/** Copy accuracy on ABLATION_SEQUENCES with each head ablated alone, [layer][head], and with none. */
export const ablated = data.ablated;
export const ablationBase = data.ablationBase;
/** The layer-0 head whose ablation lowers the induction head's induction score the most: its partner. */
export const partnerHead: HeadId = data.partnerHead;
/** What the partner does: its previous-token and duplicate-token scores, and which is larger. */
export const partner = {
  previousToken: data.scores.previousToken[0][partnerHead.head],
  duplicate: data.scores.duplicate[0][partnerHead.head],
  kind: data.scores.previousToken[0][partnerHead.head] >= data.scores.duplicate[0][partnerHead.head] ? 'previous-token' as const : 'duplicate-token' as const,
};
/** Heads as rows for the lesson tables: scores, entropy, accuracy with the head ablated. */
export const headRows = data.headRows;
/** The head whose ablation costs the most copy accuracy, and the one whose ablation costs the least. */
export const mostNeeded = headRows.reduce((a, b) => (b.drop > a.drop ? b : a));
export const leastNeeded = headRows.reduce((a, b) => (b.drop < a.drop ? b : a));
/** The head with the lowest mean entropy (the sharpest map). */
export const sharpest = headRows.reduce((a, b) => (b.entropy < a.entropy ? b : a));
/** The head with the highest mean entropy (the most diffuse map). */
export const mostDiffuse = headRows.reduce((a, b) => (b.entropy > a.entropy ? b : a));
/**
 * A striking map that matters little: among heads whose ablation costs under 5 points, the one with the
 * lowest entropy (its map is the sharpest, most "explanatory"-looking); undefined if every head matters.
 */
export const strikingButIdle: HeadRow | undefined = headRows.filter((r) => r.drop < 0.05).sort((a, b) => a.entropy - b.entropy)[0];

/** 8.1 composition (ABLATION_SEQUENCES): the induction head's score and copy accuracy, with and without its partner. */
export const composition = {
  inductionScore: data.inductionScoreSmall,
  inductionScoreWithoutPartner: data.inductionWithout[partnerHead.head],
  accuracy: ablationBase,
  accuracyWithoutPartner: ablated[0][partnerHead.head],
  accuracyWithoutInduction: ablated[inductionHead.layer][inductionHead.head],
  /** The partner's output removed from layer 1's queries only, keys only, values only. */
  paths: data.paths,
  /** Composition scores (Elhage et al. 2021) of each layer-0 head into the induction head. */
  scores: data.composition,
};

/** KV-cache bytes of the model for one sequence of maxSeqLen tokens, in float64 (as the engine runs it) and float32. */
export const kvBytes = {
  T: m.maxSeqLen,
  float64: kvCacheBytes({ layers: m.layers, batch: 1, seqLen: m.maxSeqLen, kvHeads: m.heads, headDim: m.dHead, bytesPerElement: 8 }),
  float32: kvCacheBytes({ layers: m.layers, batch: 1, seqLen: m.maxSeqLen, kvHeads: m.heads, headDim: m.dHead, bytesPerElement: 4 }),
  /** Length of each layer's cached keys after decoding the demo sequence. */
  cachedPositions: data.kvCache.cachedPositions,
  /** Largest |logit(cache) − logit(full recompute)| over every position of that sequence. */
  maxLogitDiff: data.kvCache.maxLogitDiff,
  logitsCompared: data.kvCache.logitsCompared,
};

/** A fraction as a percentage with one decimal, "87.3 %". */
export const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
/** "layer 1 · head 0". */
export const headName = (h: HeadId): string => `layer ${h.layer} · head ${h.head}`;
/** "Layer 1 · head 0", to start a sentence. */
export const HeadName = (h: HeadId): string => `Layer ${h.layer} · head ${h.head}`;

/** "queries", "keys", "values". */
export const plural = (input: PathInput): string => (input === 'query' ? 'queries' : `${input}s`);

/**
 * 8.1: through which input the induction head reads its partner — the path whose ablation lowers the induction
 * score the most — with a sentence for the lesson and the matching weight-based composition scores.
 */
export const compositionVia = (() => {
  const paths = composition.paths;
  const via = paths.reduce((a, b) => (b.inductionScore < a.inductionScore ? b : a));
  const letter = ({ query: 'Q', key: 'K', value: 'V' } as const)[via.input];
  const rest = paths.filter((p) => p !== via);
  const how = via.input === 'key'
    ? ' Its query, the current letter, matches the key of the position whose previous letter is the same.'
    : '';
  // A second input that loses at least half as much of the score also reads the partner: say so.
  const drop = (p: (typeof paths)[number]) => composition.inductionScore - p.inductionScore;
  const also = rest.filter((p) => drop(p) >= 0.5 * drop(via));
  const alsoText = also.length > 0
    ? `, and also through its ${also.map((p) => `${plural(p.input)} (${({ query: 'Q', key: 'K', value: 'V' } as const)[p.input]}-composition)`).join(' and ')}`
    : '';
  const sentence = `Removing the partner from the ${plural(via.input)} alone takes the induction score from ${composition.inductionScore.toFixed(2)} to ${via.inductionScore.toFixed(2)}, while removing it from the ${rest.map((p) => plural(p.input)).join(' or the ')} leaves ${rest.map((p) => p.inductionScore.toFixed(2)).join(' and ')}: the induction head reads the partner ${also.length > 0 ? 'mainly ' : ''}through its ${plural(via.input)} (${letter}-composition)${alsoText}.${how}`;
  const key = letter.toLowerCase() as 'q' | 'k' | 'v';
  const others = composition.scores.filter((c) => c.head !== partnerHead.head).map((c) => c[key]);
  return {
    input: via.input,
    letter,
    sentence,
    partnerScore: composition.scores[partnerHead.head][key],
    /** The largest score among the other layer-0 heads. */
    otherScore: Math.max(...others),
    /** True when the partner's score is the largest: the weights point at the same head as the ablations. */
    agrees: composition.scores[partnerHead.head][key] > Math.max(...others),
    othersLabel: others.length === 1 ? 'the other layer-0 head' : `the largest among the other ${others.length} layer-0 heads`,
  };
})();

/** Other last-layer heads that also pass as induction heads (score ≥ 0.4), best first: they back each other up. */
export const otherInductionHeads = headRows
  .filter((r) => r.layer === inductionHead.layer && r.head !== inductionHead.head && r.induction >= 0.4)
  .sort((a, b) => b.induction - a.induction);
