// Mistake 6: a causal mask with an off-by-one, so each token sees the next one.
import { matmul, softmax, transpose } from '../../engine';
import { maxAbsDiff, randn, rngFor, type Attend } from './shared';

// #region bug
export const causalBug: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row, i) =>
    softmax(row.map((s, j) => (j > i + 1 ? -Infinity : s * scale))), // off by one: j = i + 1 stays visible
  );
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region fix
export const causalFix: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row, i) =>
    softmax(row.map((s, j) => (j > i ? -Infinity : s * scale))), // only j ≤ i
  );
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region test
/** Upper triangle exactly 0, and changing the last token leaves every earlier output unchanged. */
export function passes(attend: Attend, seed: number): boolean {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 5, 4), randn(rng, 5, 4), randn(rng, 5, 2)];
  const { weights, output } = attend(Q, K, V);
  const upperZero = weights.every((row, i) => row.every((a, j) => j <= i || a === 0));
  const K2 = K.map((row, j) => (j === 4 ? row.map((x) => x + 3) : row));
  const V2 = V.map((row, j) => (j === 4 ? row.map((x) => x - 5) : row));
  const earlier = (o: number[][]) => o.slice(0, 4);
  return upperZero && maxAbsDiff(earlier(output), earlier(attend(Q, K2, V2).output)) === 0;
}
// #endregion

/** Symptom: the largest weight any token puts on a future token. */
export function symptom(attend: Attend, seed: number): number {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 5, 4), randn(rng, 5, 4), randn(rng, 5, 2)];
  const w = attend(Q, K, V).weights;
  return Math.max(...w.flatMap((row, i) => row.filter((_, j) => j > i)));
}
