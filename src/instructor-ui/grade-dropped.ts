// Grades submission files dropped on the instructor page, in this browser, with the same sandboxed runner the
// workspace uses for learner runs (src/workspace/runner.ts: opaque-origin iframe + worker per file), and
// assembles a report of the same shape as the command line's report.json (instructor/batch.ts): the same
// per-file checks and warnings, the same duplicate rule (newest export wins), learners in file-name order.
import { conceptAnswer, historyOf, newestPerLearner, parseSubmission, SUBMISSION_VERSION, type ConceptPolicy, type Submission } from '../workspace/submission';
import { loadGrader, runExercise } from '../workspace/runner';
import { assemble, gradeConcept, listTests } from '../../graders/lib/run';
import { buildOverview } from '../../instructor/report/overview';
import { findIntegrity, NO_HISTORY_WARNING } from '../../instructor/report/integrity';
import { REPORT_FORMAT, REPORT_VERSION, type ExerciseInfo, type FileEntry, type InstructorReport, type Issue, type LearnerExercise, type LearnerReport } from '../../instructor/report/schema';
import { RESULT_SCHEMA_VERSION, type GradeResult } from '../../graders/lib/result';

/** The course facts the page was built with (from each exercise's meta.json). */
export interface CourseData {
  name: string;
  version: string;
  exercises: ExerciseInfo[];
}

const solutions = import.meta.glob<string>('../../exercises/*/solution.ts', { query: '?raw', import: 'default', eager: true });
const starters = import.meta.glob<string>('../../exercises/*/starter.ts', { query: '?raw', import: 'default', eager: true });

/** Each exercise's reference solution and starter (the command line reads the same files: batch.ts referenceFiles). */
function referenceFiles(exercises: ExerciseInfo[]): Record<string, { solution: string; starter: string }> {
  const out: Record<string, { solution: string; starter: string }> = {};
  for (const ex of exercises) {
    const solution = solutions[`../../exercises/${ex.slug}/solution.ts`];
    const starter = starters[`../../exercises/${ex.slug}/starter.ts`];
    if (solution !== undefined && starter !== undefined) out[ex.id] = { solution, starter };
  }
  return out;
}

/** Largest submission file read (as the command line: refused from its size, before reading). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The result of an exercise that was not submitted (or whose file could not load): zero points. */
function zeroResult(ex: ExerciseInfo, seed: number, answers: GradeResult['answers'] = { c: null, freeText: null }): GradeResult {
  const part = (p: 'a' | 'b' | 'c') => ({ points: 0, maxPoints: ex.points[p], passed: 0, total: 0 });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION, exerciseId: ex.id, graderVersion: '', engineVersion: null, seed,
    parts: { a: part('a'), b: part('b'), c: part('c') }, total: { points: 0, maxPoints: ex.maxPoints },
    tests: [], answers, diagnoses: [], allPassed: false,
  };
}

/** The result of a file that could not be loaded (instructor/grade-exercise.ts does the same). */
async function notLoaded(id: string, seed: number, answers: { c?: string; freeText?: string }, message: string): Promise<GradeResult> {
  const grader = await loadGrader(id);
  const tests = listTests(grader, seed).map((t) => ({
    ...t, status: 'error' as const, message,
    expected: null, actual: null, worst: null, leaks: [], diagnosis: null, shrunk: null, alloc: null, durationMs: 0,
  }));
  return assemble(grader, seed, [...tests, gradeConcept(grader, answers)], answers);
}

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** Reads and checks the files; returns every file's entry and the accepted submissions (one per learner). */
async function intake(files: File[]): Promise<{ entries: Map<string, FileEntry>; accepted: { file: string; submission: Submission }[]; parsed: { file: string; submission: Submission }[] }> {
  const entries = new Map<string, FileEntry>();
  const ok: { file: string; submission: Submission }[] = [];
  for (const f of files) {
    // Two dropped files may share a name (from different folders): keep both apart.
    let name = f.name || 'unnamed file';
    for (let i = 2; entries.has(name); i++) name = `${f.name} (${i})`;
    const reject = (message: string) => entries.set(name, { file: name, status: 'rejected', learner: null, issues: [{ severity: 'error', message }] });
    if (f.size > MAX_FILE_BYTES) {
      reject(`the file is ${(f.size / 1048576).toFixed(1)} MB; submission files are at most ${MAX_FILE_BYTES / 1048576} MB`);
      continue;
    }
    if (f.size === 0) {
      reject('the file is empty');
      continue;
    }
    let text: string;
    try {
      text = await f.text();
    } catch {
      reject('the file could not be read');
      continue;
    }
    const r = parseSubmission(text);
    if (!r.ok) {
      reject(r.error);
      continue;
    }
    entries.set(name, { file: name, status: 'graded', learner: r.value.learner, issues: [] });
    ok.push({ file: name, submission: r.value });
  }
  // Same learner id in several files: the newest export is graded, as on the command line.
  const { kept, issues } = newestPerLearner(ok);
  for (const { file, severity, message } of issues) {
    const e = entries.get(file)!;
    if (severity === 'error') e.status = 'rejected';
    e.issues.push({ severity, message });
  }
  return { entries, accepted: kept, parsed: ok };
}

/** Grades the files one exercise at a time (the sandbox runs one file at a time); reports progress. */
export async function gradeDropped(files: File[], course: CourseData, seed: number, onProgress: (text: string) => void, concept: ConceptPolicy = 'first'): Promise<InstructorReport> {
  const t0 = performance.now();
  const { entries, accepted, parsed } = await intake(files);
  const known = new Set(course.exercises.map((e) => e.id));
  const learners: LearnerReport[] = [];
  let lastGrader = '';
  const jobs = accepted.reduce((n, a) => n + course.exercises.filter((e) => a.submission.exercises[e.id]).length, 0);
  let done = 0;
  for (const { file, submission: sub } of accepted) {
    const entry = entries.get(file)!;
    const ids = Object.keys(sub.exercises);
    const missing = course.exercises.filter((e) => !ids.includes(e.id)).map((e) => e.id);
    const extra = ids.filter((id) => !known.has(id));
    if (missing.length) entry.issues.push({ severity: 'warning', message: `${plural(missing.length, 'exercise', 'exercises')} ${missing.join(', ')} not in the submission (0 points)` });
    if (extra.length) entry.issues.push({ severity: 'warning', message: `${plural(extra.length, 'exercise', 'exercises')} ${extra.join(', ')} ${plural(extra.length, 'is', 'are')} not part of this course and ${plural(extra.length, 'was', 'were')} ignored` });
    if (sub.version === 1) entry.issues.push({ severity: 'warning', message: NO_HISTORY_WARNING });
    if (sub.courseVersion !== course.version) entry.issues.push({ severity: 'warning', message: `exported from course version ${sub.courseVersion}; graded with ${course.version}` });
    const issues: Issue[] = [...entry.issues];
    const exs: LearnerExercise[] = [];
    for (const ex of course.exercises) {
      const w = sub.exercises[ex.id];
      if (!w) {
        exs.push({ exerciseId: ex.id, submitted: false, code: null, result: zeroResult(ex, seed), logs: [], loadError: null, cpuMs: 0 });
        continue;
      }
      onProgress(`Grading ${++done} of ${jobs}: ${sub.learner}, exercise ${ex.id}…`);
      const answers = { c: conceptAnswer(sub, ex.id, concept), freeText: w.answers.freeText };
      const run = await runExercise(ex.id, w.code, answers, { seed });
      // A file that does not load: every test errors and part (c) is still scored, as on the command line.
      const result = run.result ?? (await notLoaded(ex.id, seed, answers, `your file could not be loaded: ${run.loadFailure?.message ?? 'unknown error'}`));
      lastGrader = result.graderVersion || lastGrader;
      const loadError = run.loadFailure ? run.loadFailure.message : null;
      exs.push({ exerciseId: ex.id, submitted: true, code: w.code, result, logs: run.logs.map((l) => l.text), loadError, cpuMs: Math.max(0, Math.round(run.ms)), history: historyOf(sub, ex.id), browserPassed: w.browser.partsPassed });
    }
    const points = Math.round(exs.reduce((s, e) => s + e.result.total.points, 0) * 100) / 100;
    learners.push({ learner: sub.learner, file, exportedAt: sub.exportedAt, courseVersion: sub.courseVersion, submissionVersion: sub.version, total: { points, maxPoints: course.exercises.reduce((s, e) => s + e.maxPoints, 0) }, exercises: exs, issues, resultsFile: '' });
  }
  const list = [...entries.values()];
  const rejected = list.filter((e) => e.status === 'rejected').length;
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    provenance: {
      course: { name: course.name, version: course.version },
      graderVersion: lastGrader, engineVersion: null, resultSchemaVersion: RESULT_SCHEMA_VERSION, submissionVersion: SUBMISSION_VERSION,
      seed: { value: seed, secret: false }, concept, generatedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - t0),
      tool: 'instructor page (browser)', node: 'browser',
      sandbox: { engine: 'sandboxed iframe worker (the workspace runner)', memoryMb: 0, stackKb: 0, callTimeoutMs: 0, testBudgetMs: 0, exerciseBudgetMs: 0, jobs: 1 },
    },
    exercises: course.exercises,
    overview: buildOverview(course.exercises, learners, { read: list.length, rejected }),
    learners,
    files: list,
    integrity: findIntegrity({
      courseVersion: course.version, exercises: course.exercises, learners, concept, reference: referenceFiles(course.exercises),
      parsed: parsed.map((p) => ({ file: p.file, learner: p.submission.learner })),
    }),
  };
}
