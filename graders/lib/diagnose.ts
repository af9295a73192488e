// Mistake diagnosis: run each known-wrong variant on the failing case; if the learner's value matches one that is
// itself wrong there, name it and point to the lesson section.
import { DEFAULT_TOL, compare, sameValue } from './compare';
import type { AllocReport } from './alloc-probe';
import type { Case, MistakeDef } from './define';
import { executeCall } from './host';
import type { Diagnosis } from './result';

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

/** True when `x` holds numbers but none of them is finite (all NaN or ±Infinity): many different bugs give that. */
function noFiniteNumber(x: unknown): boolean {
  let numbers = 0;
  let finite = 0;
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'number') {
      numbers++;
      if (Number.isFinite(v)) finite++;
    } else if (depth < 12 && v && typeof v === 'object') {
      for (const e of Array.isArray(v) ? v : Object.values(v)) if (finite === 0) walk(e, depth + 1);
    }
  };
  walk(x, 0);
  return numbers > 0 && finite === 0;
}

/** The diagnosis for a failing value: the first matching mistake (others listed in alsoMatches), or null. */
export function diagnose(mistakes: MistakeDef[], c: Case, value: unknown): Diagnosis | null {
  const [m, ...rest] = matchingMistakes(mistakes, c, value);
  if (!m) return null;
  const d = diagnosisOf(m, rest.map((r) => r.name));
  return noFiniteNumber(value) ? { ...d, symptomOnly: true } : d;
}

/**
 * Drops symptom-only diagnoses (see `Diagnosis.symptomOnly`) of a learner who passes no other test of the same
 * function: code that returns NaN everywhere matches a mistake whose signature is NaN on one case, but the mistake
 * would have passed the others.
 */
export function dropUnsupported<T extends { fn?: string; status: string; diagnosis: Diagnosis | null }>(tests: T[]): T[] {
  const passedFns = new Set(tests.filter((t) => t.status === 'pass' && t.fn !== undefined).map((t) => t.fn));
  return tests.map((t) => (t.diagnosis?.symptomOnly && !passedFns.has(t.fn) ? { ...t, diagnosis: null } : t));
}

/**
 * Resolves ambiguous diagnoses across one learner's tests: when a case matches several mistakes, the one that
 * the learner's other failures point to most often wins (a tiny case can make two different bugs look alike).
 */
export function reconcile(mistakes: MistakeDef[], diagnoses: (Diagnosis | null)[]): (Diagnosis | null)[] {
  const votes = new Map<string, number>();
  for (const d of diagnoses) if (d && d.alsoMatches.length === 0) votes.set(d.mistake, (votes.get(d.mistake) ?? 0) + 1);
  return diagnoses.map((d) => {
    if (!d || d.alsoMatches.length === 0) return d;
    const all = [d.mistake, ...d.alsoMatches];
    const best = all.reduce((a, b) => ((votes.get(b) ?? 0) > (votes.get(a) ?? 0) ? b : a));
    if (best === d.mistake) return d;
    const m = mistakes.find((x) => x.name === best);
    return m ? { ...diagnosisOf(m, all.filter((n) => n !== best)), ...(d.symptomOnly ? { symptomOnly: true } : {}) } : d;
  });
}
