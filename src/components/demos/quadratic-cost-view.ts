// Quadratic-cost demo: engine runs of naive and tiled attention against T, with memory and time.
import { attention, createRng, flashAttention, randomTensor } from '../../engine';
import { fmtBytes } from '../format';

export const QC_T = [64, 128, 256, 512, 1024];
export const QC_D = 32;
export const QC_BLOCKS = [16, 32, 64];
export const QC_DEFAULT_BLOCK = 32;

export interface QCRow {
  T: number;
  /** Float64 elements of the scores and weights the naive kernel materialises (B·H·T·T each). */
  naiveElements: number;
  /** Float64 scratch elements of the tiled kernel. */
  tiledElements: number;
  naiveMs?: number;
  tiledMs?: number;
  maxDiff?: number;
}

export function inputs(T: number) {
  const rng = createRng(600 + T);
  return [0, 1, 2].map(() => randomTensor(rng, [1, 1, T, QC_D]));
}

/** Memory of both kernels for every T (engine runs; cheap enough for the build). */
export function memoryRows(block: number): QCRow[] {
  return QC_T.map((T) => {
    const [q, k, v] = inputs(T);
    const n = attention(q, k, v, { causal: true });
    const f = flashAttention(q, k, v, { causal: true, blockQ: block, blockK: block });
    return { T, naiveElements: n.scores.data.length + n.weights.data.length, tiledElements: f.scratchElements };
  });
}

/** Times one T: best of `reps` runs of each kernel (performance.now), plus their max difference. */
export function measure(T: number, block: number, reps: number): QCRow {
  const [q, k, v] = inputs(T);
  let naiveMs = Infinity;
  let tiledMs = Infinity;
  let n = attention(q, k, v, { causal: true });
  let f = flashAttention(q, k, v, { causal: true, blockQ: block, blockK: block });
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    n = attention(q, k, v, { causal: true });
    naiveMs = Math.min(naiveMs, performance.now() - t0);
    t0 = performance.now();
    f = flashAttention(q, k, v, { causal: true, blockQ: block, blockK: block });
    tiledMs = Math.min(tiledMs, performance.now() - t0);
  }
  let maxDiff = 0;
  f.output.data.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - n.output.data[i]))));
  return { T, naiveElements: n.scores.data.length + n.weights.data.length, tiledElements: f.scratchElements, naiveMs, tiledMs, maxDiff };
}

const ms = (x?: number) => (x === undefined ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0));

function chart(rows: QCRow[]): string {
  const done = rows.filter((r) => r.naiveMs !== undefined && r.tiledMs !== undefined);
  const W = 320, H = 170, L = 44, B = 26, R = 10, TOP = 10;
  const xs = (T: number) => L + ((Math.log2(T) - Math.log2(QC_T[0])) / (Math.log2(QC_T[QC_T.length - 1]) - Math.log2(QC_T[0]))) * (W - L - R);
  const vals = done.flatMap((r) => [r.naiveMs!, r.tiledMs!]).map((x) => Math.max(x, 0.01));
  const lo = vals.length ? Math.min(...vals) : 0.01;
  const hi = vals.length ? Math.max(...vals) : 1;
  const lg = (x: number) => Math.log10(Math.max(x, 0.01));
  const ys = (x: number) => TOP + (1 - (lg(x) - lg(lo)) / Math.max(1e-9, lg(hi) - lg(lo))) * (H - TOP - B);
  const line = (key: 'naiveMs' | 'tiledMs', cls: string) =>
    done.length ? `<polyline class="${cls}" fill="none" points="${done.map((r) => `${xs(r.T).toFixed(1)},${ys(r[key]!).toFixed(1)}`).join(' ')}"/>${done.map((r) => `<circle class="${cls}" cx="${xs(r.T).toFixed(1)}" cy="${ys(r[key]!).toFixed(1)}" r="3"/>`).join('')}` : '';
  const ticks = QC_T.map((T) => `<text x="${xs(T).toFixed(1)}" y="${H - 8}" text-anchor="middle">${T}</text>`).join('');
  const yl = done.length ? `<text x="${L - 4}" y="${(ys(hi) + 4).toFixed(1)}" text-anchor="end">${ms(hi)}</text><text x="${L - 4}" y="${(ys(lo) + 4).toFixed(1)}" text-anchor="end">${ms(lo)}</text>` : `<text x="${(W / 2).toFixed(0)}" y="${(H / 2).toFixed(0)}" text-anchor="middle">press “Measure”</text>`;
  return `<svg class="qc-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Time in milliseconds against T, log scales, naive and tiled">
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" class="qc-axis"/><line x1="${L}" y1="${TOP}" x2="${L}" y2="${H - B}" class="qc-axis"/>
${ticks}${yl}<text x="4" y="${TOP + 4}" class="qc-unit">ms</text><circle cx="${L + 12}" cy="${TOP + 4}" r="3" class="qc-naive"/><text x="${L + 18}" y="${TOP + 7}">naive</text><circle cx="${L + 58}" cy="${TOP + 4}" r="3" class="qc-tiled"/><text x="${L + 64}" y="${TOP + 7}">tiled</text>${line('naiveMs', 'qc-naive')}${line('tiledMs', 'qc-tiled')}</svg>`;
}

export function renderQC(rows: QCRow[], block: number): string {
  const body = rows
    .map((r, i) => {
      const prev = rows[i - 1];
      const growth = prev && prev.naiveMs && r.naiveMs ? (r.naiveMs / prev.naiveMs).toFixed(1) + '×' : '—';
      return `<tr data-t="${r.T}" data-naive-elements="${r.naiveElements}" data-tiled-elements="${r.tiledElements}"${r.naiveMs !== undefined ? ` data-naive-ms="${r.naiveMs}" data-tiled-ms="${r.tiledMs}" data-max-diff="${r.maxDiff}"` : ''}>
<th scope="row">${r.T}</th><td>${fmtBytes(8 * r.naiveElements)}</td><td>${fmtBytes(8 * r.tiledElements)}</td><td>${ms(r.naiveMs)}</td><td>${ms(r.tiledMs)}</td><td>${growth}</td><td>${r.maxDiff === undefined ? '—' : r.maxDiff.toExponential(0)}</td></tr>`;
    })
    .join('');
  return `<div class="qc-wrap"><div class="qc-scroll"><table class="qc-table"><caption>One head, d = ${QC_D}, causal, float64; tiles ${block}×${block}. Memory = score and weight matrices (naive) vs all scratch (tiled).</caption>
<thead><tr><th scope="col">T</th><th scope="col">naive S + A</th><th scope="col">tiled scratch</th><th scope="col">naive ms</th><th scope="col">tiled ms</th><th scope="col">naive time vs previous T</th><th scope="col">max |diff|</th></tr></thead>
<tbody>${body}</tbody></table></div>${chart(rows)}</div>`;
}
