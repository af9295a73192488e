// "Your attention runs the model", the run: the learner's current code goes to the sandbox, the page runs the
// trained model's forward pass and sends each layer's attention calls there, checks every answer, and compares
// the logits with the engine's. Learner values reach the DOM only as text.
import weightsUrl from '../model/weights/copy-model.json?url';
import { copyBatch, HELD_OUT_SEED, loadWeights, type ModelWeights } from '../model';
import { compareWithEngine, forwardWithLearner, isPlugExercise, PLUG_FUNCTIONS, PLUG_TOLERANCE, PlugError, type PlugComparison, type PlugOutcome } from '../model/plug';
import { batchAll, getSandbox, isLoadFailure } from '../sandbox/host';
import { pageWorks } from './saved';
import { readData } from './data';

/** The held-out sequence the learner's forward pass runs on (its own seed: never a training sequence). */
export const PLUG_SEQUENCE_SEED = HELD_OUT_SEED + 11;

let weights: Promise<ModelWeights> | null = null;
function model(): Promise<ModelWeights> {
  weights ??= fetch(weightsUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`the model's weights could not be loaded (HTTP ${r.status})`);
      return r.json();
    })
    .then(loadWeights);
  weights.catch(() => (weights = null));
  return weights;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function render(out: HTMLElement, m: ModelWeights, tokens: number[], c: PlugComparison, fn: string): void {
  const { vocab } = m.manifest;
  const d = c.firstDifference;
  const verdict = d
    ? el('p', `Your ${fn}() changes the model: ${c.predictionsDiffer} of ${tokens.length} predicted letters differ from the reference's.`, 'amm-plug__verdict is-mismatch')
    : el('p', `Match: with your ${fn}() the model's ${tokens.length * vocab.length} logits equal the reference engine's (largest difference ${c.maxAbsDiff.toExponential(1)}), so every prediction is the same.`, 'amm-plug__verdict is-match');
  const parts: HTMLElement[] = [verdict];
  if (d) {
    parts.push(el('p', `First differing logit (beyond ${PLUG_TOLERANCE.atol} + ${PLUG_TOLERANCE.rtol}·|reference|): position ${d.position} (letter ${vocab[d.token]}), logit index ${d.logit} (next letter ${vocab[d.logit]}): yours ${d.yours.toPrecision(10)}, reference ${d.reference.toPrecision(10)}.`));
    parts[parts.length - 1].dataset.plugFirst = `${d.position},${d.token},${d.logit}`;
  }
  const table = el('table', undefined, 'amm-plug__table');
  table.append(el('caption', 'Next-letter predictions at each position of the held-out sequence'));
  const row = (label: string, cells: string[], diff?: (i: number) => boolean) => {
    const tr = el('tr');
    tr.append(el('th', label));
    cells.forEach((x, i) => {
      const td = el('td', x);
      if (diff?.(i)) td.className = 'is-diff';
      tr.append(td);
    });
    return tr;
  };
  const differs = (i: number) => c.yourPredictions[i] !== c.referencePredictions[i];
  table.append(
    row('input', tokens.map((t) => vocab[t])),
    row('reference', c.referencePredictions.map((t) => vocab[t])),
    row('yours', c.yourPredictions.map((t) => vocab[t]), differs),
  );
  const strip = el('div', undefined, 'amm-plug__strip');
  strip.tabIndex = 0;
  strip.setAttribute('role', 'region');
  strip.setAttribute('aria-label', 'Predictions, yours and the reference');
  strip.append(table);
  parts.push(strip);
  out.replaceChildren(...parts);
}

/** Runs the model with the learner's function from the workspace around `section`; never throws. */
export async function runPlug(section: HTMLElement, id: string, done: () => void): Promise<void> {
  const status = section.querySelector<HTMLElement>('[data-plug-status]')!;
  const out = section.querySelector<HTMLElement>('[data-plug-result]')!;
  const button = section.querySelector<HTMLButtonElement>('[data-plug-run]')!;
  if (!isPlugExercise(id)) return;
  const fn = PLUG_FUNCTIONS[id];
  const ws = section.closest<HTMLElement>('[data-amm-ws]');
  const code = pageWorks.get(id)?.value.code;
  if (!ws || code === undefined) return;
  const { timeLimitMs } = readData(ws);
  section.dataset.running = 'true';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  delete section.dataset.plug;
  status.textContent = `Running the model with your ${fn}()…`;
  out.replaceChildren();
  const t0 = performance.now();
  let session: Awaited<ReturnType<ReturnType<typeof getSandbox>['start']>> | null = null;
  try {
    const m = await model();
    const [seq] = copyBatch(PLUG_SEQUENCE_SEED, 1, m.manifest.task);
    session = await getSandbox().start(code, timeLimitMs, () => {});
    if (isLoadFailure(session)) throw new PlugError(`your file could not be loaded: ${session.message}`);
    if (!session.exports.includes(fn)) throw new PlugError(`your file does not export ${fn}()`);
    const s = session;
    const logits = await forwardWithLearner(id, m, seq.tokens, async (calls) =>
      (await batchAll(s.batch, calls.map((c) => ({ fn: c.fn, args: c.args })))) as PlugOutcome[]);
    const c = compareWithEngine(m, seq.tokens, logits);
    render(out, m, seq.tokens, c, fn);
    section.dataset.plug = c.firstDifference ? 'mismatch' : 'match';
    status.textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
  } catch (e) {
    section.dataset.plug = 'error';
    const why = e instanceof Error ? e.message : String(e);
    out.replaceChildren(el('p', e instanceof PlugError ? `The model could not run with your ${fn}(): ${why}.` : `The model run failed: ${why}.`, 'amm-plug__verdict is-mismatch'));
    status.textContent = 'Stopped.';
  } finally {
    if (session && !isLoadFailure(session)) session.end();
    delete section.dataset.running;
    button.removeAttribute('aria-busy');
    done();
  }
}
