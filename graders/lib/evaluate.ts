// Turns one call outcome into a status and message: the single place that knows what pass/fail/error/timeout mean.
import { compare, type Verdict } from './compare';
import type { Case } from './define';
import type { CallOutcome } from './host';
import { describe, isUnsupported } from './plain';
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
      return { ...none, status: 'error', message: `${c.fn}() threw ${outcome.message}` };
    case 'crash':
      return { ...none, status: 'error', message: `the run of ${c.fn}() was ended: ${outcome.message}` };
    case 'return':
      break;
  }
  const alloc = outcome.alloc ?? null;
  // With `unchangedArgs` the call sent back { returned, argsAfter } (see CallOptions.keepArgs).
  const kept = c.unchangedArgs ? (outcome.value as { returned?: unknown; argsAfter?: unknown } | null) : null;
  const returnedValue = kept ? kept.returned : outcome.value;
  let value = returnedValue;
  if (c.field !== undefined) {
    const raw = returnedValue;
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
  const changed = kept ? changedArgument(c, kept.argsAfter) : null;
  if (changed) return { status: 'fail', message: changed, value, returned: true, verdict, alloc };
  const extra = c.extra ? c.extra(value, alloc) : null;
  if (extra) return { status: 'fail', message: extra, value, returned: true, verdict, alloc };
  return { status: 'pass', message: '', value, returned: true, verdict, alloc };
}

/** Where two plain values first differ, as a path and the two values ("[1].keys: 3 rows after, 2 before"), or null. */
function firstDifference(after: unknown, before: unknown, path: string): string | null {
  if (Array.isArray(before)) {
    if (!Array.isArray(after)) return `${path || 'it'} is ${describe(after)} after the call`;
    if (after.length !== before.length) return `${path || 'it'} has ${after.length} entries after the call, ${before.length} before`;
    for (let i = 0; i < before.length; i++) {
      const d = firstDifference(after[i], before[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(after)) return `${path || 'it'} is ${describe(after)} after the call`;
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of keys) {
      const d = firstDifference((after as Record<string, unknown>)[k], (before as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (Object.is(after, before) || (after === before)) return null;
  return `${path || 'it'} is ${describe(after)} after the call, ${describe(before)} before`;
}

/** The failure message when the learner changed an argument listed in `c.unchangedArgs`, else null. */
function changedArgument(c: Case, argsAfter: unknown): string | null {
  if (!Array.isArray(argsAfter)) return `${c.fn}() could not be checked for changes to its arguments`;
  for (const { index, name } of c.unchangedArgs ?? []) {
    const d = firstDifference(argsAfter[index], c.args[index], '');
    if (d) return `the value is right, but ${c.fn}() changed its argument ${name} (${name}${d.startsWith('it ') ? d.slice(2) : d}); the caller may still need it, so leave your inputs as they were and build new arrays`;
  }
  return null;
}
