// Median time to grade each exercise's reference solution (every case, in-process, in Node).
// GRADERS_BASELINE=<folder of another checkout> (opt-in): loads that checkout's graders and solutions too and
// alternates the two versions exercise by exercise, round by round, on the same seeds, so both see the same machine
// load; each row then gives both medians and their ratio (issue 13: no more than 1.20 × the baseline).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, timeRuns, type BenchRow } from './lib.ts';

const RUNS = 30;
/** Rounds of the A/B mode (each round grades every exercise once per version). */
const AB_ROUNDS = Number(process.env.GRADERS_ROUNDS ?? 300);

/** What a bench needs of one checkout's grading library. */
interface Version {
  graders: Record<string, { meta: { slug: string; concept: { choices: { id: string; correct: boolean }[] } } }>;
  grade: (g: never, host: never, o: { seed: number; answers: { c: string } }) => Promise<{ allPassed: boolean; tests: unknown[] }>;
  inProcessHost: (mod: never) => unknown;
  loadLearner: (source: string, fileName: string) => unknown;
  root: string;
}

async function loadVersion(root: string): Promise<Version> {
  const url = (p: string) => pathToFileURL(join(root, p)).href;
  const { graders } = (await import(url('graders/index.ts'))) as Pick<Version, 'graders'>;
  const { grade, inProcessHost } = (await import(url('graders/lib/index.ts'))) as Pick<Version, 'grade' | 'inProcessHost'>;
  const { loadLearner } = (await import(url('graders/lib/learner-module.ts'))) as Pick<Version, 'loadLearner'>;
  return { graders, grade, inProcessHost, loadLearner, root };
}

/** One exercise of one version, ready to grade its solution on any seed. */
interface Bound {
  id: string;
  run: (seed: number) => Promise<number>;
}

function bind(v: Version): Bound[] {
  // Integer-like keys ("10") come first in object order; sort so rows read 01…10.
  return Object.entries(v.graders).sort(([a], [b]) => a.localeCompare(b)).map(([id, g]) => {
    const path = join(v.root, 'exercises', g.meta.slug, 'solution.ts');
    const host = v.inProcessHost(v.loadLearner(readFileSync(path, 'utf8'), 'solution.ts') as never);
    const correct = g.meta.concept.choices.find((c) => c.correct)!.id;
    return {
      id,
      async run(seed) {
        const r = await v.grade(g as never, host as never, { seed, answers: { c: correct } });
        if (!r.allPassed) throw new Error(`exercise ${id} (${v.root}): the solution does not pass`);
        return r.tests.length;
      },
    };
  });
}

/** The baseline's graders; its imports (zod …) resolve from its own folder, e.g. through a node_modules link. */
async function loadBaseline(baseRoot: string, hereRoot: string): Promise<Version> {
  try {
    return await loadVersion(baseRoot);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    const hint = `link this checkout's packages: ln -sfn ${join(hereRoot, 'node_modules')} ${join(baseRoot, 'node_modules')}`;
    throw new Error(`GRADERS_BASELINE=${baseRoot}: ${(e as Error).message} (is its node_modules missing or a broken link? ${hint})`);
  }
}

async function abRows(baseRoot: string): Promise<BenchRow[]> {
  if (!existsSync(join(baseRoot, 'graders/index.ts'))) throw new Error(`GRADERS_BASELINE=${baseRoot}: no graders/index.ts there`);
  const hereRoot = resolve(import.meta.dirname, '..');
  const here = bind(await loadVersion(hereRoot));
  const base = new Map(bind(await loadBaseline(baseRoot, hereRoot)).map((b) => [b.id, b]));
  const times = new Map(here.map((h) => [h.id, { now: [] as number[], base: [] as number[], tests: 0, baseTests: 0 }]));
  const time = async (b: Bound, seed: number) => {
    const t0 = performance.now();
    const n = await b.run(seed);
    return { ms: performance.now() - t0, n };
  };
  for (let r = -3; r < AB_ROUNDS; r++) {
    // Same seed for both versions in a round; which version goes first alternates.
    const seed = r + 4;
    for (const h of here) {
      const b = base.get(h.id);
      if (!b) continue;
      const t = times.get(h.id)!;
      const order = r % 2 ? ([['now', h], ['base', b]] as const) : ([['base', b], ['now', h]] as const);
      for (const [which, x] of order) {
        const { ms, n } = await time(x, seed);
        if (r < 0) continue; // warm-up rounds
        t[which].push(ms);
        if (which === 'now') t.tests = n;
        else t.baseTests = n;
      }
    }
  }
  return [...times].filter(([, t]) => t.now.length).map(([id, t]) => {
    const now = median(t.now);
    const was = median(t.base);
    return {
      area: 'graders',
      metric: `grade ${id} solution: now vs baseline (median)`,
      value: `${now.toFixed(2)} ms vs ${was.toFixed(2)} ms`,
      note: `× ${(now / was).toFixed(2)}; ${t.tests} vs ${t.baseTests} tests; ${AB_ROUNDS} alternating rounds, same seeds; baseline ${baseRoot}`,
    };
  });
}

export default async function bench(): Promise<BenchRow[]> {
  const baseline = process.env.GRADERS_BASELINE;
  if (baseline) return abRows(resolve(baseline));
  const rows: BenchRow[] = [];
  for (const b of bind(await loadVersion(resolve(import.meta.dirname, '..')))) {
    let tests = 0;
    let seed = 1;
    const times = await timeRuns(async () => {
      tests = await b.run(seed++);
    }, RUNS, 3);
    rows.push({ area: 'graders', metric: `grade ${b.id} solution (all cases) median`, value: `${median(times).toFixed(2)} ms`, note: `${tests} tests, ${RUNS} seeds, in-process` });
  }
  return rows;
}
