// Mistake 9: calling FlashAttention approximate. Tiling is exact only with the online-softmax rescale;
// a "block-local" softmax is what an approximation would look like.
import { attention2d } from '../../engine';
import { maxAbsDiff, randn, rngFor } from './shared';

/** Attention of one query row over K, V processed in key blocks of `block` rows. */
export type Tiled = (q: number[], K: number[][], V: number[][], block: number) => number[];

const dot = (a: number[], b: number[]) => a.reduce((acc, x, i) => acc + x * b[i], 0);

// #region bug
export const tiledBug: Tiled = (q, K, V, block) => {
  const scale = 1 / Math.sqrt(q.length);
  const parts: number[][] = [];
  for (let start = 0; start < K.length; start += block) {
    const s = K.slice(start, start + block).map((k) => dot(q, k) * scale);
    const e = s.map((x) => Math.exp(x - Math.max(...s)));
    const z = e.reduce((a, b) => a + b, 0);
    parts.push(V[0].map((_, c) => e.reduce((acc, ej, j) => acc + (ej / z) * V[start + j][c], 0)));
  }
  return V[0].map((_, c) => parts.reduce((acc, p) => acc + p[c], 0) / parts.length); // average of block softmaxes
};
// #endregion

// #region fix
export const tiledFix: Tiled = (q, K, V, block) => {
  const scale = 1 / Math.sqrt(q.length);
  let m = -Infinity; // running max
  let l = 0; // running normaliser
  let o = V[0].map(() => 0); // running unnormalised output
  for (let start = 0; start < K.length; start += block) {
    const s = K.slice(start, start + block).map((k) => dot(q, k) * scale);
    const mNew = Math.max(m, ...s);
    const rescale = Math.exp(m - mNew); // what was summed under the old max shrinks
    const p = s.map((x) => Math.exp(x - mNew));
    l = l * rescale + p.reduce((a, b) => a + b, 0);
    o = o.map((x, c) => x * rescale + p.reduce((acc, pj, j) => acc + pj * V[start + j][c], 0));
    m = mNew;
  }
  return o.map((x) => x / l);
};
// #endregion

function inputs(seed: number) {
  const rng = rngFor(seed);
  return { Q: randn(rng, 4, 8), K: randn(rng, 12, 8), V: randn(rng, 12, 3) };
}

// #region test
/** Tiled attention must equal the naive reference to rounding error, not to "about 1%". */
export function passes(tiled: Tiled, seed: number): boolean {
  const { Q, K, V } = inputs(seed);
  const out = Q.map((q) => tiled(q, K, V, 4));
  return maxAbsDiff(out, attention2d(Q, K, V).output) < 1e-12;
}
// #endregion

/** Symptom: the largest difference from the naive reference. */
export function symptom(tiled: Tiled, seed: number): number {
  const { Q, K, V } = inputs(seed);
  return maxAbsDiff(Q.map((q) => tiled(q, K, V, 4)), attention2d(Q, K, V).output);
}
