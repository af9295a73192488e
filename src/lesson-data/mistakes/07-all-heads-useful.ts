// Mistake 7: assuming every head contributes to the output.
import { multiHeadAttention, randomTensor, type Tensor } from '../../engine';
import { rngFor } from './shared';

/** A multi-head layer's weights (see multiHeadAttention). */
export interface Layer {
  wq: Tensor;
  wk: Tensor;
  wv: Tensor;
  wo: Tensor;
  heads: number;
}
/** Returns the heads worth keeping. */
export type UsefulHeads = (layer: Layer, x: Tensor) => number[];

/** Largest |a − b| between two tensors of the same shape. */
function maxDiff(a: Tensor, b: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

// #region bug
export const usefulBug: UsefulHeads = (layer) => {
  return Array.from({ length: layer.heads }, (_, h) => h); // every head is assumed to matter
};
// #endregion

// #region fix
/** How much the layer output moves when head h is zeroed before W_O. */
export function headEffect(layer: Layer, x: Tensor, h: number): number {
  const full = multiHeadAttention({ ...layer, x }).output;
  return maxDiff(full, multiHeadAttention({ ...layer, x, ablateHeads: [h] }).output);
}

export const usefulFix: UsefulHeads = (layer, x) => {
  return Array.from({ length: layer.heads }, (_, h) => h).filter((h) => headEffect(layer, x, h) > 1e-9);
};
// #endregion

/** A random 4-head layer (d_model 8, d_h 2) in which one head's value projection is all zeros. */
export function layerWithDeadHead(seed: number): { layer: Layer; x: Tensor; dead: number } {
  const rng = rngFor(seed);
  const [dModel, heads] = [8, 4];
  const dead = rng.int(0, heads);
  const wv = randomTensor(rng, [dModel, dModel]);
  const dh = dModel / heads;
  for (let r = 0; r < dModel; r++) wv.data.fill(0, r * dModel + dead * dh, r * dModel + (dead + 1) * dh);
  const layer = {
    wq: randomTensor(rng, [dModel, dModel]),
    wk: randomTensor(rng, [dModel, dModel]),
    wv,
    wo: randomTensor(rng, [dModel, dModel]),
    heads,
  };
  return { layer, x: randomTensor(rng, [1, 5, dModel]), dead };
}

// #region test
/** Every head reported useful must change the output when it is ablated. */
export function passes(useful: UsefulHeads, seed: number): boolean {
  const { layer, x } = layerWithDeadHead(seed);
  return useful(layer, x).every((h) => headEffect(layer, x, h) > 1e-9);
}
// #endregion

/** Symptom: how many heads the method keeps (one of the four is dead). */
export function symptom(useful: UsefulHeads, seed: number): number {
  const { layer, x } = layerWithDeadHead(seed);
  return useful(layer, x).length;
}
