// Diagnosis precision, judged independently of the library's bookkeeping: a test's named mistake must give the
// learner's value on every failing test of that function (each case re-made from the seed and re-run here).
import { DEFAULT_TOL, findTest, sameValue, type CallOutcome, type Case, type GradeResult, type Grader, type LearnerModule } from '../../graders/lib/index';

/** Runs one case's call (the learner's module or a mistake's). */
export type RunCase = (mod: LearnerModule, c: Case) => CallOutcome;

/** How many tests of `r` name a mistake, and a sentence for each that does not reproduce the learner's values. */
export function diagnosisPrecision(g: Grader, r: GradeResult, mod: LearnerModule, run: RunCase): { diagnosed: number; misleading: string[] } {
  let diagnosed = 0;
  const misleading: string[] = [];
  const remade = new Map<string, Case>();
  const caseOf = (id: string) => {
    let c = remade.get(id);
    if (!c) {
      const t = findTest(g, r.seed, id)!;
      remade.set(id, (c = t.make(t.params, t.seed ?? 0)));
    }
    return c;
  };
  for (const t of r.tests) {
    if (!t.diagnosis) continue;
    diagnosed++;
    const m = g.mistakes.find((x) => x.name === t.diagnosis!.mistake)!;
    for (const f of r.tests.filter((x) => x.fn === t.fn && x.status !== 'pass')) {
      const c = caseOf(f.id);
      const pick = (o: CallOutcome) => (o.kind !== 'return' ? o : c.field === undefined ? o.value : (o.value as Record<string, unknown>)?.[c.field]);
      const atol = c.check.kind === 'tensor' ? (c.check.atol ?? DEFAULT_TOL.atol) : 0;
      const rtol = c.check.kind === 'tensor' ? (c.check.rtol ?? DEFAULT_TOL.rtol) : 0;
      if (!sameValue(pick(run(mod, c)), pick(run(m.module, c)), atol, rtol)) misleading.push(`${t.id} names ${m.name}, which differs on ${f.id}`);
    }
  }
  return { diagnosed, misleading };
}
