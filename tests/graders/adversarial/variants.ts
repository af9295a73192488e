// Grades the adversarial variants of one exercise (tests/graders/adversarial/NN/): plausible wrong solutions written
// from the statement alone must fail some test on every seed, independent correct ones must pass every test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graders } from '../../../graders/index';
import { inProcessHost, runTest, type Grader, type LearnerHost } from '../../../graders/lib/index';
import { loadLearner } from '../../../graders/lib/learner-module';

/** The variant files of exercise `id`, split by their prefix. */
export function variantFiles(id: string): { wrong: string[]; right: string[] } {
  const files = readdirSync(join(__dirname, id)).filter((f) => f.endsWith('.ts')).sort();
  return { wrong: files.filter((f) => f.startsWith('wrong-')), right: files.filter((f) => f.startsWith('right-')) };
}

/** The source of one variant file. */
export const variantSource = (id: string, file: string) => readFileSync(join(__dirname, id, file), 'utf8');

/** A host running the variant in this realm, loaded the way runners load learner files. */
export const variantHost = (id: string, file: string): LearnerHost => inProcessHost(loadLearner(variantSource(id, file), file));

/** The first test of `seed` whose status is not pass, or null when every test passes. */
export async function firstFailure(g: Grader, host: LearnerHost, seed: number): Promise<{ id: string; message: string } | null> {
  for (const t of g.tests(seed)) {
    const r = await runTest(g, t, host);
    if (r.status !== 'pass') return { id: r.id, message: r.message };
  }
  return null;
}

/** Seeds among 1 … `seeds` on which the variant passes every test. */
export async function survivingSeeds(id: string, file: string, seeds: number): Promise<number[]> {
  const g = graders[id];
  const host = variantHost(id, file);
  const out: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) if (!(await firstFailure(g, host, seed))) out.push(seed);
  return out;
}

/** Every failing test of a correct variant over seeds 1 … `seeds`, as "seed N id: message". */
export async function rightFailures(id: string, file: string, seeds: number): Promise<string[]> {
  const g = graders[id];
  const host = variantHost(id, file);
  const out: string[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const t of g.tests(seed)) {
      const r = await runTest(g, t, host);
      if (r.status !== 'pass') out.push(`seed ${seed} ${r.id}: ${r.message}`);
    }
  }
  return out;
}
