// Helpers for building case inputs from a seeded generator: readable numbers, shapes in words.
import type { Rng } from '../../src/engine/index';

/** Rounds to `decimals` places so inputs stay readable in the learner's report. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f || 0; // `|| 0` turns −0 into 0
}

/** A rows×cols matrix of normal(0, scale²) numbers rounded to `decimals` places (default 2). */
export function randomMatrix(rng: Rng, rows: number, cols: number, scale = 1, decimals = 2): number[][] {
  // Plain loops: half the time of nested Array.from for the small matrices of every random case, same numbers.
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) row.push(roundTo(rng.normal() * scale, decimals));
    out.push(row);
  }
  return out;
}

/** A uniform integer in [lo, hi] (inclusive), the usual way to pick a dimension. */
export function dim(rng: Rng, lo: number, hi: number): number {
  return rng.int(lo, hi + 1);
}

/** "1 query", "3 queries": a count with its noun, for case sentences. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
