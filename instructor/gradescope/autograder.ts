// The Gradescope autograder, bundled by build.ts into one file (grader.mjs) that runs on any Node ≥ 20 with no
// npm install. Gradescope runs it once per submission (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
// it reads the learner's exported submission file from <root>/submission/, re-grades its code in a sandbox and writes
// <root>/results/results.json, where <root> is $AUTOGRADER_ROOT or /autograder. A provisional results.json (score
// 0, one sentence) is written first and replaced at the end, so a crash or a kill by Gradescope's time limit still
// leaves results, never "The autograder failed to execute correctly".
// Engine: V8 isolates (isolated-vm, installed by setup.sh for Node 22) when it loads and the process runs with
// --no-node-snapshot; otherwise QuickJS (its WebAssembly is embedded in the bundle) in a worker thread with a 16 MB
// stack (instructor/README.md, "deep native recursion").
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { graders } from '../../graders/index';
import { cachedGrader } from '../case-cache';
import { budgetsFor, finishExercise, gradeExercise, notRunResult, type Budgets, type ExerciseRun } from '../grade-exercise';
import { readSubmissionFile } from '../intake';
import { gradescopeResults, type GradescopeResults } from '../report/gradescope';
import type { ExerciseInfo, LearnerExercise, LearnerReport } from '../report/schema';
import { guestScript } from '../sandbox/bundle';
import { isolateFactory, loadIsolatedVm } from '../sandbox/isolate';
import { quickjsFactory } from '../sandbox/quickjs';
import { DEFAULT_LIMITS, type SandboxFactory } from '../sandbox/sandbox';
import { listTests } from '../../graders/lib/run';

/** What build.ts bakes into the bundle. */
export interface AutograderConfig {
  seed: number;
  secret: boolean;
  /** Exercise ids graded by this assignment; null for all. */
  exercises: string[] | null;
  course: { name: string; version: string };
  callTimeoutMs: number;
}

declare const __AUTOGRADER_CONFIG__: AutograderConfig;

/** One exercise to grade (sent to the QuickJS worker as plain data). */
interface Job {
  exerciseId: string;
  code: string;
  fileName: string;
}

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);

/** The exercises this assignment grades, in id order (as batch.ts's exerciseInfos, which the bundle cannot import: it starts the CLI's pool). */
function assignmentExercises(config: AutograderConfig): ExerciseInfo[] {
  return Object.keys(graders)
    .filter((id) => !config.exercises || config.exercises.includes(id))
    .sort()
    .map((id) => {
      const m = graders[id].meta;
      return { id, slug: m.slug, title: m.title, section: m.section, points: m.points, maxPoints: m.points.a + m.points.b + m.points.c };
    });
}

/** Grades jobs one after another with sandboxes from `sandboxes`. */
async function gradeJobs(jobs: Job[], sandboxes: SandboxFactory, seed: number, budgets: Budgets): Promise<ExerciseRun[]> {
  const runs: ExerciseRun[] = [];
  try {
    for (const j of jobs) runs.push(await gradeExercise(cachedGrader(graders[j.exerciseId]), j.code, { seed, budgets, sandboxes, fileName: j.fileName }));
  } finally {
    sandboxes.close();
  }
  return runs;
}

/** Grades in a QuickJS worker thread, stopped by a wall-clock watchdog; null when the watchdog or a crash ended it. */
function gradeInWorker(jobs: Job[], seed: number, budgets: Budgets, wallMs: number): Promise<{ runs: ExerciseRun[] } | { stopped: string }> {
  return new Promise((resolve) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'grade', jobs, seed, budgets }, resourceLimits: { stackSizeMb: 16, maxOldGenerationSizeMb: 1024 } });
    const timer = setTimeout(() => {
      void w.terminate();
      resolve({ stopped: `grading was stopped after ${Math.round(wallMs / 1000)} s of wall-clock time` });
    }, wallMs);
    w.once('message', (m: { runs?: ExerciseRun[]; error?: string }) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(m.runs ? { runs: m.runs } : { stopped: `the grading worker failed: ${m.error}` });
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolve({ stopped: `the grading worker failed: ${oneLine(e)}` });
    });
  });
}

/** Every regular file under `dir` (symlinks not followed), sorted. */
function listFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    const st = lstatSync(p);
    return st.isDirectory() ? listFiles(p) : st.isFile() ? [p] : [];
  });
}

/** The Gradescope user name(s) of this submission, from submission_metadata.json when present. */
export function gradescopeNames(root: string): string | null {
  try {
    const meta = JSON.parse(readFileSync(join(root, 'submission_metadata.json'), 'utf8')) as { users?: { name?: unknown }[] };
    const names = (meta.users ?? []).map((u) => u?.name).filter((n): n is string => typeof n === 'string' && n.trim() !== '');
    return names.length ? names.join(', ') : null;
  } catch {
    return null;
  }
}

/** results.json for a submission that could not be graded: score 0 and one sentence. */
function failure(reason: string, maxScore: number, seconds: number): GradescopeResults {
  return { score: 0, max_score: maxScore, execution_time: seconds, output: reason, output_format: 'md', visibility: 'visible', stdout_visibility: 'hidden', tests: [] };
}

/** Finds, reads and grades the submission; returns results.json. */
async function grade(root: string, config: AutograderConfig, t0: number): Promise<GradescopeResults> {
  const exercises = assignmentExercises(config);
  const maxScore = exercises.reduce((s, e) => s + e.maxPoints, 0);
  const seconds = () => Math.round((performance.now() - t0) / 100) / 10;
  const subDir = join(root, 'submission');
  const files = listFiles(subDir);
  const json = files.filter((f) => f.toLowerCase().endsWith('.json'));
  if (!json.length) {
    const what = files.length ? `only ${files.map((f) => relative(subDir, f)).slice(0, 3).join(', ')}` : 'no file';
    return failure(`No submission file found (${what} was uploaded): upload the .json file that the course workspace's "Export submission" button saves.`, maxScore, seconds());
  }
  const intakes = json.map((f) => readSubmissionFile(f));
  const ok = intakes.flatMap((it) => (it.ok ? [{ file: it.file, submission: it.submission }] : []));
  if (!ok.length) {
    const bad = intakes[0] as { file: string; error: string };
    return failure(`${relative(subDir, bad.file)} could not be graded: ${bad.error}.`, maxScore, seconds());
  }
  // Several exports uploaded: the newest is graded (equal times: the later path), as the class report chooses.
  const [{ file, submission }] = [...ok].sort((a, b) => b.submission.exportedAt.localeCompare(a.submission.exportedAt) || b.file.localeCompare(a.file));
  const name = gradescopeNames(root);
  const issues: LearnerReport['issues'] = [];
  const missing = exercises.filter((e) => !submission.exercises[e.id]).map((e) => e.id);
  if (missing.length) issues.push({ severity: 'warning', message: `exercise${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the submission (0 points)` });
  if (ok.length > 1) issues.push({ severity: 'warning', message: `${ok.length} submission files were uploaded; the newest export (${relative(subDir, file)}) was graded` });
  if (submission.courseVersion !== config.course.version) issues.push({ severity: 'warning', message: `exported from course version ${submission.courseVersion}; graded with ${config.course.version}` });

  const budgets = budgetsFor(config.callTimeoutMs);
  const jobs: Job[] = exercises.filter((e) => submission.exercises[e.id]).map((e) => ({ exerciseId: e.id, code: submission.exercises[e.id].code, fileName: `${e.slug}.ts` }));
  const guest = await guestScript();
  let runs: ExerciseRun[] | null = null;
  let stopped: string | null = null;
  let engine: string;
  const ivm = loadIsolatedVm();
  if (!('error' in ivm) && process.execArgv.includes('--no-node-snapshot')) {
    engine = 'V8 isolate';
    runs = await gradeJobs(jobs, isolateFactory(guest, DEFAULT_LIMITS), config.seed, budgets);
  } else {
    engine = 'QuickJS';
    const r = await gradeInWorker(jobs, config.seed, budgets, jobs.length * 2 * budgets.exerciseMs + 5000);
    if ('runs' in r) runs = r.runs;
    else stopped = r.stopped;
  }
  const byId = new Map(jobs.map((j, i) => [j.exerciseId, runs?.[i]]));
  const exs: LearnerExercise[] = exercises.map((ex) => {
    const g = graders[ex.id];
    const sub = submission.exercises[ex.id];
    const tests = listTests(g, config.seed);
    if (!sub) return { exerciseId: ex.id, submitted: false, code: null, result: finishExercise(g, config.seed, tests.map((t) => notRunResult(t, 'error', 'not submitted')), {}), logs: [], loadError: null, cpuMs: 0 };
    const run = byId.get(ex.id);
    const answers = { c: sub.answers.c ?? undefined, freeText: sub.answers.freeText };
    const graded = run ? run.tests : tests.map((t) => notRunResult(t, 'timeout', `stopped: ${stopped}`));
    return { exerciseId: ex.id, submitted: true, code: sub.code, result: finishExercise(g, config.seed, graded, answers), logs: run?.logs ?? [], loadError: run?.loadError ?? null, cpuMs: run?.cpuMs ?? 0 };
  });
  const learner: LearnerReport = {
    learner: name ?? submission.learner,
    file: relative(subDir, file),
    exportedAt: submission.exportedAt,
    courseVersion: submission.courseVersion,
    total: { points: Math.round(exs.reduce((s, e) => s + e.result.total.points, 0) * 100) / 100, maxPoints: maxScore },
    exercises: exs,
    issues,
    resultsFile: 'results/results.json',
  };
  const who = name ? `Graded for ${name} (learner id in the file: ${submission.learner}).` : `Learner id in the file: ${submission.learner}.`;
  const preamble = [who.replace(/[\\`*_[\]<>#|]/g, '\\$&'), `${config.course.name} ${config.course.version}, ${exercises.length} exercise${exercises.length > 1 ? 's' : ''}, sandbox: ${engine}${config.secret ? '; random cases from the instructor\'s secret seed, shown once grades are published' : ''}.`];
  if (stopped) preamble.push(`Grading stopped early: ${stopped}.`);
  return gradescopeResults(exercises, learner, config.secret, { executionTime: seconds(), preamble });
}

/** Runs the autograder: never returns without a results.json in place. */
async function main(): Promise<void> {
  const t0 = performance.now();
  const config = __AUTOGRADER_CONFIG__;
  const root = process.env.AUTOGRADER_ROOT || '/autograder';
  const out = join(root, 'results', 'results.json');
  const maxScore = assignmentExercises(config).reduce((s, e) => s + e.maxPoints, 0);
  // Written whole, then renamed: whoever reads results.json (Gradescope after a kill) never sees half a file.
  const write = (r: GradescopeResults) => {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(`${out}.tmp`, JSON.stringify(r, null, 1));
    renameSync(`${out}.tmp`, out);
  };
  write(failure('The autograder stopped before it finished (a time or memory limit of Gradescope); resubmit, and tell your instructor if it happens again.', maxScore, 0));
  let results: GradescopeResults;
  try {
    results = await grade(root, config, t0);
  } catch (e) {
    results = failure(`The autograder could not grade this submission: ${oneLine(e)}`, maxScore, Math.round((performance.now() - t0) / 100) / 10);
  }
  write(results);
  process.stdout.write(`graded: ${results.score}/${results.max_score} in ${results.execution_time} s\n`);
}

if (isMainThread) {
  main().then(() => process.exit(0), (e) => {
    process.stderr.write(`autograder: ${oneLine(e)}\n`);
    process.exit(1);
  });
} else if ((workerData as { role?: string } | null)?.role === 'grade') {
  const { jobs, seed, budgets } = workerData as { jobs: Job[]; seed: number; budgets: Budgets };
  guestScript()
    .then((guest) => gradeJobs(jobs, quickjsFactory(guest, DEFAULT_LIMITS), seed, budgets))
    .then((runs) => parentPort!.postMessage({ runs }), (e) => parentPort!.postMessage({ error: oneLine(e) }));
}
