// Batch grading throughput: N synthetic submissions × every exercise, graded by the instructor pipeline
// (QuickJS sandbox in worker threads, one per core) into all four report formats.
// INSTRUCTOR_BENCH_N overrides N (default 1000). Each learner's code is made unique (a comment with the
// learner's number), so identical-code de-duplication never helps and every exercise is really graded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeBatch } from '../instructor/batch';
import { writeReports } from '../instructor/report/write';
import { exerciseFiles, submission, type Work } from '../tests/instructor/corpus';
import type { BenchRow } from './lib';

/** A deterministic class: per exercise 60 % solutions, 30 % known mistakes, 10 % untouched starters. */
function makeClass(n: number, dir: string): void {
  const ex = exerciseFiles();
  for (let i = 0; i < n; i++) {
    const work: Record<string, Work> = {};
    for (const [k, e] of ex.entries()) {
      const r = (i * 7919 + k * 104729) % 100;
      const mistakes = Object.values(e.mistakes);
      const base = r < 60 || !mistakes.length ? e.solution : r < 90 ? mistakes[(i + k) % mistakes.length] : e.starter;
      work[e.id] = { code: `// learner ${i}\n${base}`, c: r % 3 ? e.correctC : e.wrongC, freeText: `answer ${i}` };
    }
    writeFileSync(join(dir, `learner-${String(i).padStart(4, '0')}.json`), JSON.stringify(submission(`learner ${i}`, work)));
  }
}

export default async function instructorBench(): Promise<BenchRow[]> {
  const n = Number(process.env.INSTRUCTOR_BENCH_N ?? 1000);
  const exercises = exerciseFiles().length;
  const dir = mkdtempSync(join(tmpdir(), 'instructor-bench-'));
  try {
    const inDir = join(dir, 'class');
    mkdirSync(inDir);
    makeClass(n, inDir);
    const t0 = performance.now();
    const { report } = await gradeBatch({ inputs: [inDir], seed: 1, secretSeed: false, callTimeoutMs: 2000 });
    const tGrade = performance.now() - t0;
    writeReports(join(dir, 'out'), report);
    const total = (performance.now() - t0) / 1000;
    const jobs = availableParallelism();
    return [
      { area: 'instructor', metric: `batch grade ${n} submissions × ${exercises} exercises`, value: `${total.toFixed(1)} s`, note: `target < 60 s; ${jobs} workers; reports written in ${(total - tGrade / 1000).toFixed(1)} s` },
      { area: 'instructor', metric: 'batch throughput', value: `${(n / total).toFixed(1)} submissions/s`, note: `${((n * exercises) / total).toFixed(0)} exercise gradings/s, QuickJS sandbox` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
