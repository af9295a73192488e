// Sampling behind the √d_k part of the temperature demo (shared by the build-time render and the client).
import { createRng } from '../../engine';

/** Sample statistics of q·k for q, k with i.i.d. standard-normal entries. */
export interface DotStats {
  dk: number;
  samples: number;
  /** Sample variance of q·k (theory: d_k). */
  varUnscaled: number;
  /** Sample variance of q·k/√d_k (theory: 1). */
  varScaled: number;
}

/**
 * Draws `samples` pairs (q, k) of length `dk` from the engine's seeded generator — for each pair,
 * q's dk normals first, then k's — and returns the variance of q·k with and without the 1/√d_k scale.
 */
export function sampleDotStats(dk: number, samples: number, seed: number): DotStats {
  const rng = createRng(seed);
  const dots = new Float64Array(samples);
  const q = new Float64Array(dk);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < dk; i++) q[i] = rng.normal();
    let dot = 0;
    for (let i = 0; i < dk; i++) dot += q[i] * rng.normal();
    dots[s] = dot;
  }
  let mean = 0;
  for (const x of dots) mean += x;
  mean /= samples;
  let v = 0;
  for (const x of dots) v += (x - mean) ** 2;
  v /= samples - 1;
  return { dk, samples, varUnscaled: v, varScaled: v / dk };
}
