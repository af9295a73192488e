// What a learner needs to reproduce a failing test: its inputs (truncated) and the call as code they can paste.
import type { Case } from './define';
import { excerpt, fmt } from './plain';

/** Longest call text offered for copying; a bigger case is shown as an excerpt only. */
export const MAX_CALL_CHARS = 20_000;

/** The argument names of a case: its `argNames`, else arg0, arg1 …. */
export function argNames(c: Case): string[] {
  return c.args.map((_, i) => c.argNames?.[i] ?? `arg${i}`);
}

// Batch grading shares case objects across a class (instructor/case-cache.ts), and learners who fail a test mostly
// fail it on the same (shrunk) case: its excerpt and call text are made once per case. Both are only ever read.
const excerpts = new WeakMap<Case, Record<string, unknown>>();
const calls = new WeakMap<Case, string | null>();

/** The case's arguments by name, each truncated for display (at most 8 entries per axis). */
export function inputsExcerpt(c: Case): Record<string, unknown> {
  let out = excerpts.get(c);
  if (!out) {
    const names = argNames(c);
    excerpts.set(c, (out = Object.fromEntries(c.args.map((a, i) => [names[i], excerpt(a)]))));
  }
  return out;
}

/** A plain value as a TypeScript literal (−∞ as -Infinity); a function argument given as a table becomes a lookup. */
function literal(x: unknown): string {
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : fmt(x);
  if (Array.isArray(x)) return `[${x.map(literal).join(', ')}]`;
  if (x && typeof x === 'object') {
    const f = (x as { $fn?: { table: unknown } }).$fn;
    if (f && typeof f === 'object' && 'table' in f) {
      return `(...idx: number[]) => idx.reduce((t: any, i) => t[i], ${literal(f.table)})`;
    }
    return `{ ${Object.entries(x).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`).join(', ')} }`;
  }
  return x === undefined ? 'undefined' : JSON.stringify(x);
}

/**
 * Runnable code for the failing call: one `const` per argument, then the call and its checked field, e.g.
 * `const Q = [[1, 2]]; … console.log(attention(Q, K, V).weights);`. Null when it would exceed MAX_CALL_CHARS.
 */
export function callCode(c: Case): string | null {
  const known = calls.get(c);
  if (known !== undefined) return known;
  const text = callText(c);
  calls.set(c, text);
  return text;
}

function callText(c: Case): string | null {
  const names = argNames(c);
  const lines = c.args.map((a, i) => `const ${names[i]} = ${literal(a)};`);
  lines.push(`console.log(${c.fn}(${names.join(', ')})${c.field !== undefined ? `.${c.field}` : ''});`);
  const text = lines.join('\n');
  return text.length > MAX_CALL_CHARS ? null : text;
}
