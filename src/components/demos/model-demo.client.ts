// Client island of the trained-model demo: fetches the weights when the demo scrolls near, runs the engine
// forward pass on every change, and measures held-out copy accuracy for the chosen ablation.
import weightsUrl from '../../model/weights/copy-model.json?url';
import { copyBatch, evaluate, HELD_OUT_SEED, loadWeights, type HeadId, type ModelWeights } from '../../model';
import { computeView, LIVE_SEQUENCES, parseSequence, presets, renderQuery, renderStrip, renderSummary, type ModelView } from './model-demo-view';

function drawMap(canvas: HTMLCanvasElement, map: Float64Array, T: number, query: number, color: string): void {
  const px = Math.max(2, Math.floor(192 / T));
  canvas.width = canvas.height = px * T;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = color;
  for (let i = 0; i < T; i++) {
    for (let j = 0; j <= i; j++) {
      const w = map[i * T + j];
      if (w < 0.01) continue;
      g.globalAlpha = Math.min(1, w);
      g.fillRect(j * px, i * px, px, px);
    }
  }
  g.globalAlpha = 1;
  g.strokeStyle = color;
  g.lineWidth = 1;
  g.strokeRect(0.5, query * px + 0.5, canvas.width - 1, px - 1);
}

/** Mounts the demo on its root element (carries data-amm-model). */
export async function mount(root: HTMLElement): Promise<void> {
  const q = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const status = q('[data-out="status"]');
  let model: ModelWeights;
  try {
    const res = await fetch(weightsUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    model = loadWeights(await res.json());
  } catch (e) {
    status.textContent = `The model's weights could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`;
    return;
  }
  // A few short forward passes as part of loading, before anything is drawn: the engine's loops get compiled, and
  // the learner's first sequence (up to 64 letters) runs on optimised code instead of paying for the JIT's warm-up.
  const warmUp = Array.from({ length: 12 }, (_, i) => i % model.manifest.vocab.length);
  const w0 = performance.now();
  for (let k = 0; k < 24; k++) {
    computeView(model, warmUp, k % 2 ? [{ layer: 0, head: 0 }] : []);
    // In small tasks, so scrolling and typing elsewhere on the page never wait for the warm-up.
    if (k % 3 === 2) await new Promise((done) => setTimeout(done, 0));
  }
  root.dataset.warmUpMs = (performance.now() - w0).toFixed(1);
  const { layers, heads, vocab } = model.manifest;
  const text = q<HTMLInputElement>('[data-input="text"]');
  const preset = q<HTMLSelectElement>('[data-input="preset"]');
  const query = q<HTMLInputElement>('[data-input="query"]');
  const live = presets(model);
  const color = () => getComputedStyle(root).getPropertyValue('--sl-color-accent').trim() || '#3b82f6';
  const heldOut = copyBatch(HELD_OUT_SEED + 7, LIVE_SEQUENCES, model.manifest.task);
  const accuracyCache = new Map<string, number>();
  let view: ModelView | undefined;
  let token = 0;

  const ablated = (): HeadId[] => Array.from(root.querySelectorAll<HTMLInputElement>('[data-ablate]'))
    .filter((c) => c.checked)
    .map((c) => ({ layer: Number(c.dataset.layer), head: Number(c.dataset.head) }));
  const keyOf = (a: HeadId[]) => a.map((h) => `${h.layer}.${h.head}`).join(',') || 'none';

  const measure = (a: HeadId[]): void => {
    const out = q('[data-out="accuracy"]');
    const mine = ++token;
    const show = () => {
      const base = accuracyCache.get('none');
      const now = accuracyCache.get(keyOf(a));
      if (base === undefined || now === undefined) return false;
      out.textContent = a.length === 0
        ? `Copy accuracy on ${LIVE_SEQUENCES} held-out sequences: ${(100 * base).toFixed(1)} % (chance ${(100 / vocab.length).toFixed(1)} %).`
        : `Copy accuracy on ${LIVE_SEQUENCES} held-out sequences: ${(100 * now).toFixed(1)} % with the ablation, ${(100 * base).toFixed(1)} % without.`;
      root.dataset.copyAccuracy = String(now);
      return true;
    };
    if (show()) return;
    out.textContent = 'Measuring copy accuracy on held-out sequences…';
    // Yield to the page first so the toggle paints before the measurement runs.
    setTimeout(() => {
      if (mine !== token) return;
      for (const k of [[], a]) if (!accuracyCache.has(keyOf(k))) accuracyCache.set(keyOf(k), evaluate(model, heldOut, k).copyAccuracy);
      if (mine === token) show();
    }, 30);
  };

  const render = () => {
    const { tokens, note } = parseSequence(text.value, model.manifest.maxSeqLen);
    q('[data-out="note"]').textContent = note;
    if (tokens.length === 0) return;
    query.max = String(tokens.length - 1);
    if (Number(query.value) > tokens.length - 1 || root.dataset.followEnd !== 'false') query.value = String(tokens.length - 1);
    const i = Number(query.value);
    q('[data-show="query"]').textContent = String(i);
    const a = ablated();
    view = computeView(model, tokens, a);
    root.dataset.forwardMs = view.ms.toFixed(2);
    q('[data-out="strip"]').innerHTML = renderStrip(view, vocab, i);
    q('[data-out="summary"]').textContent = renderSummary(view, a.length);
    q('[data-out="query"]').innerHTML = renderQuery(view, vocab, i);
    const T = tokens.length;
    for (let l = 0; l < layers; l++) {
      for (let h = 0; h < heads; h++) {
        const fig = q(`[data-map="${l}.${h}"]`);
        drawMap(fig.querySelector('canvas')!, view.maps[l][h], T, i, color());
        fig.classList.toggle('is-ablated', a.some((x) => x.layer === l && x.head === h));
        const e = view.entropy[l][h];
        fig.dataset.entropy = String(e);
        fig.querySelector('[data-out="entropy"]')!.textContent = `entropy ${e.toFixed(2)} nats (max ln ${T} = ${Math.log(T).toFixed(2)})`;
        fig.querySelector('canvas')!.setAttribute('aria-label', `Attention weights of layer ${l} head ${h} over ${T} positions; the outlined row is query ${i}.`);
        q<HTMLElement>(`[data-entropy-bar="${l}.${h}"]`).style.width = `${((100 * e) / Math.log(Math.max(2, T))).toFixed(1)}%`;
      }
    }
    measure(a);
  };

  preset.addEventListener('change', () => {
    const p = live.find((x) => x.id === preset.value);
    if (p) text.value = p.text;
    root.dataset.followEnd = 'true';
    render();
  });
  text.addEventListener('input', () => {
    preset.value = 'custom';
    render();
  });
  query.addEventListener('input', () => {
    root.dataset.followEnd = 'false';
    render();
  });
  root.querySelectorAll('[data-ablate]').forEach((c) => c.addEventListener('change', render));
  status.textContent = `Model loaded: ${layers} layers × ${heads} heads, d_model ${model.manifest.dModel}, ${model.manifest.params.toLocaleString('en')} parameters.`;
  root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select').forEach((c) => (c.disabled = false));
  render();
  root.dataset.ready = 'true';
}
