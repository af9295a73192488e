// A seeded generator so graders and tests produce the same numbers on every platform.
import { sizeOf, type Tensor } from './tensor';

/** A deterministic random source (mulberry32); same seed, same sequence everywhere. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, variance 1), by Box–Muller. */
  normal(): number;
  /** Uniform integer in [lo, hiExclusive). */
  int(lo: number, hiExclusive: number): number;
}

/** Creates a seeded generator; only 32-bit integer arithmetic, so results do not depend on the platform. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32: Math.imul and shifts are exact 32-bit operations in every JS engine.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      // 1 − u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const w = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    },
    int(lo, hiExclusive) {
      return lo + Math.floor(next() * (hiExclusive - lo));
    },
  };
}

/** A tensor of standard-normal values times `scale` (default 1) drawn from `rng`. */
export function randomTensor(rng: Rng, shape: readonly number[], scale = 1): Tensor {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * scale;
  return { shape: [...shape], data };
}
