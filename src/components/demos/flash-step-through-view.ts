// FlashAttention step-through: builds the step list from the engine's flashAttention trace and renders
// one step as HTML (shared by the build-time render and the client island).
import { attention, createRng, flashAttention, randomTensor, type FlashStep, type Tensor } from '../../engine';

export interface FlashConfig {
  T: number;
  d: number;
  blockQ: number;
  blockK: number;
  causal: boolean;
}
export const FLASH_DEFAULT: FlashConfig = { T: 10, d: 3, blockQ: 4, blockK: 4, causal: false };
export const FLASH_T = [8, 9, 10, 11, 12];
export const FLASH_D = [2, 3, 4];
export const FLASH_BLOCKS = [2, 3, 4, 5, 6];

/** A step of the visualisation: one engine tile step, a row-block normalisation, or the final summary. */
export type VisStep =
  | { kind: 'tile'; t: FlashStep; last: boolean }
  | { kind: 'normalise'; qBlock: number; rowStart: number; rowEnd: number; l: number[]; o: number[][] }
  | { kind: 'done' };

export interface FlashRun {
  cfg: FlashConfig;
  q: number[][];
  k: number[][];
  v: number[][];
  steps: VisStep[];
  flash: number[][];
  naive: number[][];
  maxDiff: number;
  scratch: number;
}

const rows = (t: Tensor): number[][] => {
  const [, , r, c] = t.shape;
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
};

/** Seeded Q, K, V (1, 1, T, d) and the engine's flash (with trace) and naive results. */
export function runFlash(cfg: FlashConfig): FlashRun {
  const rng = createRng(2022 + 31 * cfg.T + cfg.d);
  const q = randomTensor(rng, [1, 1, cfg.T, cfg.d], 1.3);
  const k = randomTensor(rng, [1, 1, cfg.T, cfg.d], 1.3);
  const v = randomTensor(rng, [1, 1, cfg.T, cfg.d]);
  const f = flashAttention(q, k, v, { blockQ: cfg.blockQ, blockK: cfg.blockK, causal: cfg.causal, trace: true });
  const n = attention(q, k, v, { causal: cfg.causal });
  let maxDiff = 0;
  f.output.data.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - n.output.data[i]))));
  const trace = f.trace ?? [];
  const steps: VisStep[] = [];
  trace.forEach((t, idx) => {
    const next = trace[idx + 1];
    const last = !next || next.qBlock !== t.qBlock;
    steps.push({ kind: 'tile', t, last });
    if (last) {
      const l = t.lAfter;
      steps.push({ kind: 'normalise', qBlock: t.qBlock, rowStart: t.rowStart, rowEnd: t.rowEnd, l, o: rows(f.output).slice(t.rowStart, t.rowEnd) });
    }
  });
  steps.push({ kind: 'done' });
  return { cfg, q: rows(q), k: rows(k), v: rows(v), steps, flash: rows(f.output), naive: rows(n.output), maxDiff, scratch: f.scratchElements };
}

const fx = (x: number, d = 2) => {
  if (x === -Infinity) return '−∞';
  if (x === Infinity) return '∞';
  const s = x.toFixed(d);
  return (/^-0\.?0*$/.test(s) ? s.slice(1) : s).replace('-', '−');
};
/** Diverging colour weight in [−1, 1] as CSS custom property. */
const tint = (x: number, scale: number) => `--c:${Math.max(-1, Math.min(1, x / scale)).toFixed(3)}`;

/** Per-row state (m, ℓ, α, Õ or O) as of step `s`. */
function rowState(run: FlashRun, s: number) {
  const T = run.cfg.T;
  const st = Array.from({ length: T }, () => ({ phase: 'idle' as 'idle' | 'active' | 'done', m: NaN, l: NaN, a: NaN, o: [] as number[], rescaled: false, mBefore: NaN }));
  for (let n = 0; n <= s && n < run.steps.length; n++) {
    const step = run.steps[n];
    if (step.kind === 'tile') {
      const t = step.t;
      for (let i = t.rowStart; i < t.rowEnd; i++) {
        const r = i - t.rowStart;
        st[i] = { phase: 'active', m: t.mAfter[r], l: t.lAfter[r], a: t.rescale[r], o: t.o[r], rescaled: n === s && !t.skipped && t.rescale[r] < 1 && t.mBefore[r] > -Infinity, mBefore: t.mBefore[r] };
      }
    } else if (step.kind === 'normalise') {
      for (let i = step.rowStart; i < step.rowEnd; i++) st[i] = { ...st[i], phase: 'done', o: step.o[i - step.rowStart], rescaled: false };
    } else {
      for (let i = 0; i < T; i++) st[i] = { ...st[i], phase: 'done', o: run.flash[i] };
    }
  }
  return st;
}

/** Which tiles of S have been visited before step s, and the current tile. */
function tileState(run: FlashRun, s: number) {
  const T = run.cfg.T;
  const seen = Array.from({ length: T }, () => new Array<boolean>(T).fill(false));
  let cur: FlashStep | undefined;
  for (let n = 0; n <= s && n < run.steps.length; n++) {
    const step = run.steps[n];
    if (step.kind !== 'tile') continue;
    if (n === s) cur = step.t;
    else for (let i = step.t.rowStart; i < step.t.rowEnd; i++) for (let j = step.t.colStart; j < step.t.colEnd; j++) seen[i][j] = true;
  }
  return { seen, cur };
}

/** Plain-language description of step s (also read by screen readers through aria-live). */
export function describe(run: FlashRun, s: number): string {
  const step = run.steps[s];
  const { blockQ, blockK, T } = run.cfg;
  if (step.kind === 'done') {
    return `Done. Flash output equals naive attention: max |difference| = ${run.maxDiff.toExponential(1)}. The ${T}×${T} score matrix (${T * T} numbers) was never allocated; the largest tile was ${Math.min(blockQ, T)}×${Math.min(blockK, T)}.`;
  }
  if (step.kind === 'normalise') {
    return `Rows ${step.rowStart}–${step.rowEnd - 1} finished: each partial output Õ is divided once by its normaliser ℓ and written out as O.`;
  }
  const t = step.t;
  const head = `Query tile ${t.qBlock} (rows ${t.rowStart}–${t.rowEnd - 1}) × key tile ${t.kBlock} (columns ${t.colStart}–${t.colEnd - 1}): `;
  if (t.skipped) return head + 'the whole tile is above the causal diagonal, so it is skipped without computing any score.';
  const grew = t.mBefore.flatMap((mb, r) => (mb > -Infinity && t.mAfter[r] > mb ? [t.rowStart + r] : []));
  const first = t.mBefore.every((mb) => mb === -Infinity);
  if (first) return head + `first scores of these rows: m is set to each row's tile maximum, ℓ to the sum of exp(s − m), and Õ = P·V.`;
  if (grew.length === 0) return head + 'no row found a larger score, so α = 1 and ℓ and Õ simply accumulate this tile.';
  const r0 = grew[0] - t.rowStart;
  return (
    head +
    `the running max grew in row${grew.length > 1 ? 's' : ''} ${grew.join(', ')}; ` +
    `e.g. row ${grew[0]}: m ${fx(t.mBefore[r0])} → ${fx(t.mAfter[r0])}, so its old ℓ and Õ are multiplied by α = ${fx(t.rescale[r0], 3)} before the tile is added.`
  );
}

/** HTML of the stage (matrices and per-row statistics) at step s. */
export function renderStage(run: FlashRun, s: number): string {
  const { T, d } = run.cfg;
  const step = run.steps[s];
  const rs = rowState(run, s);
  const { seen, cur } = tileState(run, s);
  const inRows = (i: number) => (cur ? i >= cur.rowStart && i < cur.rowEnd : false);
  const inCols = (j: number) => (cur ? j >= cur.colStart && j < cur.colEnd : false);
  const normRows = step.kind === 'normalise' ? [step.rowStart, step.rowEnd] : [-1, -1];
  const blank = (n: number, cls = '') => Array.from({ length: n }, () => `<td class="fs-blank ${cls}"></td>`).join('');
  const head: string[] = [];
  // Kᵀ and Vᵀ rows: columns are keys, aligned with S.
  for (const [name, m] of [['K', run.k], ['V', run.v]] as const) {
    for (let e = 0; e < d; e++) {
      const lab = e === 0 ? `<th scope="row" class="fs-lab" rowspan="${d}">${name}ᵀ</th>` : '';
      head.push(
        `<tr class="fs-kv${name === 'V' && e === 0 ? ' fs-gap' : ''}">${lab}${blank(d)}${m
          .map((row, j) => `<td class="fs-cell fs-in${inCols(j) ? ' is-tile' : ''}" data-${name.toLowerCase()}="${j},${e}" data-value="${row[e]}" style="${tint(row[e], 2)}" title="${name}[${j}][${e}] = ${fx(row[e], 3)}"></td>`)
          .join('')}${blank(3 + d)}</tr>`,
      );
    }
  }
  const colHead = `<tr class="fs-colhead"><th></th>${Array.from({ length: d }, (_, e) => `<th scope="col">q${e}</th>`).join('')}${Array.from({ length: T }, (_, j) => `<th scope="col" class="${inCols(j) ? 'is-tile' : ''}">${j}</th>`).join('')}<th scope="col">m</th><th scope="col">ℓ</th><th scope="col">α</th>${Array.from({ length: d }, (_, e) => `<th scope="col">${e === 0 ? 'Õ / O' : ''}</th>`).join('')}</tr>`;
  const body = Array.from({ length: T }, (_, i) => {
    const r = rs[i];
    const qCells = run.q[i].map((x, e) => `<td class="fs-cell fs-in${inRows(i) ? ' is-tile' : ''}" data-q="${i},${e}" data-value="${x}" style="${tint(x, 2)}" title="Q[${i}][${e}] = ${fx(x, 3)}"></td>`).join('');
    const sCells = Array.from({ length: T }, (_, j) => {
      if (cur && inRows(i) && inCols(j)) {
        const sv = cur.scores[i - cur.rowStart][j - cur.colStart];
        const pv = cur.p[i - cur.rowStart][j - cur.colStart];
        if (cur.skipped || sv === -Infinity) return `<td class="fs-s is-cur is-masked" title="masked">·</td>`;
        return `<td class="fs-s is-cur" style="--p:${pv.toFixed(3)}" title="s = ${fx(sv, 3)}, p = exp(s − m) = ${fx(pv, 3)}">${fx(sv, 1)}</td>`;
      }
      return `<td class="fs-s${seen[i][j] ? ' is-seen' : ''}"></td>`;
    }).join('');
    const stat = (x: number, dd = 2, extra = '') => `<td class="fs-num ${extra}">${Number.isNaN(x) ? '' : fx(x, dd)}</td>`;
    const active = r.phase !== 'idle';
    const oCells = Array.from({ length: d }, (_, e) => {
      if (!active) return '<td class="fs-num fs-o"></td>';
      const x = r.o[e];
      const cls = `fs-num fs-o${r.phase === 'done' ? ' is-done' : ''}${r.rescaled ? ' is-rescaled' : ''}${i >= normRows[0] && i < normRows[1] ? ' is-norm' : ''}`;
      return `<td class="${cls}" data-o="${i},${e}" data-phase="${r.phase}" data-value="${x}">${fx(x, 3)}</td>`;
    }).join('');
    const rowCls = `${inRows(i) ? 'is-active-row' : ''}${r.rescaled ? ' has-rescale' : ''}`;
    return `<tr class="${rowCls}"><th scope="row" class="fs-rowlab">${i}</th>${qCells}${sCells}${stat(active ? r.m : NaN)}${stat(active ? r.l : NaN, 3)}${stat(active && r.phase === 'active' && inRows(i) ? r.a : NaN, 3, r.rescaled ? 'is-rescaled' : '')}${oCells}</tr>`;
  }).join('');
  const done = step.kind === 'done';
  const tileCells = Math.min(run.cfg.blockQ, T) * Math.min(run.cfg.blockK, T);
  const final = done
    ? `<div class="fs-final" data-final data-max-diff="${run.maxDiff}">
<p><strong>Exact:</strong> max |O<sub>flash</sub> − O<sub>naive</sub>| = <span data-diff>${run.maxDiff.toExponential(1)}</span> (the engine's naive <code>attention</code> on the same Q, K, V).</p>
<p><strong>Never allocated:</strong> the ${T}×${T} score matrix, <span data-never>${T * T}</span> numbers. The kernel's largest live piece of S was a ${Math.min(run.cfg.blockQ, T)}×${Math.min(run.cfg.blockK, T)} tile (<span data-tile>${tileCells}</span> numbers); all its scratch (tiles, m, ℓ, α) was <span data-scratch>${run.scratch}</span> numbers.</p></div>`
    : '';
  const caption = 'Q (left), Kᵀ and Vᵀ (top), the score matrix S (centre; only the highlighted tile exists at any moment), and per-row running statistics m, ℓ, α with the partial output Õ (normalised O once a row block is done).';
  // The caption sits outside the scrolling box so it wraps to the page width instead of scrolling away with the grid.
  return `<div class="fs-scroll"><table class="fs-grid" aria-label="${caption}">${head.join('')}${colHead}${body}</table></div><p class="fs-caption" aria-hidden="true">${caption}</p>${final}`;
}
