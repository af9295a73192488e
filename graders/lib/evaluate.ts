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
  return { status: 'pass', message: '', value, returned: true, verdict, alloc };
}
