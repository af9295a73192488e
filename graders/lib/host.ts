// The boundary between the trusted grader and untrusted learner code.
// The grader only ever asks a host to "call export F with these plain arguments"; the host runs the call
// wherever the learner code lives (same realm in tests, a Node worker in the CLI, a sandboxed browser worker)
// and owns the time limit. Results come back as plain data, so comparison never runs in the learner's realm.
import { toPlain, clonePlain } from './plain';
import { withAllocProbe, type AllocReport } from './alloc-probe';
import { LEARNER_LINE_OFFSET, LEARNER_SOURCE_URL } from './learner-source';

/** The exports of a learner's file, as loaded by a runner. */
export type LearnerModule = Record<string, unknown>;

/** Options of one call. */
export interface CallOptions {
  /** Record the largest array allocated during the call (exercise 09). */
  probeAlloc?: boolean;
  /**
   * The arguments are already a private copy holding no function tables (e.g. just parsed from JSON inside a
   * sandbox), so the defensive copy and `$fn` revival — an interpreted walk over every number — are skipped.
   */
  freshArgs?: boolean;
  /** Send back the arguments as they are after the call, so the grader can tell whether the learner changed them. */
  reportArgs?: boolean;
}

/** What happened when the learner's function was called. */
export type CallOutcome =
  | { kind: 'return'; value: unknown; alloc?: AllocReport; /** With `reportArgs`: the arguments after the call. */ args?: unknown[] }
  | { kind: 'throw'; message: string; /** Line in the learner's file where it was thrown, when the stack shows it. */ line?: number }
  | { kind: 'missing'; message: string }
  | { kind: 'timeout'; ms: number }
  | { kind: 'crash'; message: string };

/** Runs learner calls; a sandboxing runner implements this over a message channel. */
export interface LearnerHost {
  call(fn: string, args: unknown[], options?: CallOptions): CallOutcome | Promise<CallOutcome>;
  /**
   * Optional: several calls in one exchange with the sandbox, run in order; outcome i answers call i. A runner that
   * crosses a message boundary implements it so that e.g. one shrinking step's candidates cost one round trip.
   */
  callMany?(calls: HostCall[]): Promise<CallOutcome[]>;
}

/** One call in a `callMany` batch. */
export interface HostCall {
  fn: string;
  args: unknown[];
  options?: CallOptions;
}

/**
 * Arguments are plain data; a function argument is described as `{ $fn: { table } }` and revived inside the
 * sandbox as `(...indices) => table[i][j]…` (e.g. a mask function given as its truth table).
 */
export interface FnArg {
  $fn: { table: unknown };
}

/** Describes a function argument by its lookup table, so it can cross a message boundary. */
export function fnArg(table: unknown): FnArg {
  return { $fn: { table } };
}

function revive(x: unknown): unknown {
  if (Array.isArray(x)) {
    const out: unknown[] = [];
    // Numbers, the bulk of every tensor, are taken as they are, without a call per entry.
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      out.push(typeof v === 'number' ? v : revive(v));
    }
    return out;
  }
  if (x && typeof x === 'object') {
    const f = (x as FnArg).$fn;
    if (f && typeof f === 'object' && 'table' in f) {
      const table = clonePlain(f.table);
      return (...idx: number[]) => idx.reduce<unknown>((t, i) => (Array.isArray(t) ? t[i] : undefined), table);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = revive(v);
    return out;
  }
  return x;
}

/** Safe text of anything thrown (a hostile `toString` must not escape). */
export function thrownMessage(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`;
    return `a non-Error value: ${String(e)}`;
  } catch {
    return 'a value that cannot be printed';
  }
}

/**
 * Calls `mod[fn](...args)` synchronously and returns a plain outcome. This is the only code that touches the
 * learner's functions; sandbox workers import it and post the outcome back. Arguments are copied first so the
 * learner may mutate them freely.
 */
export function executeCall(mod: LearnerModule, fn: string, args: unknown[], options: CallOptions = {}): CallOutcome {
  let f: unknown;
  try {
    f = mod[fn];
  } catch (e) {
    return { kind: 'missing', message: `reading the export ${fn} threw ${thrownMessage(e)}` };
  }
  if (typeof f !== 'function') {
    return {
      kind: 'missing',
      message: f === undefined ? `your file does not export a function named ${fn}` : `the export ${fn} is not a function`,
    };
  }
  // `revive` copies every array and object on its way (and turns function tables into functions): one deep copy.
  const callArgs = options.freshArgs ? args : (revive(args) as unknown[]);
  const after = (): { args?: unknown[] } => (options.reportArgs ? { args: toPlain(callArgs) as unknown[] } : {});
  try {
    if (options.probeAlloc) {
      const { value, alloc } = withAllocProbe(() => (f as (...a: unknown[]) => unknown)(...callArgs));
      return { kind: 'return', value: toPlain(value), alloc, ...after() };
    }
    const value = (f as (...a: unknown[]) => unknown)(...callArgs);
    return { kind: 'return', value: toPlain(value), ...after() };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { kind: 'throw', message: 'RangeError: maximum call stack size exceeded (runaway recursion?)' };
    const line = learnerLine(e);
    return { kind: 'throw', message: thrownMessage(e), ...(line !== null ? { line } : {}) };
  }
}

/** The learner's line of the innermost stack frame in learner code (see `evaluateLearner`), or null. */
export function learnerLine(e: unknown): number | null {
  try {
    const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
    const m = new RegExp(`${LEARNER_SOURCE_URL}:(\\d+):\\d+`).exec(stack);
    const line = m ? Number(m[1]) - LEARNER_LINE_OFFSET : null;
    return line !== null && line >= 1 ? line : null;
  } catch {
    return null; // a hostile getter on the error
  }
}

/** A host that calls the module in this realm: for tests, benchmarks and trusted code (mistakes, solutions). */
export function inProcessHost(mod: LearnerModule): LearnerHost {
  return { call: (fn, args, options) => executeCall(mod, fn, args, options) };
}
