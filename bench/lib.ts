/** One line of the benchmark table printed by `npm run bench`. */
export interface BenchRow {
  /** Which part of the course the row measures, e.g. "engine" or "site". */
  area: string;
  /** What was measured, e.g. "flash T=1024 D=64 median". */
  metric: string;
  /** The measured value with its unit, e.g. "12.3 ms". */
  value: string;
  /** Context: ratio, target, sample count. */
  note?: string;
}

/** A bench module: default-exports a function that measures and returns its rows. */
export type BenchModule = { default: () => Promise<BenchRow[]> | BenchRow[] };

/** Median of a non-empty list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns each run's milliseconds. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}
