// Diagnostics demo: heatmaps per head, entropy dashboard, head ablation and the perturbation test,
// all computed with the engine (shared by the build-time render and the client island).
import { createRng, headEntropy, leakageProbe, multiHeadAttention, randomTensor, tensor, type Tensor } from '../../engine';

export const DG = { T: 8, dModel: 16, heads: 4 };
export type MaskKind = 'causal' | 'leaky' | 'none';
export interface DiagState {
  mask: MaskKind;
  temp: number;
  ablate: number[];
  perturbFrom: number;
}
export const DIAG_DEFAULT: DiagState = { mask: 'causal', temp: 1, ablate: [], perturbFrom: 4 };
export const DIAG_TEMPS = [0.25, 0.5, 1, 2, 4, 8];

const rng = createRng(707);
export const diagX = randomTensor(rng, [1, DG.T, DG.dModel]);
const w = (s = 1) => randomTensor(rng, [DG.dModel, DG.dModel], s / Math.sqrt(DG.dModel));
const W = { wq: w(1.5), wk: w(1.5), wv: w(), wo: w() };
/** Off-by-one causal mask: query i also sees key i + 1 (a leak). */
export const leakyMask = tensor([DG.T, DG.T], Array.from({ length: DG.T * DG.T }, (_, n) => (n % DG.T <= Math.floor(n / DG.T) + 1 ? 1 : 0)));

function run(s: DiagState, x: Tensor = diagX, ablate = s.ablate) {
  const dh = DG.dModel / DG.heads;
  return multiHeadAttention({
    x, ...W, heads: DG.heads, scale: s.temp / Math.sqrt(dh), ablateHeads: ablate,
    ...(s.mask === 'causal' ? { causal: true } : s.mask === 'leaky' ? { mask: leakyMask } : {}),
  });
}
const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((t, v) => t + v * v, 0));

export function computeDiag(s: DiagState) {
  const base = run(s, diagX, []);
  const r = run(s);
  const weights = Array.from({ length: DG.heads }, (_, h) =>
    Array.from({ length: DG.T }, (_, i) => Array.from(base.weights.data.subarray((h * DG.T + i) * DG.T, (h * DG.T + i + 1) * DG.T))),
  );
  const entropy = Array.from(headEntropy(base.weights).data);
  const change = norm(r.output.data.map((v, n) => v - base.output.data[n])) / norm(base.output.data);
  const p = s.perturbFrom;
  const probe = leakageProbe((x) => run(s, x.x).output, { x: diagX }, {
    perturb: { x: Array.from({ length: DG.T - p }, (_, n) => p + n) },
    observe: Array.from({ length: p }, (_, n) => n),
  });
  return { weights, entropy, change, probe, lnT: Math.log(DG.T) };
}

const f = (x: number, d = 3) => x.toFixed(d);

export function renderDiag(s: DiagState): string {
  const r = computeDiag(s);
  const maps = r.weights
    .map((m, h) => {
      const cells = m.map((row, i) => row.map((w, j) => `<rect x="${j * 10}" y="${i * 10}" width="9.4" height="9.4" style="fill-opacity:${Math.max(0.03, w).toFixed(3)}" class="dg-w${j > i ? ' dg-future' : ''}"><title>head ${h}, query ${i}, key ${j}: ${f(w)}</title></rect>`).join('')).join('');
      const off = s.ablate.includes(h);
      return `<div class="dg-map${off ? ' is-ablated' : ''}" data-head="${h}" data-entropy="${r.entropy[h]}"><svg viewBox="0 0 ${DG.T * 10} ${DG.T * 10}" role="img" aria-label="Attention weights of head ${h}">${cells}</svg><div class="dg-cap">head ${h}${off ? ' (ablated)' : ''}<br>H̄ = ${f(r.entropy[h], 2)}</div></div>`;
    })
    .join('');
  const dash = r.entropy
    .map((e, h) => `<div class="dg-ent"><span class="dg-ent-lab">head ${h}</span><span class="dg-ent-track"><span class="dg-ent-bar" style="width:${((100 * e) / r.lnT).toFixed(1)}%"></span></span><span class="dg-ent-val">${f(e, 2)} / ${f(r.lnT, 2)}</span></div>`)
    .join('');
  const maxC = Math.max(...r.probe.maxAbsChange, 1e-12);
  const bars = r.probe.maxAbsChange
    .map((c, i) => `<span class="dg-pbar${i < s.perturbFrom ? ' is-protected' : ''}${r.probe.leaked.includes(i) ? ' is-leak' : ''}" style="height:${Math.max(c > 0 ? 4 : 0, (100 * c) / maxC).toFixed(1)}%" title="position ${i}: ${c.toExponential(2)}"></span>`)
    .join('');
  const verdict = r.probe.ok
    ? `PASS — positions 0–${s.perturbFrom - 1} did not change at all.`
    : `FAIL — leak at position${r.probe.leaked.length > 1 ? 's' : ''} ${r.probe.leaked.join(', ')}.`;
  return `<div class="dg-maps">${maps}</div>
<div class="dg-panels"><div><div class="dg-sub">Entropy dashboard (mean row entropy / ln T)</div>${dash}</div>
<div><div class="dg-sub">Head ablation</div><p class="dg-abl">Relative output change ‖ΔY‖/‖Y‖ with head${s.ablate.length === 1 ? '' : 's'} ${s.ablate.length ? s.ablate.join(', ') : '— (none)'} zeroed: <strong data-ablation-change="${r.change}">${f(r.change, 4)}</strong></p></div>
<div><div class="dg-sub">Perturbation test: randomise tokens ${s.perturbFrom}–${DG.T - 1}, watch every output</div><div class="dg-pbars" aria-hidden="true">${bars}</div><div class="dg-paxis">${r.probe.maxAbsChange.map((_, i) => `<span>${i}</span>`).join('')}</div>
<p class="dg-verdict ${r.probe.ok ? 'is-pass' : 'is-fail'}" data-probe-ok="${r.probe.ok}" data-leaked="${r.probe.leaked.join(',')}" data-changes="${r.probe.maxAbsChange.join(',')}">${verdict}</p></div></div>`;
}
