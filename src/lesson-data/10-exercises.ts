// Build-time numbers for lesson 10: the answers of the three practice problems, computed by the engine.
import { attention2d, causalMask, createRng, maskToBias, toNested } from '../engine/index';

const rng = createRng(10);
const random = (rows: number, cols: number) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
const shape = (m: number[][]) => [m.length, m[0].length];

/** Easy: one head, no batch, Q (5×16), K (7×16), V (7×32). */
const Q = random(5, 16);
const K = random(7, 16);
const V = random(7, 32);
const r = attention2d(Q, K, V);
export const easy = {
  q: shape(Q),
  k: shape(K),
  v: shape(V),
  scores: shape(r.scores),
  weights: shape(r.weights),
  output: shape(r.output),
  /** Every row of A sums to one: softmax ran over the key axis. */
  rowSums: r.weights.map((row) => row.reduce((a, b) => a + b, 0)),
};

/** Medium: the causal mask for L = 4 as an additive 0/−∞ matrix, and the keys query 2 may see. */
const L = 4;
export const medium = {
  L,
  query: 2,
  bias: toNested(maskToBias(causalMask(L, L))) as number[][],
  allowed: (toNested(causalMask(L, L)) as number[][])[2].flatMap((keep, j) => (keep ? [j] : [])),
};

/** Hard: cross-attention scores (B×h×T_tgt×T_src) with B = 1, h = 1. */
export const hard = { tgt: 6, src: 10 };
