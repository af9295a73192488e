// Gradescope results.json for one learner, per Gradescope's autograder specification
// (https://gradescope-autograders.readthedocs.io/en/latest/specs/ "Output format"): score, execution_time, output and
// one entry per test with name, score, max_score, status, output, output_format and visibility. The class report
// writes one per learner; the Gradescope autograder (instructor/gradescope/) writes the same for its one learner.
import type { TestResult } from '../../graders/lib/result';
import type { ExerciseInfo, LearnerReport } from './schema';

/** Who sees a test and when (Gradescope's visibility values). */
export type GradescopeVisibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

/** One Gradescope test entry. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  output_format: 'md';
  visibility: GradescopeVisibility;
}

/** The results.json object. */
export interface GradescopeResults {
  score: number;
  max_score: number;
  /** Seconds the grading took. */
  execution_time?: number;
  output: string;
  output_format: 'md';
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

/** `total` points split into `n` shares of whole hundredths that add up to exactly `total` (earlier shares get the odd cents). */
export function shares(total: number, n: number): number[] {
  const cents = Math.round(total * 100);
  const base = Math.floor(cents / n);
  return Array.from({ length: n }, (_, i) => (base + (i < cents - base * n ? 1 : 0)) / 100);
}

/** Untrusted text as a Markdown code block: the fence is longer than any run of backticks inside, so nothing renders. */
export function mdCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function testOutput(t: TestResult, secret: boolean): string {
  if (t.status === 'pass') return 'passed';
  const lines = [`${t.status}: ${t.message}`];
  if (t.diagnosis) lines.push(t.diagnosis.message);
  // With the instructor's secret seed the random cases must stay unknown to learners.
  if (!secret && t.seed !== null) lines.push(`case seed ${t.seed}`);
  return mdCode(lines.join('\n'));
}

/**
 * The results.json of one learner; a part's points are shared equally among its tests (in hundredths that add up to the part's points). With a secret seed, the
 * tests on random cases are shown only once the instructor publishes grades (`after_published`): a learner cannot
 * probe the secret cases by resubmitting.
 */
export function gradescopeResults(exercises: ExerciseInfo[], l: LearnerReport, secret: boolean, extra: { executionTime?: number; preamble?: string[] } = {}): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const ex of exercises) {
    const e = l.exercises.find((x) => x.exerciseId === ex.id);
    if (!e || !e.submitted) {
      tests.push({ name: `${ex.id} ${ex.title}`, score: 0, max_score: ex.maxPoints, status: 'failed', output: 'not submitted', output_format: 'md', visibility: 'visible' });
      continue;
    }
    for (const p of ['a', 'b', 'c'] as const) {
      const mine = e.result.tests.filter((t) => t.part === p);
      const each = shares(e.result.parts[p].maxPoints, mine.length);
      for (const [i, t] of mine.entries()) {
        tests.push({
          name: `${ex.id} (${p}) ${t.title}`,
          score: t.status === 'pass' ? each[i] : 0,
          max_score: each[i],
          status: t.status === 'pass' ? 'passed' : 'failed',
          output: testOutput(t, secret),
          output_format: 'md',
          visibility: secret && t.seed !== null ? 'after_published' : 'visible',
        });
      }
    }
  }
  const notes = l.issues.map((i) => `- ${i.severity}: ${i.message.replace(/[\\`*_[\]<>#|]/g, '\\$&')}`);
  return {
    score: l.total.points,
    max_score: l.total.maxPoints,
    ...(extra.executionTime !== undefined ? { execution_time: extra.executionTime } : {}),
    output: [...(extra.preamble ?? []), `Re-graded from your submitted code (${l.file.replace(/[\\`*_[\]<>#|]/g, '\\$&')}).`, ...notes].join('\n'),
    output_format: 'md',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
}
