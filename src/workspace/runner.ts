// One Run: load the exercise's grader (trusted, on the page), load the learner's file into a fresh sandboxed
// worker, let the grader call the learner's functions through the sandbox one test at a time, then score. A Run
// can be started ahead of its click, while the learner pauses after an edit (`runAhead`); the click takes it.
import type { Case, Grader, TestDef } from '../../graders/lib/define';
import type { CallOptions, CallOutcome, LearnerHost } from '../../graders/lib/host';
import type { CallRequest } from '../sandbox/protocol';
import { assemble, callOptions, gradeConcept, runTest } from '../../graders/lib/run';
import { warmMistakes } from '../../graders/lib/diagnose';
import { clonePlain } from '../../graders/lib/plain';
import { GradeResult, type Answers, type TestResult } from '../../graders/lib/result';
import { DEFAULT_TIME_LIMIT_MS } from './limits';
import { LOG_LIMITS } from '../sandbox/log-format';
import { transpile } from '../sandbox/transpile';
import { batchAll, getSandbox, isLoadFailure, type LoadFailure, type LogLine, type RunSession } from '../sandbox/host';

const graderCache = new Map<string, Grader>();
// Graders only: the spec tables beside them (NN-slug.spec.ts) share the prefix.
const graderModules = import.meta.glob<{ grader: Grader }>(['../../graders/[0-9][0-9]-*.ts', '!../../graders/*.spec.ts']);

/** A whole Run never takes longer than this; later tests are reported as not run. */
export const RUN_BUDGET_MS = 30_000;

/** Loads the grader of exercise `id` ("01"); its code is split per exercise and fetched on first use. */
export async function loadGrader(id: string): Promise<Grader> {
  const key = Object.keys(graderModules).find((k) => k.includes(`/graders/${id}-`));
  if (!key) throw new Error(`no grader for exercise ${id}`);
  return (await graderModules[key]()).grader;
}

/** What one Run produced. */
export interface RunReport {
  /** The graded result (null when the file could not be loaded at all). */
  result: GradeResult | null;
  loadFailure: LoadFailure | null;
  logs: LogLine[];
  /** Wall time from Run to verdict. */
  ms: number;
  /** The learner's file as run (to quote the line that threw). */
  code?: string;
}

/** A test the runner did not start because the same function was already stopped (or the run budget is spent). */
function notRun(t: { id: string; part: 'a' | 'b'; title: string; seed: number | null }, why: string): TestResult {
  return {
    id: t.id, part: t.part, title: t.title, seed: t.seed, status: 'timeout', message: why,
    expected: null, actual: null, worst: null, leaks: [], diagnosis: null, shrunk: null, alloc: null, durationMs: 0,
  };
}

/** A stable key of a call, with non-finite numbers kept apart from null. */
function callKey(fn: string, args: unknown[], options?: CallOptions): string {
  return JSON.stringify([fn, args, options ?? null], (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `#${v}` : v));
}

/** Cases of fixed tests (no seed): they do not depend on the Run's seed, so they are built once per page. */
const fixedCases = new Map<string, Case>();

/**
 * A test whose case for its own params is built once: the case is made here to send its call ahead, and again
 * by runTest; `make` is a pure function of (params, seed), and the engine's reference values are the costly part.
 * A fixed test's case is also kept across Runs (keyed by exercise and test id).
 */
function memoMake(t: TestDef, exerciseId: string): TestDef {
  let made: Case | null = null;
  const fixedKey = t.seed === null ? `${exerciseId}|${t.id}` : null;
  return {
    ...t,
    make(params, seed) {
      if (params !== t.params || seed !== (t.seed ?? 0)) return t.make(params, seed);
      if (fixedKey === null) return (made ??= t.make(params, seed));
      let c = fixedCases.get(fixedKey);
      if (!c) fixedCases.set(fixedKey, (c = t.make(params, seed)));
      return c;
    },
  };
}

/** The first calls of a Run's tests, deduplicated (several tests often check different fields of one call). */
interface FirstCalls {
  requests: Map<string, CallRequest>;
  /** The key of each case's call by its arguments array, so answering a test needs no stringifying. */
  keyOf: Map<unknown[], { fn: string; options: string; key: string }>;
}

function firstCalls(defs: TestDef[]): FirstCalls {
  const requests = new Map<string, CallRequest>();
  const keyOf = new Map<unknown[], { fn: string; options: string; key: string }>();
  for (const t of defs) {
    try {
      const c = t.make(t.params, t.seed ?? 0);
      const options = callOptions(c);
      const key = callKey(c.fn, c.args, options);
      requests.set(key, { fn: c.fn, args: c.args, options });
      keyOf.set(c.args, { fn: c.fn, options: JSON.stringify(options ?? null), key });
    } catch {
      // A grader bug surfaces when runTest makes the case again.
    }
  }
  return { requests, keyOf };
}

/**
 * Sends calls to the sandbox with one batch in flight at a time: calls asked for meanwhile (by tests running side
 * by side) wait and go together in the next batch, so N tests shrinking at once cost one exchange per round, not
 * N. (One batch at a time also keeps each batch's reply deadline its own: nothing waits in the frame's queue.)
 */
function coalesced(session: RunSession): (calls: CallRequest[]) => Promise<CallOutcome[]> {
  let waiting: { calls: CallRequest[]; done: (o: CallOutcome[]) => void; fail: (e: unknown) => void }[] = [];
  let busy = false;
  const flush = async () => {
    while (waiting.length) {
      const group = waiting;
      waiting = [];
      try {
        const outs = await batchAll(session.batch, group.flatMap((g) => g.calls));
        let k = 0;
        for (const g of group) g.done(outs.slice(k, (k += g.calls.length)));
      } catch (e) {
        for (const g of group) g.fail(e);
      }
    }
    busy = false;
  };
  return (calls) =>
    new Promise((done, fail) => {
      waiting.push({ calls, done, fail });
      if (!busy) {
        busy = true;
        // A task (not a microtask): every test that is about to ask within this turn has asked by then.
        nextTask(() => void flush());
      }
    });
}

/** Runs `fn` in a new task without setTimeout's clamping. */
const ticks: (() => void)[] = [];
const tick = new MessageChannel();
tick.port1.onmessage = () => ticks.shift()?.();
function nextTask(fn: () => void): void {
  ticks.push(fn);
  tick.port2.postMessage(0);
}

/**
 * A host that answers the calls sent ahead with the code (one exchange with the sandbox for most of a Run) and
 * sends any others (shrinking, calls after a stop) in coalesced batches; `callMany` takes a shrinking step at once.
 */
async function prefetched(first: FirstCalls, session: RunSession): Promise<LearnerHost> {
  const outcomes = await session.first;
  const answered = new Map<string, CallOutcome>();
  // A stopped batch answers only up to the stop; later calls go to the sandbox again.
  const keys = [...first.requests.keys()];
  outcomes.forEach((o, i) => answered.set(keys[i], o));
  const handedOut = new Set<CallOutcome>();
  const known = (fn: string, args: unknown[], options?: CallOptions) => {
    const k = first.keyOf.get(args);
    const hit = answered.get(k && k.fn === fn && k.options === JSON.stringify(options ?? null) ? k.key : callKey(fn, args, options));
    if (!hit || !handedOut.has(hit)) {
      if (hit) handedOut.add(hit);
      return hit;
    }
    // Each test has its own copy when several read one call's outcome (plain data, from toPlain); most calls are
    // read by one test, which takes the outcome itself.
    return clonePlain(hit);
  };
  const send = coalesced(session);
  return {
    call: async (fn, args, options) => known(fn, args, options) ?? (await send([{ fn, args, options }]))[0],
    async callMany(calls) {
      const out = calls.map((c) => known(c.fn, c.args, c.options));
      const missing = calls.filter((_c, i) => !out[i]);
      const got = missing.length ? await send(missing) : [];
      let k = 0;
      return out.map((o) => o ?? got[k++]);
    },
  };
}

/** After the Run's budget is spent, further calls (shrinking) are not run: their outcome is a stop. */
function budgeted(host: LearnerHost, t0: number): LearnerHost {
  const over = () => performance.now() - t0 > RUN_BUDGET_MS;
  const stop: CallOutcome = { kind: 'timeout', ms: 0 };
  return {
    call: (fn, args, options) => (over() ? stop : host.call(fn, args, options)),
    callMany: async (calls) => (over() ? calls.map(() => stop) : host.callMany!(calls)),
  };
}

/** A Run's seed, its tests (cases built once each) and the first call of every test. */
interface Plan {
  seed: number;
  defs: TestDef[];
  first: FirstCalls;
}

function plan(grader: Grader, seed: number): Plan {
  const defs = grader.tests(seed).map((t) => memoMake(t, grader.meta.id));
  return { seed, defs, first: firstCalls(defs) };
}

/**
 * The next Run's plan per exercise, made while the page is idle: the next seed is drawn ahead, so building its
 * cases (the engine's reference values) is off the path from Run to verdict.
 */
const nextPlans = new Map<string, Plan>();

function planAhead(grader: Grader): void {
  const make = () => {
    try {
      const p = plan(grader, Math.floor(Math.random() * 2 ** 31));
      nextPlans.set(grader.meta.id, p);
      const wanted = wantedAhead.get(grader.meta.id);
      if (wanted) runAhead(grader.meta.id, wanted.code, wanted.timeLimitMs);
      whenIdle((deadline) => warmDiagnoses(grader, p, 0, deadline));
    } catch {
      // A grader bug surfaces in the Run itself, which makes its plan again.
    }
  };
  whenIdle(make, 1000);
}

type Deadline = { timeRemaining(): number };

function whenIdle(fn: (d: Deadline) => void, timeout?: number): void {
  if ('requestIdleCallback' in globalThis) requestIdleCallback(fn, timeout ? { timeout } : undefined);
  else setTimeout(() => fn({ timeRemaining: () => 5 }), 50);
}

/**
 * The known mistakes' outputs on a plan's cases, computed while the page is idle (a few cases per idle slice), so
 * diagnosing a wrong answer during the Run only compares. Stops when the plan has been used or replaced.
 */
function warmDiagnoses(grader: Grader, p: Plan, from: number, deadline: Deadline): void {
  let i = from;
  for (; i < p.defs.length && nextPlans.get(grader.meta.id) === p && deadline.timeRemaining() > 2; i++) {
    const t = p.defs[i];
    try {
      warmMistakes(grader.mistakes, t.make(t.params, t.seed ?? 0));
    } catch {
      // The Run reports grader bugs.
    }
  }
  if (i < p.defs.length && nextPlans.get(grader.meta.id) === p) whenIdle((d) => warmDiagnoses(grader, p, i, d));
}

/**
 * A Run started before its click: while the learner pauses after an edit, the code is loaded into a sandboxed
 * worker and the first call of every test of the next Run's plan is run, so a Run of that same code only grades
 * the answers (its click paints a verdict without waiting for the learner's code). Console lines wait here until
 * the Run takes it.
 */
interface AheadRun {
  code: string;
  timeLimitMs: number;
  plan: Plan;
  session: Promise<RunSession | LoadFailure>;
  logs: LogLine[];
  sink: ((l: LogLine) => void) | null;
}

const aheadRuns = new Map<string, AheadRun>();
/** Code to run ahead once the exercise's next plan is made (the edit came before it). */
const wantedAhead = new Map<string, { code: string; timeLimitMs: number }>();
/** Exercises with a Run in progress: nothing is run ahead meanwhile (it would stop that Run's sandbox run). */
const running = new Set<string>();

/** Ends a Run started ahead that no click will take; its plan goes back for exercise `id`'s next Run. */
function release(id: string, a: AheadRun): void {
  if (!nextPlans.has(id)) nextPlans.set(id, a.plan);
  void a.session.then((s) => {
    if (!isLoadFailure(s)) s.end();
  });
}

/** Ends the Run started ahead for exercise `id` (its code changed). */
function dropAhead(id: string): void {
  const a = aheadRuns.get(id);
  if (!a) return;
  aheadRuns.delete(id);
  release(id, a);
}

/**
 * Starts exercise `id`'s next Run on `code` ahead of its click (see AheadRun). Does nothing while a Run is in
 * progress or while another run holds the sandbox (the model plug-in); before the next plan is made, the plan
 * starts it when it is.
 */
export function runAhead(id: string, code: string, timeLimitMs: number): void {
  const current = aheadRuns.get(id);
  if (current?.code === code && current.timeLimitMs === timeLimitMs) return;
  dropAhead(id);
  wantedAhead.delete(id);
  if (running.size > 0 || getSandbox().busy) return;
  // A plan is made from the loaded grader, so having one means both are ready.
  const p = nextPlans.get(id);
  if (!p) {
    wantedAhead.set(id, { code, timeLimitMs });
    return;
  }
  nextPlans.delete(id);
  const a: AheadRun = {
    code,
    timeLimitMs,
    plan: p,
    logs: [],
    sink: null,
    session: getSandbox().start(
      code,
      timeLimitMs,
      // Kept for the Run that takes it, capped as a Run caps them.
      (l) => (a.sink ? a.sink(l) : a.logs.length <= LOG_LIMITS.lines && void a.logs.push(l)),
      () => [...p.first.requests.values()],
      true,
    ),
  };
  aheadRuns.set(id, a);
  // For tests and the bench: the first calls of a Run started ahead have been answered (or the file failed to load).
  void a.session.then(async (s) => {
    if (!isLoadFailure(s)) await s.first;
    performance.mark('amm:ahead-answered');
  });
}

/** The Run started ahead on exactly this code and limit, taken for the Run now clicked; any other is dropped. */
function takeAhead(id: string, code: string, limit: number): AheadRun | null {
  wantedAhead.delete(id);
  const a = aheadRuns.get(id);
  if (!a) return null;
  if (a.code !== code || a.timeLimitMs !== limit) {
    dropAhead(id);
    return null;
  }
  aheadRuns.delete(id);
  return a;
}

/** Grades `code` for exercise `id`; never throws for anything the learner's code does. */
export async function runExercise(
  id: string,
  code: string,
  answers: Answers,
  options: {
    timeLimitMs?: number;
    seed?: number;
    onLog?: (l: LogLine) => void;
    /**
     * Called with the verdict (every test's pass or fail from its own case) before a failing Run looks for the
     * smallest failing cases and known mistakes; the Run goes on once the returned promise settles (e.g. after
     * the verdict is painted). The returned report is the complete one.
     */
    onVerdict?: (r: RunReport) => Promise<void> | void;
  } = {},
): Promise<RunReport> {
  running.add(id);
  try {
    return await runOnce(id, code, answers, options);
  } finally {
    running.delete(id);
  }
}

async function runOnce(id: string, code: string, answers: Answers, options: Parameters<typeof runExercise>[3] = {}): Promise<RunReport> {
  const t0 = performance.now();
  const logs: LogLine[] = [];
  const grader = graderCache.get(id) ?? (await loadGrader(id));
  graderCache.set(id, grader);
  const limit = options.timeLimitMs ?? grader.meta.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  performance.mark('amm:run');
  const onLog = (l: LogLine) => {
    // The worker caps console output, but learner code can post to its frame directly: cap here too.
    if (logs.length > LOG_LIMITS.lines) return;
    logs.push(l);
    options.onLog?.(l);
  };
  // A Run with a given seed (instructor tools) neither takes nor leaves a Run started ahead.
  const early = options.seed === undefined ? takeAhead(id, code, limit) : null;
  const adopted = early && (await early.session);
  // Taken unless another run (the model plug-in) has stopped it since: then this Run starts afresh.
  if (early && adopted && (isLoadFailure(adopted) ? !adopted.superseded : adopted.alive())) {
    performance.mark('amm:ran-ahead');
    for (const l of early.logs) onLog(l);
    early.sink = onLog;
    return grade(grader, () => early.plan, adopted, code, answers, t0, logs, options);
  }
  if (early) release(grader.meta.id, early);
  // A Run with a given seed (instructor tools) leaves the plan made ahead for the learner's next Run.
  const ahead = options.seed === undefined ? nextPlans.get(grader.meta.id) : undefined;
  if (ahead) nextPlans.delete(grader.meta.id);
  // For the bench's breakdown: a Run without a plan made ahead builds its cases on the way to the verdict.
  performance.mark(ahead ? 'amm:planned-ahead' : 'amm:unplanned');
  let p: Plan | null = ahead ?? null;
  const seed = p?.seed ?? options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const session = await getSandbox().start(code, limit, onLog, () => {
    // Without a plan made ahead, the cases are built here, after the code is on its way to the worker.
    p ??= plan(grader, seed);
    return [...p.first.requests.values()];
  });
  return grade(grader, () => (p ??= plan(grader, seed)), session, code, answers, t0, logs, options);
}

/** Grades a Run whose code went to the sandbox with its plan's first calls (or could not be loaded). */
async function grade(
  grader: Grader,
  planOf: () => Plan,
  session: RunSession | LoadFailure,
  code: string,
  answers: Answers,
  t0: number,
  logs: LogLine[],
  options: Parameters<typeof runExercise>[3] = {},
): Promise<RunReport> {
  // The next Run's cases are built once this one is over (idle time during the Run belongs to the worker).
  if (isLoadFailure(session)) {
    if (options.seed === undefined) planAhead(grader);
    return { result: null, loadFailure: session, logs, ms: performance.now() - t0, code };
  }
  const { seed, defs, first } = planOf();
  const tests: TestResult[] = [];
  const stopped = new Set<string>();
  performance.mark('amm:loaded');
  try {
    const host = await prefetched(first, session);
    performance.mark('amm:called');
    const outcomes = await session.first;
    if (outcomes.length === first.requests.size && outcomes.every((o) => o.kind !== 'timeout' && o.kind !== 'crash')) {
      // Every first call answered and none was stopped, so no test can be skipped: the tests run side by side and
      // their shrinking exchanges with the sandbox queue up behind one another instead of waiting in turn.
      if (options.onVerdict) {
        // The verdict needs only the answers already here; shrinking and diagnosis take longer.
        const quick = await Promise.all(defs.map((t) => runTest(grader, t, host, { verdictOnly: true })));
        if (quick.some((t) => t.status !== 'pass')) {
          const result = assemble(grader, seed, [...quick, gradeConcept(grader, answers)], answers);
          await options.onVerdict({ result, loadFailure: null, logs: [...logs], ms: performance.now() - t0, code });
        }
      }
      tests.push(...(await Promise.all(defs.map((t) => runTest(grader, t, budgeted(host, t0))))));
    } else for (const t of defs) {
      const fn = stopped.size ? t.make(t.params, t.seed ?? 0).fn : '';
      if (stopped.has(fn)) {
        tests.push(notRun(t, `not run: ${fn}() was already stopped in an earlier test`));
        continue;
      }
      if (performance.now() - t0 > RUN_BUDGET_MS) {
        tests.push(notRun(t, `not run: this Run already took longer than ${RUN_BUDGET_MS / 1000} s`));
        continue;
      }
      const r = await runTest(grader, t, host);
      if (r.status === 'timeout') stopped.add(t.make(t.params, t.seed ?? 0).fn);
      tests.push(r);
    }
  } finally {
    session.end();
  }
  performance.mark('amm:graded');
  tests.push(gradeConcept(grader, answers));
  // Produced on this page by trusted code; checked against the schema before it is stored (see `checkResult`).
  const result = assemble(grader, seed, tests, answers);
  if (options.seed === undefined) planAhead(grader);
  return { result, loadFailure: null, logs, ms: performance.now() - t0, code };
}

/** Checks a result against the grading library's schema before it is stored or exported. */
export function checkResult(r: GradeResult): GradeResult {
  return GradeResult.parse(r);
}

/** Starts the sandbox, fetches the grader and plans the first Run ahead of it, so that Run is quick. */
export function prewarm(id: string, starter: string): void {
  void getSandbox().ready.catch(() => {});
  // Warms sucrase's code in the transpile worker.
  void transpile(starter);
  void loadGrader(id)
    .then((g) => {
      graderCache.set(id, g);
      // Building the first Run's cases while the learner reads also warms the engine's code.
      planAhead(g);
    })
    .catch(() => {});
}
