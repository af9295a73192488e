// Batch grading of a class: discover files, read and check each one, re-grade every exercise's code in the
// sandbox pool (identical code is graded once), score part (c) from each learner's answers, build the report.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { graders } from '../graders/index';
import { RESULT_SCHEMA_VERSION } from '../graders/lib/result';
import { engineVersion } from '../graders/lib/run';
import { GRADER_VERSION } from '../graders/lib/version';
import { conceptAnswer, historyOf, newestPerLearner, SUBMISSION_VERSION, type ConceptPolicy, type DuplicatePolicy, type Submission } from '../src/workspace/submission';
import { discover } from './discover';
import { cachedGrader } from './case-cache';
import { budgetsFor, finishExercise, notRunResult, type ExerciseRun } from './grade-exercise';
import { readSubmissionFile, type Intake } from './intake';
import { GradingPool, RSS_LIMIT_MB, type Job } from './pool';
import { findIntegrity, NO_HISTORY_WARNING } from './report/integrity';
import { buildOverview } from './report/overview';
import { InstructorReport, LearnerReport, REPORT_FORMAT, REPORT_VERSION, type ExerciseInfo, type FileEntry, type Issue, type LearnerExercise } from './report/schema';
import { guestScript } from './sandbox/bundle';
import { loadIsolatedVm } from './sandbox/isolate';
import { ENGINE_MEMORY_MB } from './sandbox/quickjs';
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
  /** Which part (c) choice is scored: the first recorded (default), the last, or none. */
  concept?: ConceptPolicy;
  /** Receives one line per problem (stderr in the CLI). */
  onProblem?: (line: string) => void;
  /** Receives progress lines. */
  onProgress?: (done: number, total: number) => void;
  /** Which file counts when several claim one learner id (default: every one is graded and flagged). */
  duplicates?: DuplicatePolicy;
  /** Test seam: called at each per-learner stage; a throw there must cost only that learner (tests/instructor). */
  fault?: FaultHook;
  /** Grade only this shard of the class (instructor/shard.ts). */
  shard?: Shard;
}

/** The per-learner stages of a batch run, in order (the report writers add 'html' and 'results'). */
export type Stage = 'read' | 'grade' | 'assemble' | 'html' | 'results';
/** Called with a stage and the file being processed; throws to simulate a failure there. */
export type FaultHook = (stage: Stage, file: string) => void;

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

/** Each exercise's reference solution and starter, read from its folder (for the identical-code finding). */
export function referenceFiles(exercises: ExerciseInfo[]): Record<string, { solution: string; starter: string }> {
  const out: Record<string, { solution: string; starter: string }> = {};
  for (const ex of exercises) {
    const dir = new URL(`../exercises/${ex.slug}/`, import.meta.url);
    const read = (f: string) => (existsSync(new URL(f, dir)) ? readFileSync(new URL(f, dir), 'utf8') : null);
    const solution = read('solution.ts');
    const starter = read('starter.ts');
    if (solution !== null && starter !== null) out[ex.id] = { solution, starter };
  }
  return out;
}

/** Accepted submissions after the cross-file checks (files claiming one learner id: see DuplicatePolicy). */
function dedupe(intakes: Intake[], files: Map<string, FileEntry>, policy?: DuplicatePolicy): { file: string; submission: Submission }[] {
  const { kept, issues } = newestPerLearner(intakes.flatMap((it) => (it.ok ? [{ file: it.file, submission: it.submission }] : [])), policy);
  for (const { file, severity, message } of issues) {
    const f = files.get(file)!;
    if (severity === 'error') f.status = 'rejected';
    f.issues.push({ severity, message });
  }
  return kept;
}

/** The policy with each --prefer file:<path> matched to the discovered path of that file (as given, or resolved). */
function preferredFiles(policy: DuplicatePolicy | undefined, paths: string[], say: (line: string) => void): DuplicatePolicy | undefined {
  if (policy?.keep !== 'files') return policy;
  const byAbs = new Map(paths.map((p) => [resolve(p), p]));
  return {
    keep: 'files',
    files: policy.files.map((f) => {
      const found = byAbs.get(resolve(f));
      if (!found) say(`--prefer file:${f}: no such submission file among the inputs`);
      return found ?? f;
    }),
  };
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

/** Runs a whole batch; returns the validated report, whether any file failed, and the grading processes' CPU time (ms). */
export async function gradeBatch(opts: BatchOptions): Promise<{ report: InstructorReport; anyFileFailed: boolean; workerCpuMs: number }> {
  const t0 = performance.now();
  const say = opts.onProblem ?? (() => {});
  const exercises = exerciseInfos();
  const course = courseInfo();
  const budgets = budgetsFor(opts.callTimeoutMs);
  const concept = opts.concept ?? 'first';

  const { files: paths, problems } = discover(opts.inputs, opts.out ? [opts.out] : []);
  const files = new Map<string, FileEntry>();
  for (const p of problems.filter((p) => inShard(opts.shard, shardKeyOfFile(p.path)))) {
    files.set(p.path, { file: p.path, status: 'rejected', learner: null, issues: [{ severity: 'error', message: p.message }] });
  }
  const intakes = paths.map((p): Intake => {
    try {
      opts.fault?.('read', p);
      return readSubmissionFile(p);
    } catch (e) {
      return { ok: false, file: p, error: `the file could not be read (${errorText(e)})` };
    }
  }).filter((it) => inShard(opts.shard, it.ok ? shardKeyOfLearner(it.submission.learner) : shardKeyOfFile(it.file)));
  for (const it of intakes) {
    files.set(it.file, it.ok
      ? { file: it.file, status: 'graded', learner: it.submission.learner, issues: [] }
      : { file: it.file, status: 'rejected', learner: null, issues: [{ severity: 'error', message: it.error }] });
  }
  const accepted = dedupe(intakes, files, preferredFiles(opts.duplicates, paths, say));

  // Per-submission checks: exercises missing or unknown, another course version.
  for (const a of accepted) {
    const f = files.get(a.file)!;
    const ids = Object.keys(a.submission.exercises);
    const missing = exercises.filter((e) => !ids.includes(e.id)).map((e) => e.id);
    const extra = ids.filter((id) => !graders[id]);
    if (missing.length) f.issues.push({ severity: 'warning', message: `exercise${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the submission (0 points)` });
    if (extra.length) f.issues.push({ severity: 'warning', message: `exercise${extra.length > 1 ? 's' : ''} ${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not part of this course and ${extra.length > 1 ? 'were' : 'was'} ignored` });
    if (a.submission.version === 1) f.issues.push({ severity: 'warning', message: NO_HISTORY_WARNING });
    if (a.submission.courseVersion !== course.version) f.issues.push({ severity: 'warning', message: `exported from course version ${a.submission.courseVersion}; graded with ${course.version}` });
  }

  // Grade every distinct (exercise, code) once; a submission's new pairs go to one worker as a group.
  const guest = await guestScript();
  const kind = chooseSandbox(opts.sandbox, say);
  const pool = new GradingPool({ kind, guest, limits: DEFAULT_LIMITS, jobs: opts.jobs });
  const runs = new Map<string, { owner: number; run: Promise<ExerciseRun> }>();
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
    const group = gradeGroup(i, [...fresh.values()]);
    [...fresh.keys()].forEach((key, k) => runs.set(key, { owner: i, run: group.then((rs) => rs[k]) }));
  }
  /** Grades jobs of submission `i` as one group in the pool. */
  function gradeGroup(i: number, jobs: Job[]): Promise<ExerciseRun[]> {
    total += jobs.length;
    return Promise.resolve().then(() => {
      opts.fault?.('grade', accepted[i].file);
      return pool.run(jobs);
    }).then((rs) => {
      done += rs.length;
      opts.onProgress?.(done, total);
      return rs;
    });
  }
  /**
   * Submission i's run of exercise `ex`. Another learner's run of the same code is reused only when it was clean:
   * a timeout, a memory or engine stop, a crash or a watchdog kill belongs to that learner, so this one is graded again.
   */
  async function runFor(i: number, ex: ExerciseInfo, code: string): Promise<ExerciseRun> {
    const shared = runs.get(keys[i].get(ex.id)!)!;
    if (shared.owner === i) return shared.run;
    const run = await shared.run.catch(() => null);
    if (run?.clean) return run;
    const [own] = await gradeGroup(i, [{ exerciseId: ex.id, code, seed: opts.seed, budgets, fileName: `${ex.slug}.ts` }]);
    return own;
  }
  // Scoring names a mistake only after checking it against the tests a learner passes, which needs those tests'
  // cases and each mistake's output on them: the same for every learner, so made once per run (case-cache.ts).
  const scoring = new Map(exercises.map((ex) => [ex.id, cachedGrader(graders[ex.id])]));
  /** One learner's row: every exercise's run scored with their answers, validated; any failure is this row's error. */
  const assembleLearner = async (file: string, submission: Submission, i: number): Promise<LearnerReport> => {
    const resultsFile = `results/${String(i + 1).padStart(4, '0')}-${slug(submission.learner)}.json`;
    const f = files.get(file)!;
    try {
      opts.fault?.('assemble', file);
      const exs = await Promise.all(
        exercises.map(async (ex): Promise<LearnerExercise> => {
          const g = scoring.get(ex.id)!;
          const sub = submission.exercises[ex.id];
          if (!sub) {
            const tests = listTests(g, opts.seed).map((t) => notRunResult(t, 'error', 'not submitted'));
            return { exerciseId: ex.id, submitted: false, code: null, result: finishExercise(g, opts.seed, tests, {}), logs: [], loadError: null, cpuMs: 0 };
          }
          const run = await runFor(i, ex, sub.code);
          const answers = { c: conceptAnswer(submission, ex.id, concept), freeText: sub.answers.freeText };
          return {
            exerciseId: ex.id, submitted: true, code: sub.code, result: finishExercise(g, opts.seed, run.tests, answers, opts.secretSeed), logs: run.logs, loadError: run.loadError, cpuMs: run.cpuMs,
            history: historyOf(submission, ex.id), browserPassed: sub.browser.partsPassed,
          };
        }),
      );
      const points = Math.round(exs.reduce((s, e) => s + e.result.total.points, 0) * 100) / 100;
      // Validated here, one learner at a time: a value that would fail the report schema costs this row only.
      return LearnerReport.parse({
        learner: submission.learner,
        file,
        exportedAt: submission.exportedAt,
        courseVersion: submission.courseVersion,
        submissionVersion: submission.version,
        total: { points, maxPoints: exercises.reduce((s, e) => s + e.maxPoints, 0) },
        exercises: exs,
        issues: f.issues,
        resultsFile,
      });
    } catch (e) {
      return failedLearner(submission, file, f, resultsFile, exercises, e);
    }
  };
  let learners: LearnerReport[];
  try {
    learners = await Promise.all(accepted.map(({ file, submission }, i) => assembleLearner(file, submission, i)));
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
      concept,
      generatedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - t0),
      tool: 'instructor batch grading (instructor/cli.ts)',
      node: process.version,
      sandbox: {
        engine: SANDBOX_NAMES[kind],
        memoryMb: kind === 'quickjs' ? ENGINE_MEMORY_MB : DEFAULT_LIMITS.memoryBytes / 1048576,
        stackKb: DEFAULT_LIMITS.stackBytes / 1024,
        callTimeoutMs: budgets.callMs,
        testBudgetMs: budgets.testMs,
        exerciseBudgetMs: budgets.exerciseMs,
        jobs: opts.jobs ?? availableParallelism(),
        residentLimitMb: RSS_LIMIT_MB,
        peakResidentMb: Math.round(pool.peakResidentMb),
      },
      ...(opts.shard ? { shard: opts.shard } : {}),
    },
    exercises,
    overview: buildOverview(exercises, learners, { read: fileList.length, rejected }),
    learners,
    files: fileList,
    integrity: findIntegrity({
      courseVersion: course.version, exercises, learners, concept, reference: referenceFiles(exercises),
      parsed: intakes.flatMap((it) => (it.ok ? [{ file: it.file, learner: it.submission.learner }] : [])),
    }),
  };
  // Learners were validated one by one above; the rest (provenance, overview, files) is ours and checked here.
  const checked = InstructorReport.parse({ ...report, learners: [] });
  return { report: { ...checked, learners }, anyFileFailed: rejected > 0, workerCpuMs: pool.workerCpuMs };
}

/** The text of anything thrown, including a zod error (its first issue's path and message). */
function errorText(e: unknown): string {
  if (e instanceof z.ZodError) {
    const first = e.issues[0];
    return first ? `${first.path.join('.')}: ${first.message}` : 'invalid result';
  }
  return e instanceof Error ? e.message : String(e);
}

/** The row of a learner whose result could not be put together: no points, and an error saying why. */
function failedLearner(submission: Submission, file: string, f: FileEntry, resultsFile: string, exercises: ExerciseInfo[], e: unknown): LearnerReport {
  f.status = 'rejected';
  f.issues.push({ severity: 'error', message: `grading this file failed (${errorText(e).slice(0, 300)}); no points were given — grade it again on its own` });
  return {
    learner: submission.learner,
    file,
    exportedAt: submission.exportedAt,
    courseVersion: submission.courseVersion,
    total: { points: 0, maxPoints: exercises.reduce((s, x) => s + x.maxPoints, 0) },
    exercises: [],
    issues: f.issues,
    resultsFile,
  };
}

/** A file-name-safe form of a learner name (untrusted): letters, digits and dashes only. */
export function slug(name: string): string {
  return basename(name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40)) || 'learner';
}

export type { Issue };
