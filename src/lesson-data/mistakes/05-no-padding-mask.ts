// Mistake 5: no padding mask, so real tokens read the pad positions.
import { attention2d } from '../../engine';
import { maxAbsDiff, randn, rngFor, sum, type Attended } from './shared';

/** Attention over a sequence padded to K.length whose first `length` positions are real. */
export type AttendPadded = (Q: number[][], K: number[][], V: number[][], length: number) => Attended;

// #region bug
export const paddedBug: AttendPadded = (Q, K, V, length) => {
  return attention2d(Q, K, V); // `length` is never used: pad keys take part
};
// #endregion

// #region fix
export const paddedFix: AttendPadded = (Q, K, V, length) => {
  const keep = Q.map(() => K.map((_, j) => (j < length ? 1 : 0))); // 0 hides a pad key
  return attention2d(Q, K, V, { mask: keep });
};
// #endregion

/** A sequence of 3 real tokens padded to 6, plus the same with different pad contents. */
function paddedInputs(seed: number) {
  const rng = rngFor(seed);
  const [T, length] = [6, 3];
  const [Q, K, V] = [randn(rng, T, 4), randn(rng, T, 4), randn(rng, T, 2)];
  const K2 = K.map((row, j) => (j < length ? row : row.map(() => rng.normal())));
  const V2 = V.map((row, j) => (j < length ? row : row.map(() => rng.normal())));
  return { Q, K, V, K2, V2, length };
}

// #region test
/** Changing what sits in the pad positions must not change any real token's output. */
export function passes(attend: AttendPadded, seed: number): boolean {
  const { Q, K, V, K2, V2, length } = paddedInputs(seed);
  const real = (o: number[][]) => o.slice(0, length);
  return maxAbsDiff(real(attend(Q, K, V, length).output), real(attend(Q, K2, V2, length).output)) === 0;
}
// #endregion

/** Symptom: the largest share of weight a real token puts on pad keys. */
export function symptom(attend: AttendPadded, seed: number): number {
  const { Q, K, V, length } = paddedInputs(seed);
  const w = attend(Q, K, V, length).weights.slice(0, length);
  return Math.max(...w.map((row) => sum(row.slice(length))));
}
