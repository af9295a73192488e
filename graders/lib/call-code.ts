// What a learner needs to reproduce a failing test: its inputs (truncated) and the call as code they can paste.
import type { Case } from './define';
import { excerpt, fmt } from './plain';

/** Longest call text offered for copying; a bigger case is shown as an excerpt only. */
export const MAX_CALL_CHARS = 20_000;

/** The argument names of a case: its `argNames`, else arg0, arg1 …. */
export function argNames(c: Case): string[] {
  return c.args.map((_, i) => c.argNames?.[i] ?? `arg${i}`);
}

/**
 * `f` remembered per case object: batch grading shares cases across a class (instructor/case-cache.ts), and learners
 * who fail a test mostly fail it on the same (shrunk) case. The results are only ever read.
 */
function perCase<R>(f: (c: Case) => R): (c: Case) => R {
  const known = new WeakMap<Case, R>();
  return (c) => {
    if (known.has(c)) return known.get(c)!;
    const r = f(c);
    known.set(c, r);
    return r;
  };
}

/** The case's arguments by name, each truncated for display (at most 8 entries per axis). */
export const inputsExcerpt = perCase((c): Record<string, unknown> => {
  const names = argNames(c);
  return Object.fromEntries(c.args.map((a, i) => [names[i], excerpt(a)]));
});

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
export const callCode = perCase(callText);

function callText(c: Case): string | null {
  const names = argNames(c);
  const lines = c.args.map((a, i) => `const ${names[i]} = ${literal(a)};`);
  lines.push(`console.log(${c.fn}(${names.join(', ')})${c.field !== undefined ? `.${c.field}` : ''});`);
  const text = lines.join('\n');
  return text.length > MAX_CALL_CHARS ? null : text;
}
