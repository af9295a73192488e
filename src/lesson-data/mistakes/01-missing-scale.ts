// Mistake 1: forgetting the 1/√d_k scale.
import { attention2d, matmul, softmax, transpose } from '../../engine';
import { maxAbsDiff, randn, rngFor, type Attend } from './shared';

// #region bug
export const attendBug: Attend = (Q, K, V) => {
  const scores = matmul(Q, transpose(K)); // QKᵀ, never divided by √d_k
  const weights = scores.map((row) => softmax(row));
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region fix
export const attendFix: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length); // 1/√d_k
  const scores = matmul(Q, transpose(K)).map((row) => row.map((s) => s * scale));
  const weights = scores.map((row) => softmax(row));
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region test
/** Wide heads (d_k = 256) must give the reference engine's weights. */
export function passes(attend: Attend, seed: number): boolean {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 4, 256), randn(rng, 8, 256), randn(rng, 8, 2)];
  return maxAbsDiff(attend(Q, K, V).weights, attention2d(Q, K, V).weights) < 1e-9;
}
// #endregion

/** Symptom: the mean largest weight per row at d_k = 256 (16 rows, 16 keys). */
export function symptom(attend: Attend, seed: number): number {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 16, 256), randn(rng, 16, 256), randn(rng, 16, 2)];
  const w = attend(Q, K, V).weights;
  return w.reduce((acc, row) => acc + Math.max(...row), 0) / w.length;
}
