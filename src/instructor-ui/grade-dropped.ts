// Grades submission files dropped on the instructor page, in this browser, with the same sandboxed runner the
// workspace uses for learner runs (src/workspace/runner.ts: opaque-origin iframe + worker per file), and
// assembles a report of the same shape as the command line's report.json.
import { parseSubmission, SUBMISSION_VERSION, type Submission } from '../workspace/submission';
import { runExercise } from '../workspace/runner';
import { buildOverview } from '../../instructor/report/overview';
import { REPORT_FORMAT, REPORT_VERSION, type ExerciseInfo, type FileEntry, type InstructorReport, type LearnerExercise, type LearnerReport } from '../../instructor/report/schema';
import { RESULT_SCHEMA_VERSION, type GradeResult } from '../../graders/lib/result';

/** The course facts the page was built with (from each exercise's meta.json). */
export interface CourseData {
  name: string;
  version: string;
  exercises: ExerciseInfo[];
}

/** The result of an exercise that was not submitted: zero points, maxima from the metadata. */
function notSubmitted(ex: ExerciseInfo, seed: number): GradeResult {
  const part = (p: 'a' | 'b' | 'c') => ({ points: 0, maxPoints: ex.points[p], passed: 0, total: 0 });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION, exerciseId: ex.id, graderVersion: '', engineVersion: null, seed,
    parts: { a: part('a'), b: part('b'), c: part('c') }, total: { points: 0, maxPoints: ex.maxPoints },
    tests: [], answers: { c: null, freeText: null }, diagnoses: [], allPassed: false,
  };
}

/** Grades the files one exercise at a time (the sandbox runs one file at a time); reports progress. */
export async function gradeDropped(files: File[], course: CourseData, seed: number, onProgress: (text: string) => void): Promise<InstructorReport> {
  const t0 = performance.now();
  const entries: FileEntry[] = [];
  const accepted: { file: string; sub: Submission }[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    if (f.size > 20 * 1024 * 1024) {
      entries.push({ file: f.name, status: 'rejected', learner: null, issues: [{ severity: 'error', message: `the file is ${(f.size / 1048576).toFixed(1)} MB; submission files are at most 20 MB` }] });
      continue;
    }
    const r = parseSubmission(await f.text());
    if (!r.ok) {
      entries.push({ file: f.name, status: 'rejected', learner: null, issues: [{ severity: 'error', message: r.error }] });
      continue;
    }
    const key = r.value.learner.trim().toLowerCase();
    if (seen.has(key)) {
      entries.push({ file: f.name, status: 'rejected', learner: r.value.learner, issues: [{ severity: 'error', message: `duplicate learner id: also in ${seen.get(key)}` }] });
      continue;
    }
    seen.set(key, f.name);
    entries.push({ file: f.name, status: 'graded', learner: r.value.learner, issues: [] });
    accepted.push({ file: f.name, sub: r.value });
  }
  const learners: LearnerReport[] = [];
  let lastGrader = '';
  for (const [i, { file, sub }] of accepted.entries()) {
    const exs: LearnerExercise[] = [];
    for (const ex of course.exercises) {
      const w = sub.exercises[ex.id];
      if (!w) {
        exs.push({ exerciseId: ex.id, submitted: false, code: null, result: notSubmitted(ex, seed), logs: [], loadError: null, cpuMs: 0 });
        continue;
      }
      onProgress(`grading ${i + 1}/${accepted.length}: exercise ${ex.id}`);
      const run = await runExercise(ex.id, w.code, { c: w.answers.c ?? undefined, freeText: w.answers.freeText }, { seed });
      const result = run.result ?? notSubmitted(ex, seed);
      lastGrader = result.graderVersion || lastGrader;
      exs.push({ exerciseId: ex.id, submitted: true, code: w.code, result, logs: run.logs.map((l) => l.text), loadError: run.loadFailure?.message ?? null, cpuMs: run.ms });
    }
    const points = Math.round(exs.reduce((s, e) => s + e.result.total.points, 0) * 100) / 100;
    learners.push({ learner: sub.learner, file, exportedAt: sub.exportedAt, courseVersion: sub.courseVersion, total: { points, maxPoints: course.exercises.reduce((s, e) => s + e.maxPoints, 0) }, exercises: exs, issues: [], resultsFile: '' });
  }
  const rejected = entries.filter((e) => e.status === 'rejected').length;
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    provenance: {
      course: { name: course.name, version: course.version },
      graderVersion: lastGrader, engineVersion: null, resultSchemaVersion: RESULT_SCHEMA_VERSION, submissionVersion: SUBMISSION_VERSION,
      seed: { value: seed, secret: false }, generatedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - t0),
      tool: 'instructor page (browser)', node: 'browser',
      sandbox: { engine: 'sandboxed iframe worker (the workspace runner)', memoryMb: 0, stackKb: 0, callTimeoutMs: 0, testBudgetMs: 0, exerciseBudgetMs: 0, jobs: 1 },
    },
    exercises: course.exercises,
    overview: buildOverview(course.exercises, learners, { read: entries.length, rejected }),
    learners,
    files: entries,
  };
}
