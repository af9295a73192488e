// The trained-model demo: what to show for one token sequence (pure functions, HTML strings; the client
// island wires them to the page).
import { headEntropy } from '../../engine';
import { argmaxAt, copyBatch, decode, encode, forward, HELD_OUT_SEED, probabilitiesAt, type HeadId, type ModelWeights } from '../../model';

/** Held-out sequences behind the demo's live copy-accuracy figure (small, so a toggle answers within a second or two). */
export const LIVE_SEQUENCES = 100;

/** Ready-made sequences: a held-out copy sequence, a phrase said twice, and letters with no repeat. */
export function presets(model: ModelWeights): { id: string; label: string; text: string }[] {
  const [heldOut] = copyBatch(HELD_OUT_SEED + 99, 1, model.manifest.task);
  const T = model.manifest.maxSeqLen;
  return [
    { id: 'held-out', label: 'Random letters with a repeated segment (held out)', text: decode(heldOut.tokens) },
    { id: 'phrase', label: 'A phrase, twice', text: 'MARYHADALITTLELAMBQZXWVMARYHADALITTLELAMB'.slice(0, T) },
    { id: 'no-repeat', label: 'No repeat', text: 'QWERTYUIOPASDFGHJKLZXCVBNMPLOKIJUHYGTRFEDCWSXQAZ'.slice(0, T) },
  ];
}

/** Letters typed by the learner → tokens, with a note about what was dropped or cut. */
export function parseSequence(text: string, maxT: number): { tokens: number[]; note: string } {
  const all = encode(text);
  const dropped = [...text].filter((c) => !/[a-z]/i.test(c) && !/\s/.test(c)).length;
  const tokens = all.slice(0, maxT);
  const notes: string[] = [];
  if (dropped > 0) notes.push(`${dropped} character${dropped === 1 ? '' : 's'} other than A–Z ignored`);
  if (all.length > maxT) notes.push(`cut to the first ${maxT} letters (the model's positions stop there)`);
  if (tokens.length === 0) notes.push('type at least one letter A–Z');
  return { tokens, note: notes.join('; ') };
}

/**
 * Positions i whose next token repeats an earlier bigram: some j < i has tokens[j] = tokens[i] and
 * tokens[j+1] = tokens[i+1]. These are the predictions an induction head can get right.
 */
export function repeatPositions(tokens: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i + 1 < tokens.length; i++) {
    for (let j = 0; j < i; j++) {
      if (tokens[j] === tokens[i] && tokens[j + 1] === tokens[i + 1]) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

/** Everything the demo shows for one sequence and one set of ablated heads. */
export interface ModelView {
  tokens: number[];
  /** Argmax next token at each position. */
  predicted: number[];
  /** Same, without ablation (to show what changed). */
  predictedBase: number[];
  repeat: number[];
  /** [layer][head] → (T × T) weights, row-major. */
  maps: Float64Array[][];
  /** [layer][head] mean row entropy (nats). */
  entropy: number[][];
  /** Next-token distribution at every position (T × V), with ablation. */
  probs: number[][];
  ms: number;
}

/** Runs the engine forward pass (with and without the ablated heads) and collects what the demo shows. */
export function computeView(model: ModelWeights, tokens: number[], ablate: HeadId[]): ModelView {
  const t0 = performance.now();
  const r = forward(model, [tokens], { ablate });
  const ms = performance.now() - t0;
  const base = ablate.length ? forward(model, [tokens]) : r;
  const T = tokens.length;
  const { layers, heads } = model.manifest;
  const maps = Array.from({ length: layers }, (_, l) =>
    Array.from({ length: heads }, (_, h) => r.weights[l].data.slice(h * T * T, (h + 1) * T * T)));
  const entropy = r.weights.map((w) => Array.from(headEntropy(w).data));
  return {
    tokens,
    predicted: tokens.map((_, t) => argmaxAt(r.logits, 0, t)),
    predictedBase: tokens.map((_, t) => argmaxAt(base.logits, 0, t)),
    repeat: repeatPositions(tokens),
    maps,
    entropy,
    probs: tokens.map((_, t) => probabilitiesAt(r.logits, 0, t)),
    ms,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Correct predictions on the repeat positions: [with ablation, without]. */
export function repeatScore(v: ModelView): { total: number; correct: number; correctBase: number } {
  let correct = 0;
  let correctBase = 0;
  for (const i of v.repeat) {
    if (v.predicted[i] === v.tokens[i + 1]) correct++;
    if (v.predictedBase[i] === v.tokens[i + 1]) correctBase++;
  }
  return { total: v.repeat.length, correct, correctBase };
}

/** The token strip: each input letter with the model's guess for the next one under it. */
export function renderStrip(v: ModelView, vocab: readonly string[], query: number): string {
  const rep = new Set(v.repeat);
  const cells = v.tokens.map((tok, i) => {
    const next = v.tokens[i + 1];
    const guess = vocab[v.predicted[i]];
    const cls = ['mdl-tok'];
    if (rep.has(i)) cls.push('is-repeat');
    if (next !== undefined) cls.push(v.predicted[i] === next ? 'is-right' : 'is-wrong');
    if (v.predicted[i] !== v.predictedBase[i]) cls.push('is-changed');
    if (i === query) cls.push('is-query');
    const verdict = next === undefined ? 'next token unknown' : v.predicted[i] === next ? 'right' : `wrong, next is ${vocab[next]}`;
    return `<span class="${cls.join(' ')}" title="position ${i}: ${vocab[tok]}, predicts ${guess} (${verdict})"><b>${vocab[tok]}</b><i>${guess}</i></span>`;
  });
  return `<div class="mdl-strip" role="list" aria-label="Each input letter with the model's prediction for the next letter below it">${cells.map((c) => c.replace('<span ', '<span role="listitem" ')).join('')}</div>`;
}

/** Summary sentence for the repeat positions (with and without the ablation). */
export function renderSummary(v: ModelView, ablated: number): string {
  const s = repeatScore(v);
  if (s.total === 0) return 'No letter pair repeats an earlier pair, so nothing here can be copied: the model can only guess (1 in 26).';
  const base = `Repeat positions (the next letter continues an earlier pair): ${s.total}; predicted right: ${s.correctBase} (${pct(s.correctBase / s.total)})`;
  return ablated === 0 ? `${base}.` : `${base} with every head; ${s.correct} (${pct(s.correct / s.total)}) with ${ablated} head${ablated === 1 ? '' : 's'} ablated.`;
}

/** Top-5 next-token probabilities at the query position, and each head's three heaviest keys there. */
export function renderQuery(v: ModelView, vocab: readonly string[], query: number): string {
  const p = v.probs[query];
  const top = p.map((x, t) => [x, t] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
  const rows = top.map(([x, t]) => `<li><span class="mdl-bar" style="width:${(100 * x).toFixed(1)}%"></span><span>${vocab[t]} ${pct(x)}</span></li>`).join('');
  const T = v.tokens.length;
  const heads = v.maps.flatMap((row, l) => row.map((m, h) => {
    const w = Array.from(m.subarray(query * T, (query + 1) * T));
    const best = w.map((x, j) => [x, j] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
    return `<li>layer ${l} head ${h}: ${best.map(([x, j]) => `key ${j} (${vocab[v.tokens[j]]}) ${x.toFixed(2)}`).join(', ')}</li>`;
  })).join('');
  return `<div class="mdl-sub">Next-letter probabilities after position ${query} (${vocab[v.tokens[query]]})</div><ol class="mdl-probs">${rows}</ol>`
    + `<div class="mdl-sub">Where each head looks from position ${query}</div><ul class="mdl-where">${heads}</ul>`;
}
