// Gradescope-style results.json for one learner (https://gradescope-autograders.readthedocs.io/ "Output
// format"): score, max_score and one entry per test, so the same grading can run as a Gradescope autograder.
import type { TestResult } from '../../graders/lib/result';
import type { ExerciseInfo, LearnerReport } from './schema';

/** One Gradescope test entry. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  output: string;
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
}

/** The results.json object. */
export interface GradescopeResults {
  score: number;
  max_score: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Learner-facing text with every case seed taken out. Under a secret seed the random cases must stay unknown to
 * learners, and a case seed reproduces its case (messages quote "smallest failing case (…, seed N)").
 */
export function withoutSeeds(text: string, seeds: readonly number[]): string {
  let out = text.replace(/\bseeds?\b(\s*[:=#]?\s*)-?\d+/gi, 'seed (hidden)');
  // A bare case seed (32-bit, derived from the secret) quoted elsewhere; short numbers are left alone (they are values).
  for (const s of seeds) if (String(s).length >= 5) out = out.split(String(s)).join('(hidden)');
  return out;
}

function testOutput(t: TestResult, secret: boolean): string {
  if (t.status === 'pass') return 'passed';
  const lines = [`${t.status}: ${t.message}`];
  if (t.diagnosis) lines.push(t.diagnosis.message);
  if (!secret && t.seed !== null) lines.push(`case seed ${t.seed}`);
  const text = lines.join('\n');
  return secret ? withoutSeeds(text, t.seed === null ? [] : [t.seed]) : text;
}

/** The results.json of one learner; a part's points are shared equally among its tests. */
export function gradescopeResults(exercises: ExerciseInfo[], l: LearnerReport, secret: boolean): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const ex of exercises) {
    const e = l.exercises.find((x) => x.exerciseId === ex.id);
    if (!e || !e.submitted) {
      tests.push({ name: `${ex.id} ${ex.title}`, score: 0, max_score: ex.maxPoints, output: 'not submitted', visibility: 'visible' });
      continue;
    }
    for (const p of ['a', 'b', 'c'] as const) {
      const mine = e.result.tests.filter((t) => t.part === p);
      const each = mine.length ? e.result.parts[p].maxPoints / mine.length : 0;
      for (const t of mine) {
        tests.push({
          name: secret ? withoutSeeds(`${ex.id} (${p}) ${t.title}`, t.seed === null ? [] : [t.seed]) : `${ex.id} (${p}) ${t.title}`,
          score: t.status === 'pass' ? r2(each) : 0,
          max_score: r2(each),
          output: testOutput(t, secret),
          visibility: 'visible',
        });
      }
    }
  }
  const notes = l.issues.map((i) => `${i.severity}: ${i.message}`);
  return {
    score: l.total.points,
    max_score: l.total.maxPoints,
    output: [`Re-graded from your submitted code (${l.file}).`, ...notes].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
}

/** The results.json of a learner whose results could not be rendered: the total, and that it needs a look. */
export function failedResults(l: LearnerReport, e: unknown): GradescopeResults {
  return {
    score: l.total.points,
    max_score: l.total.maxPoints,
    output: `Your results could not be written in full (${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}); your instructor has been told.`,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: [],
  };
}
