// Grades one exercise of one submission: the trusted grader runs here (host realm); only the learner's calls
// cross into a sandbox (sandbox/sandbox.ts). Owns the time budgets per call, per test and per exercise, and restarts a
// sandbox whose engine failed, so one bad call cannot take the rest of the exercise with it.
import type { Grader } from '../graders/lib/define';
import type { CallOptions, CallOutcome, LearnerHost } from '../graders/lib/host';
import { transpileLearner } from '../graders/lib/learner-module';
import type { Answers, GradeResult, TestResult } from '../graders/lib/result';
import { assemble, gradeConcept, runTest, type TestInfo } from '../graders/lib/run';
import { makeCallRequest, type CallRequest, type Sandbox, type SandboxFactory } from './sandbox/sandbox';

/** Time limits of grading, all in ms of learner CPU time (time spent inside the sandbox). */
export interface Budgets {
  /** One call of a learner function (also the file's top-level code). */
  callMs: number;
  /** One test, including the re-runs of shrinking. */
  testMs: number;
  /** One exercise of one submission, all tests together. */
  exerciseMs: number;
}

/** Budgets derived from the per-call limit: a test may take 3 calls' worth, an exercise 6. */
export function budgetsFor(callMs: number): Budgets {
  return { callMs, testMs: 3 * callMs, exerciseMs: 6 * callMs };
}

/** What grading the code of one exercise produced (parts a and b; part c depends on the learner's answers). */
export interface ExerciseRun {
  /** Results of the (a) and (b) tests, in the grader's order. */
  tests: TestResult[];
  /** Console output of the learner's code (capped). */
  logs: string[];
  /** Why the file could not be loaded, or null. */
  loadError: string | null;
  /** Learner CPU time used, ms. */
  cpuMs: number;
  /** Times the sandbox engine had to be rebuilt. */
  restarts: number;
  /**
   * True when nothing was cut short: no timeout, no memory or engine failure, no watchdog. Only a clean run is a
   * function of (code, seed) alone, so only a clean run may be reused for another learner with the same code.
   */
  clean: boolean;
}

/** A TestResult for a test that did not run (file not loadable, budget used up). */
export function notRunResult(t: TestInfo, status: 'error' | 'timeout', message: string): TestResult {
  return {
    ...t, status, message,
    expected: null, actual: null, worst: null, leaks: [], diagnosis: null, shrunk: null, alloc: null, durationMs: 0,
  };
}

const MAX_RESTARTS = 3;

/**
 * A passing test's expected and actual values say nothing an instructor needs and are most of a class report's
 * size (and of the traffic from the grading processes), so only tests that did not pass keep them (`passValues`
 * below); a passing test's duration is kept to hundredths of a ms.
 */
function lean(t: TestResult): TestResult {
  return t.status === 'pass' ? { ...t, durationMs: Math.round(t.durationMs * 100) / 100 } : t;
}

// A case's arguments are built once per worker and shared by every learner of the class (case-cache.ts) and never
// changed, so the request of a call is made once per (arguments, function, options).
const requests = new WeakMap<unknown[], Map<string, CallRequest>>();

/** makeCallRequest, memoised on the identity of `args`. */
function requestFor(fn: string, args: unknown[], options: CallOptions | undefined): CallRequest {
  let byCall = requests.get(args);
  if (!byCall) requests.set(args, (byCall = new Map()));
  const key = options === undefined ? fn : `${fn}\0${JSON.stringify(options)}`;
  let req = byCall.get(key);
  if (req === undefined) byCall.set(key, (req = makeCallRequest(fn, args, options)));
  return req;
}

/**
 * The scored result of one learner's exercise: the code's tests plus part (c) from the learner's answers. With
 * `secret` (an instructor's secret seed), parts (a) and (b) are scored on the random cases only: the fixed cases
 * are the same numbers on every seed, learners see their expected values in failing runs, and a lookup table of
 * them scored about 40 % of the code points. They are still run and reported, with no weight.
 */
export function finishExercise(grader: Grader, seed: number, tests: TestResult[], answers: Answers, secret = false): GradeResult {
  const r = assemble(grader, seed, [...tests, gradeConcept(grader, answers)], answers);
  return secret ? scoreRandomCasesOnly(r) : r;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** `r` with parts (a) and (b) scored on its seeded (random) tests only. */
function scoreRandomCasesOnly(r: GradeResult): GradeResult {
  const part = (p: 'a' | 'b') => {
    const mine = r.tests.filter((t) => t.part === p && t.seed !== null);
    const passed = mine.filter((t) => t.status === 'pass').length;
    const { maxPoints } = r.parts[p];
    return { points: mine.length ? round2((maxPoints * passed) / mine.length) : 0, maxPoints, passed, total: mine.length };
  };
  const parts = { a: part('a'), b: part('b'), c: r.parts.c };
  return { ...r, parts, total: { points: round2(parts.a.points + parts.b.points + parts.c.points), maxPoints: r.total.maxPoints } };
}

/** Runs the (a) and (b) tests of `code` against `grader` in sandboxes from `sandboxes`. Never throws for anything the learner's code does. */
export async function gradeExercise(
  grader: Grader,
  code: string,
  opts: { seed: number; budgets: Budgets; sandboxes: SandboxFactory; fileName?: string },
): Promise<ExerciseRun> {
  const { seed, budgets } = opts;
  const tests = grader.tests(seed);
  const infos: TestInfo[] = tests.map(({ id, part, title, seed: s }) => ({ id, part, title, seed: s }));
  const finish = (results: TestResult[], extra: Omit<ExerciseRun, 'tests' | 'clean'>, interrupted = false): ExerciseRun => ({
    tests: results,
    ...extra,
    clean: !interrupted && extra.restarts === 0 && !results.some((t) => t.status === 'timeout'),
  });

  let js: string;
  try {
    js = transpileLearner(code, opts.fileName ?? `exercise-${grader.meta.id}.ts`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return finish(infos.map((t) => notRunResult(t, 'error', message)), { logs: [], loadError: message, cpuMs: 0, restarts: 0 });
  }

  let box: Sandbox | null = null;
  let cpuMs = 0;
  let restarts = 0;
  const logs: string[] = [];
  let droppedLogs = 0;
  const collectLogs = () => {
    if (!box || box.broken) return;
    const l = box.takeLogs();
    for (const line of l.lines) if (logs.length < 200) logs.push(line); else droppedLogs++;
    droppedLogs += l.dropped;
  };
  let interrupted = false;
  const retire = () => {
    if (!box) return;
    interrupted ||= box.interrupted;
    collectLogs();
    cpuMs += box.cpuMs;
    box.dispose();
    box = null;
  };

  /** Builds the sandbox and loads the file; a load failure is final for this exercise. */
  const open = async (): Promise<string | null> => {
    box = await opts.sandboxes.open(restarts > 0); // a failed engine is not trusted again
    const r = box.load(js, Math.min(budgets.callMs, budgets.exerciseMs - spent()));
    return r.ok ? null : r.message;
  };
  const spent = () => cpuMs + (box?.cpuMs ?? 0);

  let loadError = await open();
  if (loadError) {
    retire();
    const message = `your file could not be loaded: ${loadError}`;
    return finish(infos.map((t) => notRunResult(t, 'error', message)), { logs, loadError, cpuMs, restarts }, interrupted);
  }

  // Tests often repeat a call (several tests read fields of one result; shrinking revisits cases). Grading is a
  // function of (code, seed), so an outcome that came back (return, throw, missing export) is reused for the same
  // call; a timeout or crash depends on the budget left and is never reused. Outcomes are only read, never changed.
  const memo = new Map<string, CallOutcome>();
  const results: TestResult[] = [];
  for (let i = 0; i < tests.length; i++) {
    const left = budgets.exerciseMs - spent();
    if (left <= 0) {
      results.push(notRunResult(infos[i], 'timeout', `not run: the time budget for this exercise (${budgets.exerciseMs} ms of your code's time) was used up by earlier tests`));
      continue;
    }
    const testStart = spent();
    const callSandbox = async (request: CallRequest): Promise<CallOutcome> => {
      if (!box || box.broken) {
        retire();
        if (restarts >= MAX_RESTARTS) return { kind: 'crash', message: 'the sandbox failed too often; the rest of this exercise was not run' };
        restarts++;
        const err = await open();
        if (err) return { kind: 'crash', message: `your file could not be reloaded: ${err}` };
      }
      const testLeft = budgets.testMs - (spent() - testStart);
      const exLeft = budgets.exerciseMs - spent();
      const limit = Math.min(budgets.callMs, testLeft, exLeft);
      if (limit <= 0) return { kind: 'timeout', ms: Math.round(testLeft <= 0 ? budgets.testMs : budgets.exerciseMs) };
      return box!.callRequest(request, limit);
    };
    const host: LearnerHost = {
      call: async (fn, args, options): Promise<CallOutcome> => {
        const request = requestFor(fn, args, options);
        const hit = memo.get(request.text);
        if (hit) return hit;
        const outcome = await callSandbox(request);
        if (outcome.kind === 'return' || outcome.kind === 'throw' || outcome.kind === 'missing') memo.set(request.text, outcome);
        return outcome;
      },
    };
    results.push(await runTest(grader, tests[i], host, { passValues: false }));
  }
  retire();
  if (droppedLogs) logs.push(`… ${droppedLogs} more console lines were not kept`);
  return finish(results.map(lean), { logs, loadError: null, cpuMs, restarts }, interrupted);
}
