// Batch grading of a class: discover files, read and check each one, re-grade every exercise's code in the
// sandbox pool (identical code is graded once), score part (c) from each learner's answers, build the report.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { graders } from '../graders/index';
import { RESULT_SCHEMA_VERSION } from '../graders/lib/result';
import { engineVersion } from '../graders/lib/run';
import { GRADER_VERSION } from '../graders/lib/version';
import { newestPerLearner, SUBMISSION_VERSION, type Submission } from '../src/workspace/submission';
import { discover } from './discover';
import { budgetsFor, finishExercise, notRunResult, type ExerciseRun } from './grade-exercise';
import { readSubmissionFile, type Intake } from './intake';
import { GradingPool, type Job } from './pool';
import { buildOverview } from './report/overview';
import { InstructorReport, REPORT_FORMAT, REPORT_VERSION, type ExerciseInfo, type FileEntry, type Issue, type LearnerExercise, type LearnerReport } from './report/schema';
import { guestScript } from './sandbox/bundle';
import { loadIsolatedVm } from './sandbox/isolate';
import { DEFAULT_LIMITS, SANDBOX_NAMES, type SandboxKind } from './sandbox/sandbox';
import { listTests } from '../graders/lib/run';
import { inShard, shardKeyOfFile, shardKeyOfLearner, type Shard } from './shard';

/** Options of one batch run. */
export interface BatchOptions {
  inputs: string[];
  /** Output folder (skipped when searching input folders). */
  out?: string;
  seed: number;
  secretSeed: boolean;
  jobs?: number;
  /** Per-call CPU limit of learner code, ms. */
  callTimeoutMs: number;
  /** The engine for learner code; by default isolated-vm when it loads, else QuickJS. */
  sandbox?: SandboxKind;
  /** Receives one line per problem (stderr in the CLI). */
  onProblem?: (line: string) => void;
  /** Receives progress lines. */
  onProgress?: (done: number, total: number) => void;
  /** Grade only this shard of the class (instructor/shard.ts). */
  shard?: Shard;
}

/** The course's package name and version. */
export function courseInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name === 'attention-mechanism-math' ? 'Attention Mechanism Math' : pkg.name, version: pkg.version };
}

/** The course's exercises, in id order. */
export function exerciseInfos(): ExerciseInfo[] {
  return Object.keys(graders)
    .sort()
    .map((id) => {
      const m = graders[id].meta;
      return { id, slug: m.slug, title: m.title, section: m.section, points: m.points, maxPoints: m.points.a + m.points.b + m.points.c };
    });
}

/** Accepted submissions after the cross-file checks (one per learner, the most recent export wins). */
function dedupe(intakes: Intake[], files: Map<string, FileEntry>): { file: string; submission: Submission }[] {
  const { kept, issues } = newestPerLearner(intakes.flatMap((it) => (it.ok ? [{ file: it.file, submission: it.submission }] : [])));
  for (const { file, severity, message } of issues) {
    const f = files.get(file)!;
    if (severity === 'error') f.status = 'rejected';
    f.issues.push({ severity, message });
  }
  return kept;
}

/** The engine to grade in: the one asked for (an error if it cannot load), else isolated-vm when it loads, else QuickJS. */
export function chooseSandbox(want: SandboxKind | undefined, say: (line: string) => void): SandboxKind {
  if (want === 'quickjs') return 'quickjs';
  const ivm = loadIsolatedVm();
  if (!('error' in ivm)) return 'isolate';
  if (want === 'isolate') throw new Error(`isolated-vm cannot be used here: ${ivm.error}`);
  say(`isolated-vm could not be loaded (${ivm.error}); grading in QuickJS instead (same results, several times slower)`);
  return 'quickjs';
}

/** Runs a whole batch; returns the validated report and whether any file failed. */
export async function gradeBatch(opts: BatchOptions): Promise<{ report: InstructorReport; anyFileFailed: boolean }> {
  const t0 = performance.now();
  const say = opts.onProblem ?? (() => {});
  const exercises = exerciseInfos();
  const course = courseInfo();
  const budgets = budgetsFor(opts.callTimeoutMs);

  const { files: paths, problems } = discover(opts.inputs, opts.out ? [opts.out] : []);
  const files = new Map<string, FileEntry>();
  for (const p of problems.filter((p) => inShard(opts.shard, shardKeyOfFile(p.path)))) {
    files.set(p.path, { file: p.path, status: 'rejected', learner: null, issues: [{ severity: 'error', message: p.message }] });
  }
  const intakes = paths.map((p) => readSubmissionFile(p)).filter((it) => inShard(opts.shard, it.ok ? shardKeyOfLearner(it.submission.learner) : shardKeyOfFile(it.file)));
  for (const it of intakes) {
    files.set(it.file, it.ok
      ? { file: it.file, status: 'graded', learner: it.submission.learner, issues: [] }
      : { file: it.file, status: 'rejected', learner: null, issues: [{ severity: 'error', message: it.error }] });
  }
  const accepted = dedupe(intakes, files);

  // Per-submission checks: exercises missing or unknown, another course version.
  for (const a of accepted) {
    const f = files.get(a.file)!;
    const ids = Object.keys(a.submission.exercises);
    const missing = exercises.filter((e) => !ids.includes(e.id)).map((e) => e.id);
    const extra = ids.filter((id) => !graders[id]);
    if (missing.length) f.issues.push({ severity: 'warning', message: `exercise${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the submission (0 points)` });
    if (extra.length) f.issues.push({ severity: 'warning', message: `exercise${extra.length > 1 ? 's' : ''} ${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not part of this course and ${extra.length > 1 ? 'were' : 'was'} ignored` });
    if (a.submission.courseVersion !== course.version) f.issues.push({ severity: 'warning', message: `exported from course version ${a.submission.courseVersion}; graded with ${course.version}` });
  }

  // Grade every distinct (exercise, code) once; a submission's new pairs go to one worker as a group.
  const guest = await guestScript();
  const kind = chooseSandbox(opts.sandbox, say);
  const pool = new GradingPool({ kind, guest, limits: DEFAULT_LIMITS, jobs: opts.jobs });
  const runs = new Map<string, Promise<ExerciseRun>>();
  let total = 0;
  let done = 0;
  const keyOf = (exerciseId: string, code: string) => createHash('sha256').update(exerciseId).update('\0').update(code).digest('hex');
  // Per accepted submission: exercise id → the key of its (exercise, code) pair, hashed once.
  const keys = accepted.map(({ submission }) => new Map(exercises.flatMap((ex) => {
    const sub = submission.exercises[ex.id];
    return sub ? [[ex.id, keyOf(ex.id, sub.code)] as const] : [];
  })));
  for (const [i, { submission }] of accepted.entries()) {
    const fresh = new Map<string, Job>();
    for (const ex of exercises) {
      const key = keys[i].get(ex.id);
      if (key && !runs.has(key)) fresh.set(key, { exerciseId: ex.id, code: submission.exercises[ex.id].code, seed: opts.seed, budgets, fileName: `${ex.slug}.ts` });
    }
    if (!fresh.size) continue;
    total += fresh.size;
    const group = pool.run([...fresh.values()]).then((rs) => {
      done += rs.length;
      opts.onProgress?.(done, total);
      return rs;
    });
    [...fresh.keys()].forEach((key, i) => runs.set(key, group.then((rs) => rs[i])));
  }
  let learners: LearnerReport[];
  try {
    learners = await Promise.all(
      accepted.map(async ({ file, submission }, i): Promise<LearnerReport> => {
        const exs = await Promise.all(
          exercises.map(async (ex): Promise<LearnerExercise> => {
            const g = graders[ex.id];
            const sub = submission.exercises[ex.id];
            if (!sub) {
              const tests = listTests(g, opts.seed).map((t) => notRunResult(t, 'error', 'not submitted'));
              return { exerciseId: ex.id, submitted: false, code: null, result: finishExercise(g, opts.seed, tests, {}), logs: [], loadError: null, cpuMs: 0 };
            }
            const run = await runs.get(keys[i].get(ex.id)!)!;
            const answers = { c: sub.answers.c ?? undefined, freeText: sub.answers.freeText };
            return { exerciseId: ex.id, submitted: true, code: sub.code, result: finishExercise(g, opts.seed, run.tests, answers), logs: run.logs, loadError: run.loadError, cpuMs: run.cpuMs };
          }),
        );
        const points = Math.round(exs.reduce((s, e) => s + e.result.total.points, 0) * 100) / 100;
        const f = files.get(file)!;
        return {
          learner: submission.learner,
          file,
          exportedAt: submission.exportedAt,
          courseVersion: submission.courseVersion,
          total: { points, maxPoints: exercises.reduce((s, e) => s + e.maxPoints, 0) },
          exercises: exs,
          issues: f.issues,
          resultsFile: `results/${String(i + 1).padStart(4, '0')}-${slug(submission.learner)}.json`,
        };
      }),
    );
  } finally {
    await pool.close();
  }

  const fileList = [...files.values()].sort((a, b) => a.file.localeCompare(b.file));
  for (const f of fileList) for (const i of f.issues) say(`${f.file}: ${i.severity}: ${i.message}`);
  const rejected = fileList.filter((f) => f.status === 'rejected').length;
  const report: InstructorReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    provenance: {
      course,
      graderVersion: GRADER_VERSION,
      engineVersion: engineVersion(),
      resultSchemaVersion: RESULT_SCHEMA_VERSION,
      submissionVersion: SUBMISSION_VERSION,
      seed: { value: opts.seed, secret: opts.secretSeed },
      generatedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - t0),
      tool: 'instructor batch grading (instructor/cli.ts)',
      node: process.version,
      sandbox: {
        engine: SANDBOX_NAMES[kind],
        memoryMb: DEFAULT_LIMITS.memoryBytes / 1048576,
        stackKb: DEFAULT_LIMITS.stackBytes / 1024,
        callTimeoutMs: budgets.callMs,
        testBudgetMs: budgets.testMs,
        exerciseBudgetMs: budgets.exerciseMs,
        jobs: opts.jobs ?? availableParallelism(),
      },
      ...(opts.shard ? { shard: opts.shard } : {}),
    },
    exercises,
    overview: buildOverview(exercises, learners, { read: fileList.length, rejected }),
    learners,
    files: fileList,
  };
  return { report: InstructorReport.parse(report), anyFileFailed: rejected > 0 };
}

/** A file-name-safe form of a learner name (untrusted): letters, digits and dashes only. */
export function slug(name: string): string {
  return basename(name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40)) || 'learner';
}

export type { Issue };
