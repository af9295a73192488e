// Mistake 2: applying the causal mask after the softmax instead of before it.
import { attention2d, matmul, softmax, transpose } from '../../engine';
import { maxAbsDiff, randn, rngFor, sum, type Attend } from './shared';

// #region bug
export const causalBug: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row, i) =>
    softmax(row.map((s) => s * scale)).map((a, j) => (j > i ? 0 : a)), // masked after softmax
  );
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region fix
export const causalFix: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row, i) =>
    softmax(row.map((s, j) => (j > i ? -Infinity : s * scale))), // −∞ before softmax
  );
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region test
/** Every row sums to 1 and equals the engine's causal attention. */
export function passes(attend: Attend, seed: number): boolean {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 6, 8), randn(rng, 6, 8), randn(rng, 6, 3)];
  const { weights } = attend(Q, K, V);
  const rowsSumToOne = weights.every((row) => Math.abs(sum(row) - 1) < 1e-12);
  return rowsSumToOne && maxAbsDiff(weights, attention2d(Q, K, V, { causal: true }).weights) < 1e-12;
}
// #endregion

/** Symptom: the smallest row sum of the weights (1 when correct). */
export function symptom(attend: Attend, seed: number): number {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 6, 8), randn(rng, 6, 8), randn(rng, 6, 3)];
  return Math.min(...attend(Q, K, V).weights.map(sum));
}
