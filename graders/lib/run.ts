// Running a grader: list the tests of a seed, run one test (with shrinking and diagnosis), grade part (c),
// assemble the scored result. A sandboxing runner calls `runTest` once per test so it can time each one out.
import * as engine from '../../src/engine/index';
import type { Case, Grader, Params, TestDef } from './define';
import { describeParams } from './define';
import { diagnose, dropUnsupported, reconcile } from './diagnose';
import { evaluate, type Evaluation } from './evaluate';
import type { LearnerHost } from './host';
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

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

async function runCase(host: LearnerHost, c: Case): Promise<Evaluation> {
  const outcome = await host.call(c.fn, c.args, c.probeAlloc ? { probeAlloc: true } : undefined);
  return evaluate(c, outcome);
}

/** Smaller parameter sets to try: each dimension at its minimum, halved, and minus one. */
function candidates(p: Params, min: Partial<Params>, valid?: (p: Params) => boolean): Params[] {
  const out: Params[] = [];
  const seen = new Set<string>();
  for (const key of Object.keys(p)) {
    const lo = min[key];
    if (lo === undefined) continue;
    for (const v of [lo, Math.floor(p[key] / 2), p[key] - 1]) {
      if (v < lo || v >= p[key]) continue;
      const q = { ...p, [key]: v };
      const sig = JSON.stringify(q);
      if (seen.has(sig) || (valid && !valid(q))) continue;
      seen.add(sig);
      out.push(q);
    }
  }
  return out;
}

/**
 * Greedy shrinking: while some smaller parameter set (same seed) still fails, move to it. Timeouts do not count as
 * failures here (a stopped run says nothing about the smaller case).
 */
async function shrink(t: TestDef, host: LearnerHost, start: { params: Params; c: Case; ev: Evaluation }) {
  let best = start;
  let steps = 0;
  outer: while (steps < MAX_SHRINK_STEPS) {
    const qs = candidates(best.params, t.shrink?.min ?? {}, t.shrink?.valid).slice(0, MAX_SHRINK_STEPS - steps);
    // A host across a message boundary runs a step's candidates in one exchange; the first failing one still wins.
    const cs = host.callMany ? qs.map((q) => t.make(q, t.seed ?? 0)) : null;
    const outcomes = cs && host.callMany ? await host.callMany(cs.map((c) => ({ fn: c.fn, args: c.args, options: c.probeAlloc ? { probeAlloc: true } : undefined }))) : null;
    for (const [i, q] of qs.entries()) {
      if (++steps > MAX_SHRINK_STEPS) break outer;
      const c = cs ? cs[i] : t.make(q, t.seed ?? 0);
      const ev = outcomes ? evaluate(c, outcomes[i]) : await runCase(host, c);
      if (ev.status === 'fail' || ev.status === 'error') {
        best = { params: q, c, ev };
        continue outer;
      }
    }
    break;
  }
  return best;
}

/** Runs one test against the learner's code through `host`; never throws (grader bugs become status "error"). */
export async function runTest(grader: Grader, t: TestDef, host: LearnerHost): Promise<TestResult> {
  const t0 = now();
  const base = { id: t.id, part: t.part, title: t.title, seed: t.seed };
  try {
    const c0 = t.make(t.params, t.seed ?? 0);
    const ev0 = await runCase(host, c0);
    let final = { params: t.params, c: c0, ev: ev0 };
    let shrunk: TestResult['shrunk'] = null;
    if ((ev0.status === 'fail' || ev0.status === 'error') && t.shrink && t.seed !== null) {
      final = await shrink(t, host, final);
      if (final.params !== t.params) shrunk = { params: final.params, describe: final.c.describe };
    }
    const { c, ev } = final;
    // The original case tells mistakes apart best (tiny shrunk cases can make two bugs coincide); fall back to the shrunk one.
    const diagnosis =
      (ev0.status === 'fail' && ev0.returned ? diagnose(grader.mistakes, c0, ev0.value) : null) ??
      (ev.status === 'fail' && ev.returned && c !== c0 ? diagnose(grader.mistakes, c, ev.value) : null);
    const where = shrunk ? `smallest failing case (${shrunk.describe}, seed ${t.seed}): ` : '';
    const worst = ev.verdict?.worst ?? null;
    return {
      ...base,
      fn: c0.fn,
      status: ev.status,
      message: ev.status === 'pass' ? '' : where + ev.message,
      expected: excerpt(c.expected),
      actual: ev.returned ? excerpt(ev.value) : null,
      worst: worst && { index: worst.index, expected: excerpt(worst.expected), actual: excerpt(worst.actual), diff: worst.diff },
      leaks: ev.verdict?.leaks ?? [],
      diagnosis,
      shrunk,
      alloc: ev.alloc,
      durationMs: now() - t0,
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
  tests = dropUnsupported(tests);
  const resolved = reconcile(grader.mistakes, tests.map((t) => t.diagnosis));
  tests = tests.map((t, i) => (resolved[i] === t.diagnosis ? t : { ...t, diagnosis: resolved[i] }));
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
