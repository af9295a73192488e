// Mistake diagnosis: run each known-wrong variant on the learner's failing cases; name one only when it reproduces
// the learner's value on every failing test of a function and would pass every test of it the learner passes.
import { DEFAULT_TOL, compare, sameValue } from './compare';
import type { AllocReport } from './alloc-probe';
import type { Case, Grader, MistakeDef, TestDef } from './define';
import { executeCall } from './host';
import type { Diagnosis, TestResult } from './result';

/** What a mistake module gives on a case: its value (the selected field), and whether that value fails the case. */
interface MistakeOutput {
  ok: boolean;
  value: unknown;
  fails: boolean;
}

/**
 * Mistake modules are pure reference code and a case is never changed after `make`, so a (case, mistake) output is
 * computed once per case object (batch grading shares case objects across a class; case-cache.ts).
 */
const outputs = new WeakMap<Case, Map<MistakeDef, MistakeOutput>>();

/** The mistake's output on `c` (ok is false when it returns nothing usable), from the memo when there. */
function mistakeOutput(m: MistakeDef, c: Case): MistakeOutput {
  let byMistake = outputs.get(c);
  if (!byMistake) outputs.set(c, (byMistake = new Map()));
  let r = byMistake.get(m);
  if (!r) byMistake.set(m, (r = runMistake(m, c)));
  return r;
}

function runMistake(m: MistakeDef, c: Case): MistakeOutput {
  const none = { ok: false, value: undefined, fails: false };
  const out = executeCall(m.module, c.fn, c.args, c.probeAlloc ? { probeAlloc: true } : undefined);
  if (out.kind !== 'return') return none;
  const raw = out.value;
  const alloc = out.alloc ?? null;
  if (c.field !== undefined && (!raw || typeof raw !== 'object' || !(c.field in raw))) return none;
  const value = c.field === undefined ? raw : (raw as Record<string, unknown>)[c.field];
  return { ok: true, value, fails: failsCase(c, value, alloc) };
}

/** Whether a mistake's output fails the case: a wrong value, or a right value that fails the case's extra check (memory). */
function failsCase(c: Case, value: unknown, alloc: AllocReport | null): boolean {
  if (!compare(value, c.expected, c.check).pass) return true;
  return c.extra ? c.extra(value, alloc) !== null : false;
}

/** Computes every mistake's output on `c` ahead of time (e.g. while a page is idle), so diagnosing it only compares. */
export function warmMistakes(mistakes: MistakeDef[], c: Case): void {
  for (const m of mistakes) mistakeOutput(m, c);
}

/** All mistakes whose output on `c` is wrong and equals the learner's `value`, in declaration order. */
export function matchingMistakes(mistakes: MistakeDef[], c: Case, value: unknown): MistakeDef[] {
  const atol = c.check.kind === 'tensor' ? (c.check.atol ?? DEFAULT_TOL.atol) : 0;
  const rtol = c.check.kind === 'tensor' ? (c.check.rtol ?? DEFAULT_TOL.rtol) : 0;
  return mistakes.filter((m) => {
    const r = mistakeOutput(m, c);
    // A mistake that happens to pass this case says nothing about the learner's error.
    return r.ok && r.fails && sameValue(value, r.value, atol, rtol);
  });
}

/** The diagnosis naming mistake `m` (with the other candidates of the same case). */
export function diagnosisOf(m: MistakeDef, alsoMatches: string[]): Diagnosis {
  return { mistake: m.name, section: m.section, message: `${m.message} — see ${m.section}`, alsoMatches };
}

/** Whether mistake `m` gives a wrong value on case `c` (so a learner who passes `c` cannot have made it). */
export function mistakeFails(m: MistakeDef, c: Case): boolean {
  return mistakeOutput(m, c).fails;
}

/** "attention()" for messages. */
const call = (fn: string) => `${fn}()`;

/**
 * Names a known mistake only when the evidence of all of a learner's tests of one function agrees: it reproduces
 * the learner's value on every failing test of that function (`TestResult.matches`, computed by `runTest` on the
 * original and the shrunk case), and it would pass every test of that function the learner passes. Otherwise no
 * mistake is named and `undiagnosed` says why, naming the closest mistake in a sentence. Results without
 * `matches` (from an older runner) keep their own diagnoses.
 */
export function crossCheck(grader: Grader, seed: number, tests: TestResult[]): { tests: TestResult[]; undiagnosed: { fn: string; message: string }[] } {
  const undiagnosed: { fn: string; message: string }[] = [];
  const graded = tests.filter((t) => t.part !== 'c' && t.fn !== undefined);
  if (graded.some((t) => t.status !== 'pass' && t.matches === undefined)) return { tests, undiagnosed };
  const byFn = new Map<string, TestResult[]>();
  for (const t of graded) byFn.set(t.fn!, [...(byFn.get(t.fn!) ?? []), t]);
  const named = new Map<string, Diagnosis | null>();
  let defs: Map<string, TestDef> | null = null;
  const caseOf = (id: string): Case | null => {
    defs ??= new Map(grader.tests(seed).map((d) => [d.id, d]));
    const d = defs.get(id);
    return d ? d.make(d.params, d.seed ?? 0) : null;
  };
  for (const [fn, mine] of byFn) {
    const failed = mine.filter((t) => t.status !== 'pass');
    if (failed.length === 0) continue;
    const passed = mine.filter((t) => t.status === 'pass');
    // How many failing tests each mistake reproduces, for the evidence sentence.
    const hits = grader.mistakes.map((m) => ({ m, hit: failed.filter((t) => t.matches!.includes(m.name)).length }));
    let candidates = hits.filter((h) => h.hit === failed.length).map((h) => h.m);
    let contradicted: { m: MistakeDef; id: string } | null = null;
    for (const t of passed) {
      if (candidates.length === 0) break;
      const c = caseOf(t.id);
      if (!c) continue;
      const left = candidates.filter((m) => !mistakeFails(m, c));
      if (left.length === 0 && !contradicted) contradicted = { m: candidates[0], id: t.id };
      candidates = left;
    }
    if (candidates.length > 0) {
      const [m, ...rest] = candidates;
      const evidence = `it reproduces your value on all ${failed.length} failing test${failed.length === 1 ? '' : 's'} of ${call(fn)}` +
        (passed.length ? ` and gives the right value on the ${passed.length} you pass` : '');
      named.set(fn, { ...diagnosisOf(m, rest.map((r) => r.name)), evidence });
      continue;
    }
    named.set(fn, null);
    const best = hits.reduce((a, b) => (b.hit > a.hit ? b : a), { m: null as MistakeDef | null, hit: 0 });
    let message: string;
    if (contradicted) {
      message = `no known mistake matches ${call(fn)}: the closest ("${contradicted.m.message}") reproduces every failing test, but it would also fail ${contradicted.id}, which your code passes`;
    } else if (best.m) {
      const miss = failed.find((t) => !t.matches!.includes(best.m!.name))!;
      message = `no known mistake matches ${call(fn)}: the closest ("${best.m.message}") reproduces ${best.hit} of ${failed.length} failing tests, but not ${miss.id} (${miss.status === 'fail' ? 'a different value' : `your code ${miss.status === 'error' ? 'stopped with an error' : 'was stopped'} there`})`;
    } else {
      message = `no known mistake matches ${call(fn)}: none of the ${grader.mistakes.length} known mistakes gives your value on any of its ${failed.length} failing test${failed.length === 1 ? '' : 's'}`;
    }
    undiagnosed.push({ fn, message });
  }
  const out = tests.map((t) => {
    if (t.part === 'c' || t.fn === undefined || !named.has(t.fn)) return t;
    const d = t.status === 'pass' ? null : named.get(t.fn)!;
    return d === t.diagnosis ? t : { ...t, diagnosis: d };
  });
  return { tests: out, undiagnosed };
}
