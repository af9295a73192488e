// Median time to grade each exercise's reference solution (every case, in-process, in Node).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { graders } from '../graders/index';
import { grade, inProcessHost } from '../graders/lib/index';
import { loadLearner } from '../graders/lib/learner-module';
import { median, timeRuns, type BenchRow } from './lib.ts';

const RUNS = 30;

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Integer-like keys ("10") come first in object order; sort so rows read 01…10.
  for (const [id, g] of Object.entries(graders).sort(([a], [b]) => a.localeCompare(b))) {
    const path = fileURLToPath(new URL(`../exercises/${g.meta.slug}/solution.ts`, import.meta.url));
    const host = inProcessHost(loadLearner(readFileSync(path, 'utf8'), 'solution.ts'));
    const correct = g.meta.concept.choices.find((c) => c.correct)!.id;
    let tests = 0;
    let seed = 1;
    const times = await timeRuns(async () => {
      const r = await grade(g, host, { seed: seed++, answers: { c: correct } });
      if (!r.allPassed) throw new Error(`exercise ${id}: the solution does not pass`);
      tests = r.tests.length;
    }, RUNS, 3);
    rows.push({ area: 'graders', metric: `grade ${id} solution (all cases) median`, value: `${median(times).toFixed(2)} ms`, note: `${tests} tests, ${RUNS} seeds, in-process` });
  }
  return rows;
}
