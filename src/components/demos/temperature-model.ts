// The temperature demo's computation, shared by the build-time render and the client (numbers from the engine).
import { rowEntropy, softmax, tensor } from '../../engine';
import { sampleDotStats, type DotStats } from './temperature-sampling';

/** The fixed row of scores whose temperature the slider changes. */
export const TEMP_SCORES = [2, 1, 0.5, -1];
/** Samples and seed of the q·k variance estimate. */
export const DOT_SAMPLES = 2000;
export const DOT_SEED = 3;

export function temperatureRow(scores: readonly number[], tau: number): { weights: number[]; entropy: number; maxEntropy: number } {
  const weights = softmax(scores.map((s) => s / tau));
  const entropy = rowEntropy(tensor([weights.length], weights)).data[0];
  return { weights, entropy, maxEntropy: Math.log(weights.length) };
}

export function dotVariance(dk: number): DotStats {
  return sampleDotStats(dk, DOT_SAMPLES, DOT_SEED);
}
