// Turns one call outcome into a status and message: the single place that knows what pass/fail/error/timeout mean.
import { compare, type Verdict } from './compare';
import type { Case } from './define';
import type { CallOutcome } from './host';
import { describe, fmt, isUnsupported } from './plain';
import type { TestStatus } from './result';

/** The judged outcome of one case. */
export interface Evaluation {
  status: TestStatus;
  message: string;
  /** The learner's checked value (the selected field), when the call returned. */
  value: unknown;
  /** Whether the call returned at all (a value exists to compare with mistakes). */
  returned: boolean;
  verdict: Verdict | null;
  alloc: { peakElements: number; peakWhat: string } | null;
  /** For a throw: the line of the learner's file that threw, when known. */
  line?: number;
}

/**
 * Statuses: error = the call produced no value (missing export, threw, crashed); timeout = stopped by the runner;
 * fail = a value came back but it is wrong (wrong type, shape, NaN, numbers, leaks); pass otherwise.
 */
export function evaluate(c: Case, outcome: CallOutcome): Evaluation {
  const none = { value: undefined, returned: false, verdict: null, alloc: null };
  switch (outcome.kind) {
    case 'timeout':
      return { ...none, status: 'timeout', message: `${c.fn}() was stopped after ${outcome.ms} ms — is there an endless loop?` };
    case 'missing':
      return { ...none, status: 'error', message: outcome.message };
    case 'throw':
      return outcome.line === undefined
        ? { ...none, status: 'error', message: `${c.fn}() threw ${outcome.message}` }
        : { ...none, status: 'error', message: `${c.fn}() threw ${outcome.message} (line ${outcome.line} of your file)`, line: outcome.line };
    case 'crash':
      return { ...none, status: 'error', message: `the run of ${c.fn}() was ended: ${outcome.message}` };
    case 'return':
      break;
  }
  const alloc = outcome.alloc ?? null;
  let value = outcome.value;
  if (c.field !== undefined) {
    const raw = outcome.value;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || isUnsupported(raw)) {
      return { ...none, returned: true, alloc, status: 'fail', message: `${c.fn}() returned ${describe(raw)}; expected an object with a field ${c.field}` };
    }
    value = (raw as Record<string, unknown>)[c.field];
    if (!(c.field in raw)) {
      return { ...none, returned: true, alloc, status: 'fail', message: `${c.fn}() returned an object without the field ${c.field}` };
    }
  }
  const verdict = compare(value, c.expected, c.check);
  if (!verdict.pass) return { status: 'fail', message: verdict.message, value, returned: true, verdict, alloc };
  const extra = c.extra ? c.extra(value, alloc) : null;
  if (extra) return { status: 'fail', message: extra, value, returned: true, verdict, alloc };
  // A runner that dropped the arguments cannot show they are unchanged: that must never pass silently.
  if (c.readOnly && !outcome.args) return { status: 'error', message: 'internal grader error (not your fault): the runner did not report whether the inputs changed', value, returned: true, verdict, alloc };
  const changed = changedInput(c, outcome.args);
  if (changed) return { status: 'fail', message: changed, value, returned: true, verdict, alloc };
  return { status: 'pass', message: '', value, returned: true, verdict, alloc };
}

/** The first place where `after` differs from `before` (exact, NaN = NaN), as an index path, or null. */
function firstChange(before: unknown, after: unknown): number[] | null {
  const path: number[] = [];
  return differs(before, after, path) ? path : null;
}

/** Whether `after` differs from `before`; `path` holds the indices down to the first difference (no copies on the way). */
function differs(before: unknown, after: unknown, path: number[]): boolean {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return true;
    for (let i = 0; i < before.length; i++) {
      const b: unknown = before[i];
      const a: unknown = after[i];
      // Numbers, the bulk of every tensor, are compared here, without a call and a path entry each.
      if (typeof b === 'number' && typeof a === 'number' && (Object.is(b, a) || b === a)) continue;
      path.push(i);
      if (differs(b, a, path)) return true;
      path.pop();
    }
    return false;
  }
  if (typeof before === 'number' && typeof after === 'number') return !(Object.is(before, after) || before === after);
  if (before && after && typeof before === 'object' && typeof after === 'object') return JSON.stringify(before) !== JSON.stringify(after);
  return !Object.is(before, after);
}

/**
 * For a case whose statement makes arguments read-only: a message naming the first argument the call changed and
 * where, or null (`evaluate` refuses a case whose runner did not report the arguments).
 */
export function changedInput(c: Case, after: unknown[] | undefined): string | null {
  if (!c.readOnly || !after) return null;
  for (let a = 0; a < c.readOnly.length; a++) {
    const name = c.readOnly[a];
    if (!name) continue;
    const at = firstChange(c.args[a], after[a]);
    if (!at) continue;
    const get = (x: unknown) => at.reduce<unknown>((v, i) => (Array.isArray(v) ? v[i] : undefined), x);
    const where = at.length ? `${name}${at.map((i) => `[${i}]`).join('')}` : name;
    const what = at.length && typeof get(c.args[a]) === 'number' ? ` (was ${fmt(get(c.args[a]))}, now ${fmt(get(after[a]))})` : '';
    return `${c.fn}() changed its argument ${where} in place${what}; the statement says ${c.fn}() must not change its inputs`;
  }
  return null;
}
