// Mistake 4: reading an attention map as an explanation of the output.
import { attention2d } from '../../engine';
import { argmax, maxAbsDiff, randn, rngFor } from './shared';

/** Names the key that matters most for query i. */
export type Explain = (Q: number[][], K: number[][], V: number[][], i: number) => number;

// #region bug
export const explainBug: Explain = (Q, K, V, i) => {
  const weights = attention2d(Q, K, V).weights[i];
  return argmax(weights); // "the model looked here, so this is why"
};
// #endregion

// #region fix
/** How much query i's output moves when key j is hidden from it (a one-key ablation). */
export function ablationEffect(Q: number[][], K: number[][], V: number[][], i: number, j: number): number {
  const base = attention2d([Q[i]], K, V).output;
  const hideJ = [K.map((_, l) => (l === j ? 0 : 1))]; // keep-mask without key j
  return maxAbsDiff(base, attention2d([Q[i]], K, V, { mask: hideJ }).output);
}

export const explainFix: Explain = (Q, K, V, i) => {
  const effects = K.map((_, j) => ablationEffect(Q, K, V, i, j));
  return argmax(effects); // the key whose removal changes the output most
};
// #endregion

/**
 * Inputs where the most-attended key is redundant: its value equals the mix the other keys already
 * supply to the last query, so hiding it changes nothing.
 */
export function redundantInputs(seed: number): { Q: number[][]; K: number[][]; V: number[][]; i: number } {
  const rng = rngFor(seed);
  const [Q, K, V] = [randn(rng, 3, 4), randn(rng, 6, 4), randn(rng, 6, 3)];
  const i = Q.length - 1;
  const w = attention2d(Q, K, V).weights[i];
  const top = argmax(w);
  V[top] = V[0].map((_, e) => V.reduce((acc, v, j) => (j === top ? acc : acc + w[j] * v[e]), 0) / (1 - w[top]));
  return { Q, K, V, i };
}

// #region test
/** The key an explainer names must be the one whose ablation changes the output most. */
export function passes(explain: Explain, seed: number): boolean {
  const { Q, K, V, i } = redundantInputs(seed);
  const effects = K.map((_, j) => ablationEffect(Q, K, V, i, j));
  return effects[explain(Q, K, V, i)] >= Math.max(...effects) - 1e-12;
}
// #endregion

/** Symptom: the ablation effect of the key the explainer names (near 0 = it named a key that does not matter). */
export function symptom(explain: Explain, seed: number): number {
  const { Q, K, V, i } = redundantInputs(seed);
  return ablationEffect(Q, K, V, i, explain(Q, K, V, i));
}

/** The attention weight of the key the explainer names. */
export function namedWeight(explain: Explain, seed: number): number {
  const { Q, K, V, i } = redundantInputs(seed);
  return attention2d(Q, K, V).weights[i][explain(Q, K, V, i)];
}
