// Running a grader: list the tests of a seed, run one test (with shrinking and diagnosis), grade part (c),
// assemble the scored result. A sandboxing runner calls `runTest` once per test so it can time each one out.
import * as engine from '../../src/engine/index';
import type { Case, Grader, Params, TestDef } from './define';
import { describeParams } from './define';
import { callCode, inputsExcerpt } from './call-code';
import { crossCheck, diagnosisOf, matchingMistakes } from './diagnose';
import { evaluate, type Evaluation } from './evaluate';
import type { CallOptions, LearnerHost } from './host';
import { excerpt } from './plain';
import { RESULT_SCHEMA_VERSION, type Answers, type GradeResult, type PartId, type PartScore, type TestResult } from './result';
import { GRADER_VERSION } from './version';

/** What a runner needs to show or schedule a test before running it. */
export interface TestInfo {
  id: string;
  part: 'a' | 'b';
  title: string;
  seed: number | null;
}

/** The tests of a run seed, in order, as plain data. */
export function listTests(grader: Grader, seed: number): TestInfo[] {
  return grader.tests(seed).map(({ id, part, title, seed: s }) => ({ id, part, title, seed: s }));
}

/** Upper bound on re-runs while shrinking one failing case. */
export const MAX_SHRINK_STEPS = 40;

/** Candidates of one shrink step sent to the sandbox together (one exchange when the host has `callMany`). */
export const SHRINK_BATCH = 8;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The call options a case needs (runners that send calls ahead must use the same). */
export function callOptions(c: Case): CallOptions | undefined {
  if (!c.probeAlloc && !c.readOnly) return undefined;
  return { ...(c.probeAlloc ? { probeAlloc: true } : {}), ...(c.readOnly ? { reportArgs: true } : {}) };
}

async function runCase(host: LearnerHost, c: Case): Promise<Evaluation> {
  return evaluate(c, await host.call(c.fn, c.args, callOptions(c)));
}

const failing = (ev: Evaluation) => ev.status === 'fail' || ev.status === 'error';

type Step = { params: Params; c: Case; ev: Evaluation };

/**
 * Runs candidate cases in order and returns the first that fails (a timeout is not a failure: a stopped run says
 * nothing about the smaller case) and how many were run. With `callMany` the whole batch is one exchange.
 */
async function firstFailing(host: LearnerHost, batch: { params: Params; c: Case }[]): Promise<{ found: Step | null; ran: number }> {
  if (host.callMany) {
    const outcomes = await host.callMany(batch.map(({ c }) => ({ fn: c.fn, args: c.args, options: callOptions(c) })));
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (!outcome) break;
      const ev = evaluate(batch[i].c, outcome);
      // Counted as if run one by one, so the step budget (and the shrunk case) never depends on the host.
      if (failing(ev)) return { found: { ...batch[i], ev }, ran: i + 1 };
    }
    return { found: null, ran: batch.length };
  }
  for (let i = 0; i < batch.length; i++) {
    const ev = await runCase(host, batch[i].c);
    if (failing(ev)) return { found: { ...batch[i], ev }, ran: i + 1 };
  }
  return { found: null, ran: batch.length };
}

/**
 * fast-check's shrinking, run through the host: take the shrink stream of the current failing params (from the
 * test's arbitrary), evaluate its candidates SHRINK_BATCH at a time, move to the first that still fails, repeat.
 * Each case is re-made from the same seed with the smaller params, so its numbers stay reproducible.
 */
async function shrink(t: TestDef, host: LearnerHost, start: Step): Promise<Step> {
  const shrinker = t.shrink!;
  let best = start;
  let steps = 0;
  while (steps < MAX_SHRINK_STEPS) {
    const stream = shrinker.candidates(best.params)[Symbol.iterator]();
    let moved = false;
    while (!moved && steps < MAX_SHRINK_STEPS) {
      const batch: { params: Params; c: Case }[] = [];
      while (batch.length < SHRINK_BATCH && steps + batch.length < MAX_SHRINK_STEPS) {
        const next = stream.next();
        if (next.done) break;
        batch.push({ params: next.value, c: t.make(next.value, t.seed ?? 0) });
      }
      if (batch.length === 0) break;
      const { found, ran } = await firstFailing(host, batch);
      steps += ran;
      if (found) {
        best = found;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return best;
}

/** Names of the mistakes that reproduce the learner's value on every failing case of this test (original and shrunk). */
function reproducing(grader: Grader, cases: { c: Case; ev: Evaluation }[]): string[] {
  let names: string[] | null = null;
  for (const { c, ev } of cases) {
    // A mistake returns a value; it cannot reproduce a throw, a crash or a stop.
    const here = ev.status === 'fail' && ev.returned ? matchingMistakes(grader.mistakes, c, ev.value).map((m) => m.name) : [];
    names = names === null ? here : names.filter((n) => here.includes(n));
  }
  return names ?? [];
}

/** Cases of fixed tests, per grader and test id: the same on every seed, so made once and reused by every grade. */
const fixedCases = new WeakMap<Grader, Map<string, Case>>();

/** The case of test `t`: made from its seed, or for a fixed test taken from (or put in) the cache. */
function caseOf(grader: Grader, t: TestDef): Case {
  if (t.seed !== null) return t.make(t.params, t.seed);
  let byId = fixedCases.get(grader);
  if (!byId) fixedCases.set(grader, (byId = new Map()));
  let c = byId.get(t.id);
  if (!c) byId.set(t.id, (c = t.make(t.params, 0)));
  return c;
}

/** Options of `runTest`. */
export interface RunTestOptions {
  /**
   * The verdict from the test's own case only: no shrinking, no diagnosis, no inputs or call code. Its status is
   * the full run's (a shrunk case still fails), so a runner can show it while the rest is worked out.
   */
  verdictOnly?: boolean;
  /**
   * False: a passing test's result carries no expected or actual value (both null). Batch grading drops them from
   * its reports anyway, and making their excerpts for every passing test of a class is wasted work.
   */
  passValues?: boolean;
}

/** The fields of a test's result that come from one evaluated case: status, message, values, worst index, leaks. */
function caseFields(c: Case, ev: Evaluation, where: string, values = true) {
  const worst = ev.verdict?.worst ?? null;
  const shown = values || ev.status !== 'pass';
  return {
    status: ev.status,
    message: ev.status === 'pass' ? '' : where + ev.message,
    expected: shown ? excerpt(c.expected) : null,
    actual: shown && ev.returned ? excerpt(ev.value) : null,
    worst: worst && { index: worst.index, expected: excerpt(worst.expected), actual: excerpt(worst.actual), diff: worst.diff },
    leaks: ev.verdict?.leaks ?? [],
    alloc: ev.alloc,
    ...(ev.line !== undefined ? { line: ev.line } : {}),
  };
}

/** Runs one test against the learner's code through `host`; never throws (grader bugs become status "error"). */
export async function runTest(grader: Grader, t: TestDef, host: LearnerHost, options: RunTestOptions = {}): Promise<TestResult> {
  const t0 = now();
  const base = { id: t.id, part: t.part, title: t.title, seed: t.seed };
  try {
    const c0 = caseOf(grader, t);
    const ev0 = await runCase(host, c0);
    let final: Step = { params: t.params, c: c0, ev: ev0 };
    if (options.verdictOnly) return { ...base, fn: c0.fn, ...caseFields(c0, ev0, ''), diagnosis: null, shrunk: null, durationMs: now() - t0 };
    let shrunk: TestResult['shrunk'] = null;
    if (failing(ev0) && t.shrink && t.seed !== null) {
      final = await shrink(t, host, final);
      if (final.params !== t.params) shrunk = { params: final.params, describe: final.c.describe };
    }
    const { c, ev } = final;
    const matches = ev.status === 'pass' ? [] : reproducing(grader, c === c0 ? [final] : [{ c: c0, ev: ev0 }, final]);
    const first = grader.mistakes.find((m) => m.name === matches[0]);
    // A first guess from this test alone; `assemble` keeps a name only if the learner's other tests agree.
    const diagnosis = first ? diagnosisOf(first, matches.slice(1)) : null;
    const where = shrunk ? `smallest failing case (${shrunk.describe}, seed ${t.seed}): ` : '';
    const call = ev.status === 'pass' ? null : callCode(c);
    return {
      ...base,
      fn: c0.fn,
      ...caseFields(c, ev, where, options.passValues !== false),
      diagnosis,
      shrunk,
      durationMs: now() - t0,
      ...(ev.status === 'pass' ? {} : { matches, inputs: inputsExcerpt(c), ...(call !== null ? { call } : {}) }),
    };
  } catch (e) {
    return {
      ...base,
      status: 'error',
      message: `internal grader error (not your fault): ${e instanceof Error ? e.message : String(e)}`,
      expected: null, actual: null, worst: null, leaks: [], diagnosis: null, shrunk: null, alloc: null,
      durationMs: now() - t0,
    };
  }
}

/** A test that the runner stopped (used by sandboxes when the whole test exceeded its time limit). */
export function timeoutResult(t: TestInfo, ms: number): TestResult {
  return {
    ...t, status: 'timeout', message: `stopped after ${ms} ms — is there an endless loop?`,
    expected: null, actual: null, worst: null, leaks: [], diagnosis: null, shrunk: null, alloc: null, durationMs: ms,
  };
}

/** Grades the part (c) concept answer: pass only for the correct choice; the chosen option's explanation is the feedback. */
export function gradeConcept(grader: Grader, answers: Answers): TestResult {
  const { concept } = grader.meta;
  const chosen = concept.choices.find((ch) => ch.id === answers.c);
  const status = chosen?.correct ? 'pass' : 'fail';
  const message = answers.c === undefined || answers.c === '' ? 'no answer was given for the concept question'
    : !chosen ? `"${answers.c}" is not one of the choices (${concept.choices.map((ch) => ch.id).join(', ')})`
    : chosen.correct ? '' : chosen.explanation;
  return {
    id: 'c.concept', part: 'c', title: 'the concept question about the consequence for LLMs', status, message,
    expected: null, actual: answers.c ?? null, worst: null, leaks: [], diagnosis: null, seed: null, shrunk: null, alloc: null, durationMs: 0,
  };
}

/** Rounds points to hundredths (partial credit is a fraction of a part's points). */
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Scores and packages test results. Parts (a) and (b) earn points in proportion to their passing tests;
 * part (c) is all or nothing on the concept question. The free text is stored, not graded.
 */
export function assemble(grader: Grader, seed: number, tests: TestResult[], answers: Answers): GradeResult {
  const part = (p: PartId): PartScore => {
    const mine = tests.filter((t) => t.part === p);
    const passed = mine.filter((t) => t.status === 'pass').length;
    const maxPoints = grader.meta.points[p];
    return { points: mine.length ? round2((maxPoints * passed) / mine.length) : 0, maxPoints, passed, total: mine.length };
  };
  const parts = { a: part('a'), b: part('b'), c: part('c') };
  const checked = crossCheck(grader, seed, tests);
  tests = checked.tests;
  const counts = new Map<string, { mistake: string; section: string; count: number }>();
  for (const t of tests) {
    if (!t.diagnosis) continue;
    const e = counts.get(t.diagnosis.mistake) ?? { mistake: t.diagnosis.mistake, section: t.diagnosis.section, count: 0 };
    e.count++;
    counts.set(e.mistake, e);
  }
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    exerciseId: grader.meta.id,
    graderVersion: GRADER_VERSION,
    engineVersion: engineVersion(),
    seed,
    parts,
    total: { points: round2(parts.a.points + parts.b.points + parts.c.points), maxPoints: parts.a.maxPoints + parts.b.maxPoints + parts.c.maxPoints },
    tests,
    answers: { c: answers.c ?? null, freeText: answers.freeText ?? null },
    diagnoses: [...counts.values()].sort((x, y) => y.count - x.count || x.mistake.localeCompare(y.mistake)),
    ...(checked.undiagnosed.length ? { undiagnosed: checked.undiagnosed } : {}),
    allPassed: tests.every((t) => t.status === 'pass'),
  };
}

/** The engine's version string when it exports one (ENGINE_VERSION or VERSION), else null. */
export function engineVersion(): string | null {
  const e = engine as unknown as Record<string, unknown>;
  const v = e.ENGINE_VERSION ?? e.VERSION ?? e.engineVersion;
  return typeof v === 'string' ? v : null;
}

/** Options of `grade`. */
export interface GradeOptions {
  seed: number;
  answers?: Answers;
  /** Called after each test, e.g. to stream progress. */
  onTest?: (r: TestResult) => void;
}

/** Grades every test in order through `host`, then part (c). The convenience path for tests, bench and simple runners. */
export async function grade(grader: Grader, host: LearnerHost, options: GradeOptions): Promise<GradeResult> {
  const answers = options.answers ?? {};
  const results: TestResult[] = [];
  for (const t of grader.tests(options.seed)) {
    const r = await runTest(grader, t, host);
    options.onTest?.(r);
    results.push(r);
  }
  results.push(gradeConcept(grader, answers));
  return assemble(grader, options.seed, results, answers);
}

/** Finds a test of a seed by id (runners address tests by id across a message boundary). */
export function findTest(grader: Grader, seed: number, id: string): TestDef | undefined {
  return grader.tests(seed).find((t) => t.id === id);
}

export { describeParams };
