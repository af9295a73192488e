// Fast per-seed verdicts for the 200-seed checks and mutation testing: run a seed's tests in order without shrinking
// or diagnosis and stop at the first that does not pass (a wrong answer usually stops within a few tests).
import { callOptions, evaluate, executeCall, type Case, type CallOutcome, type Grader, type LearnerModule } from '../../graders/lib/index';

/** One test of a seed with its case already made (the engine's expected value computed). */
export interface MadeCase {
  id: string;
  c: Case;
}

/** The cases of `seed` in test order. They can be reused for many learners: a call copies its arguments first. */
export function madeCases(g: Grader, seed: number): MadeCase[] {
  return g.tests(seed).map((t) => ({ id: t.id, c: t.make(t.params, t.seed ?? 0) }));
}

/** How a case's call is run: in this realm by default; mutation testing adds a time limit. */
export type CallRunner = (mod: LearnerModule, c: Case) => CallOutcome;

const direct: CallRunner = (mod, c) => executeCall(mod, c.fn, c.args, callOptions(c));

/** The id and message of the first case that `mod` does not pass, or null when it passes them all. */
export function firstFailingCase(mod: LearnerModule, cases: MadeCase[], run: CallRunner = direct): string | null {
  for (const { id, c } of cases) {
    const ev = evaluate(c, run(mod, c));
    if (ev.status !== 'pass') return `${id}: ${ev.message}`;
  }
  return null;
}

/** The id and message of the first test of `seed` that `mod` does not pass, or null when it passes them all. */
export function firstFailingTest(g: Grader, mod: LearnerModule, seed: number): string | null {
  // Cases are made one at a time: a wrong answer usually fails an early one, and the rest are never built.
  for (const t of g.tests(seed)) {
    const c = t.make(t.params, t.seed ?? 0);
    const ev = evaluate(c, direct(mod, c));
    if (ev.status !== 'pass') return `${t.id}: ${ev.message}`;
  }
  return null;
}
