// Mistake 10: a softmax without the max subtraction overflows on large logits.
import { attention2d, matmul, transpose } from '../../engine';
import { maxAbsDiff, randn, rngFor, type Attend } from './shared';

// #region bug
function softmaxBug(row: number[]): number[] {
  const e = row.map((x) => Math.exp(x)); // exp(1000) = Infinity
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z); // Infinity / Infinity = NaN
}
export const attendBug: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row) => softmaxBug(row.map((s) => s * scale)));
  return { weights, output: matmul(weights, V) };
};
// #endregion

// #region fix
function softmaxFix(row: number[]): number[] {
  const m = Math.max(...row); // the largest logit becomes exp(0) = 1
  const e = row.map((x) => Math.exp(x - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}
export const attendFix: Attend = (Q, K, V) => {
  const scale = 1 / Math.sqrt(Q[0].length);
  const weights = matmul(Q, transpose(K)).map((row) => softmaxFix(row.map((s) => s * scale)));
  return { weights, output: matmul(weights, V) };
};
// #endregion

/** Inputs whose scaled logits reach the order of 1e3 (q and k entries of size ~30, d_k = 4). */
function hotInputs(seed: number) {
  const rng = rngFor(seed);
  return { Q: randn(rng, 8, 4, 30), K: randn(rng, 8, 4, 30), V: randn(rng, 8, 2) };
}

// #region test
/** At logits of order 1e3 every output must be finite and equal the engine's. */
export function passes(attend: Attend, seed: number): boolean {
  const { Q, K, V } = hotInputs(seed);
  const { output } = attend(Q, K, V);
  return output.flat().every(Number.isFinite) && maxAbsDiff(output, attention2d(Q, K, V).output) < 1e-9;
}
// #endregion

/** Symptom: how many of the 8 output rows contain NaN. */
export function symptom(attend: Attend, seed: number): number {
  const { Q, K, V } = hotInputs(seed);
  return attend(Q, K, V).output.filter((row) => row.some(Number.isNaN)).length;
}

/** The largest scaled logit in the inputs, for the page. */
export function largestLogit(seed: number): number {
  const { Q, K } = hotInputs(seed);
  const scale = 1 / Math.sqrt(Q[0].length);
  return Math.max(...matmul(Q, transpose(K)).flat().map((s) => s * scale));
}
