// Fast per-seed verdicts for the 200-seed checks: run a seed's tests in order without shrinking or diagnosis and
// stop at the first that does not pass (a wrong answer usually stops within a few tests).
import { evaluate, executeCall, type Grader, type LearnerModule } from '../../graders/lib/index';

/** The id and message of the first test of `seed` that `mod` does not pass, or null when it passes them all. */
export function firstFailingTest(g: Grader, mod: LearnerModule, seed: number): string | null {
  for (const t of g.tests(seed)) {
    const c = t.make(t.params, t.seed ?? 0);
    const options = { ...(c.probeAlloc ? { probeAlloc: true } : {}), ...(c.readOnly ? { reportArgs: true } : {}) };
    const ev = evaluate(c, executeCall(mod, c.fn, c.args, options));
    if (ev.status !== 'pass') return `${t.id}: ${ev.message}`;
  }
  return null;
}
