// Helpers shared by the ten mistake modules and the MistakeLab: seeded inputs and comparisons.
import { createRng, type Rng } from '../../engine';

/** Output of a one-head attention implementation on number[][] inputs. */
export interface Attended {
  weights: number[][];
  output: number[][];
}
/** A one-head attention implementation: Q (Tq×d_k), K (Tk×d_k), V (Tk×d_v). */
export type Attend = (Q: number[][], K: number[][], V: number[][]) => Attended;

/** A rows×cols matrix of standard normals times `scale`. */
export function randn(rng: Rng, rows: number, cols: number, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal() * scale));
}

/** The largest |a − b| over two equally shaped matrices (∞ when shapes differ, NaN-aware). */
export function maxAbsDiff(a: number[][], b: number[][]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return Infinity;
    for (let j = 0; j < a[i].length; j++) {
      const d = Math.abs(a[i][j] - b[i][j]);
      if (Number.isNaN(d)) return NaN;
      m = Math.max(m, d);
    }
  }
  return m;
}

/** Index of the largest entry. */
export function argmax(xs: number[]): number {
  return xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
}

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** A fresh generator for a lab seed; the test of a mistake uses `seed + 1` so it sees other inputs. */
export function rngFor(seed: number): Rng {
  return createRng(seed);
}
