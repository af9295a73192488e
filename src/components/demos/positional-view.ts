// ALiBi and RoPE demo: engine computations and the HTML of the results (shared by build and client).
import { alibiBias, alibiSlopes, applyRope, attention, createRng, randomTensor, ropeFrequencies, softmax, tensor } from '../../engine';

export const POS_T = 8;
export const ROPE_D = 8;
export interface AlibiState {
  heads: number;
  head: number;
}
export interface RopeState {
  m: number;
  n: number;
  pair: number;
}
export const ALIBI_DEFAULT: AlibiState = { heads: 8, head: 0 };
export const ROPE_DEFAULT: RopeState = { m: 6, n: 2, pair: 0 };

// Fixed content scores for the last query (seeded), so the bias's effect is visible against them.
const rng = createRng(504);
const content = Array.from(randomTensor(rng, [POS_T], 0.5).data);
/** q and k of width ROPE_D for the RoPE part (seeded). */
export const ropeQ = randomTensor(rng, [1, ROPE_D]);
export const ropeK = randomTensor(rng, [1, ROPE_D]);

export function computeAlibi(s: AlibiState) {
  const slopes = alibiSlopes(s.heads);
  const head = Math.min(s.head, s.heads - 1);
  const bias = alibiBias(s.heads, POS_T, POS_T);
  const grid = Array.from({ length: POS_T }, (_, i) =>
    Array.from({ length: POS_T }, (_, j) => (j > i ? -Infinity : bias.data[(head * POS_T + i) * POS_T + j])),
  );
  // Weights of the last query: content scores alone vs content + this head's bias (causal: all keys visible).
  const last = grid[POS_T - 1];
  const q = tensor([1, 1, 1, 1], [1]);
  const k = tensor([1, 1, POS_T, 1], content);
  const v = tensor([1, 1, POS_T, 1], new Float64Array(POS_T));
  const plain = Array.from(attention(q, k, v, { scale: 1 }).weights.data);
  const withBias = Array.from(attention(q, k, v, { scale: 1, bias: tensor([1, 1, 1, POS_T], last) }).weights.data);
  return { slopes, head, grid, content, plain, withBias };
}

export function computeRope(s: RopeState) {
  const theta = ropeFrequencies(ROPE_D);
  const rq = applyRope(ropeQ, [s.m]).data;
  const rk = applyRope(ropeK, [s.n]).data;
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let x = 0;
    for (let i = 0; i < a.length; i++) x += a[i] * b[i];
    return x;
  };
  const score = dot(rq, rk);
  const shift = 10;
  const shifted = dot(applyRope(ropeQ, [s.m + shift]).data, applyRope(ropeK, [s.n + shift]).data);
  const p = s.pair;
  const pairOf = (x: ArrayLike<number>) => [x[2 * p], x[2 * p + 1]] as [number, number];
  // Effect on weights: the query at position m against the same key vector placed at positions 0..T−1.
  const keysAt = Array.from({ length: POS_T }, (_, n) => dot(rq, applyRope(ropeK, [n]).data) / Math.sqrt(ROPE_D));
  const weights = softmax(keysAt);
  return {
    theta: theta[p],
    angleQ: s.m * theta[p],
    angleK: s.n * theta[p],
    q: pairOf(ropeQ.data),
    k: pairOf(ropeK.data),
    rq: pairOf(rq),
    rk: pairOf(rk),
    score,
    shift,
    shifted,
    logits: keysAt,
    weights,
  };
}

const f = (x: number, d = 3) => (x === -Infinity ? '−∞' : x.toFixed(d).replace('-', '−').replace(/^−(0\.0*)$/, '$1'));

export function renderAlibi(s: AlibiState): string {
  const r = computeAlibi(s);
  const minB = Math.min(...r.grid.flat().filter((x) => x > -Infinity));
  const cells = r.grid
    .map(
      (row, i) =>
        `<tr><th scope="row">${i}</th>${row
          .map((x, j) =>
            x === -Infinity
              ? `<td class="pos-masked" data-i="${i}" data-j="${j}" data-value="-Infinity" title="masked (future)">·</td>`
              : `<td data-i="${i}" data-j="${j}" data-value="${x}" style="--w:${minB < 0 ? (x / minB).toFixed(3) : 0}">${f(x, 2)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  const bars = (w: number[], cls: string) =>
    w.map((x, j) => `<span class="pos-bar ${cls}" style="height:${(100 * x).toFixed(1)}%" title="key ${j}: ${f(x)}"></span>`).join('');
  return `<p class="pos-slopes">Slopes for H = ${s.heads}: <span data-slopes="${r.slopes.join(',')}">${r.slopes.map((m, i) => (i === r.head ? `<strong>${f(m, 5)}</strong>` : f(m, 5))).join(', ')}</span></p>
<div class="pos-scroll"><table class="pos-grid" data-head="${r.head}" data-slope="${r.slopes[r.head]}"><caption>Bias −m·(i − j) of head ${r.head} (m = ${f(r.slopes[r.head], 5)}); rows are queries i, columns keys j; future keys are masked.</caption>
<thead><tr><th></th>${Array.from({ length: POS_T }, (_, j) => `<th scope="col">${j}</th>`).join('')}</tr></thead><tbody>${cells}</tbody></table></div>
<div class="pos-weights"><div><div class="pos-sub">Last query, content scores only</div><div class="pos-bars" data-weights="plain" data-values="${r.plain.join(',')}">${bars(r.plain, 'pos-bar--plain')}</div></div>
<div><div class="pos-sub">… plus head ${r.head}'s ALiBi bias</div><div class="pos-bars" data-weights="alibi" data-values="${r.withBias.join(',')}">${bars(r.withBias, 'pos-bar--alibi')}</div></div></div>
<p class="pos-readout">Weight on the most recent key: ${f(r.plain[POS_T - 1])} → <strong data-recent>${f(r.withBias[POS_T - 1])}</strong>; on the oldest key: ${f(r.plain[0])} → <strong data-oldest>${f(r.withBias[0])}</strong>.</p>`;
}

export function renderRope(s: RopeState): string {
  const r = computeRope(s);
  const R = 70;
  const scale = R / Math.max(1e-9, Math.hypot(...r.q), Math.hypot(...r.k));
  // Arrows first; labels are placed just beyond each tip along its direction, then pushed apart vertically where two
  // would overlap (q and R_m q often point the same way).
  const vecs: [[number, number], string, string][] = [[r.q, 'pos-q0', 'q'], [r.k, 'pos-k0', 'k'], [r.rq, 'pos-q', 'R_m q'], [r.rk, 'pos-k', 'R_n k']];
  const tips = vecs.map(([v]) => [90 + v[0] * scale, 90 - v[1] * scale] as const);
  const labels = vecs.map(([v, cls, text], n) => {
    const len = Math.hypot(v[0], v[1]) || 1;
    const [x, y] = tips[n];
    return { cls, text, x: x + (v[0] / len) * 8, y: y - (v[1] / len) * 8 + 4, anchor: v[0] >= 0 ? 'start' : 'end' };
  });
  const byY = [...labels].sort((a, b) => a.y - b.y);
  for (let n = 1; n < byY.length; n++) {
    for (let m = 0; m < n; m++) {
      const a = byY[m];
      const b = byY[n];
      if (a.anchor === b.anchor && Math.abs(a.x - b.x) < 36 && b.y - a.y < 12) b.y = a.y + 12;
    }
  }
  const arrows = vecs
    .map(([, cls], n) => `<line x1="90" y1="90" x2="${tips[n][0].toFixed(1)}" y2="${tips[n][1].toFixed(1)}" class="${cls}" marker-end="url(#pos-arrow)"/>`)
    .join('');
  const texts = labels
    .map((l) => `<text x="${l.x.toFixed(1)}" y="${Math.min(176, Math.max(10, l.y)).toFixed(1)}" class="${l.cls}-t" text-anchor="${l.anchor}">${l.text}</text>`)
    .join('');
  const svg = `<svg viewBox="-20 0 220 180" role="img" aria-label="Pair ${s.pair} of q rotated by ${f(r.angleQ)} rad and of k rotated by ${f(r.angleK)} rad" class="pos-svg">
<defs><marker id="pos-arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="currentColor"/></marker></defs>
<circle cx="90" cy="90" r="${R}" class="pos-circle"/><line x1="10" y1="90" x2="170" y2="90" class="pos-axis"/><line x1="90" y1="10" x2="90" y2="170" class="pos-axis"/>
${arrows}${texts}</svg>`;
  const bars = r.weights
    .map((x, j) => `<span class="pos-bar pos-bar--rope${j === s.n ? ' is-key' : ''}" style="height:${(100 * x).toFixed(1)}%" title="key at position ${j}: ${f(x)}"></span>`)
    .join('');
  return `<div class="pos-rope">${svg}<div class="pos-rope-text">
<p>Pair ${s.pair}: θ = ${f(r.theta, 5)}; q turns by m·θ = <span data-angle-q>${f(r.angleQ)}</span> rad, k by n·θ = <span data-angle-k>${f(r.angleK)}</span> rad.</p>
<p>Score (R_m q)·(R_n k) over all ${ROPE_D} coordinates at offset m − n = ${s.m - s.n}: <strong data-score="${r.score}">${f(r.score, 6)}</strong></p>
<p>Both positions shifted by ${r.shift}: <strong data-shifted="${r.shifted}">${f(r.shifted, 6)}</strong> (unchanged).</p>
</div></div>
<div class="pos-sub">Weights of the query at position m = ${s.m} over the same key placed at positions 0–${POS_T - 1} (the marked bar is n):</div>
<div class="pos-bars" data-weights="rope" data-values="${r.weights.join(',')}">${bars}</div>`;
}
