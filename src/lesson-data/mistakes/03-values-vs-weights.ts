// Mistake 3: confusing the weights with the values (passing the weights on as the layer's output).
import { attention2d, matmul, softmax, transpose } from '../../engine';
import { maxAbsDiff, randn, rngFor, type Attend } from './shared';

// #region bug
export const layerBug: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row) => softmax(row.map((s) => s * scale)));
  return { weights, output: weights }; // the mixing shares, handed on as if they were the payload
};
// #endregion

// #region fix
export const layerFix: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row) => softmax(row.map((s) => s * scale)));
  return { weights, output: matmul(weights, V) }; // O = AV: the weights mix the values
};
// #endregion

// #region test
/** With T_k = d_v the shapes agree either way, so test behaviour: new values must change the output. */
export function passes(attend: Attend, seed: number): boolean {
  const rng = rngFor(seed);
  const [Q, K, V, V2] = [randn(rng, 4, 8), randn(rng, 4, 8), randn(rng, 4, 4), randn(rng, 4, 4)];
  const out = attend(Q, K, V).output;
  const moved = maxAbsDiff(out, attend(Q, K, V2).output) > 0;
  return moved && maxAbsDiff(out, attention2d(Q, K, V).output) < 1e-12;
}
// #endregion

/** Symptom: how far the output moves when every value vector is replaced (0 means V is ignored). */
export function symptom(attend: Attend, seed: number): number {
  const rng = rngFor(seed);
  const [Q, K, V, V2] = [randn(rng, 4, 8), randn(rng, 4, 8), randn(rng, 4, 4), randn(rng, 4, 4)];
  return maxAbsDiff(attend(Q, K, V).output, attend(Q, K, V2).output);
}
