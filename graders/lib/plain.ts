// Learner return values cross a boundary (structured clone, worker message) before they are checked.
// `toPlain` makes that copy ourselves, so every runner sees the same data and hostile values cannot crash the grader.

/** Marker for a value that plain data cannot hold (function, symbol, bigint, cycle, getter that threw …). */
export interface Unsupported {
  $unsupported: string;
}

/** True for the marker produced by `toPlain`. */
export function isUnsupported(x: unknown): x is Unsupported {
  return typeof x === 'object' && x !== null && typeof (x as Unsupported).$unsupported === 'string' && Object.keys(x).length === 1;
}

/** Limits of the copy; larger values are cut and marked, never copied whole. */
export const PLAIN_LIMITS = { depth: 12, elements: 2_000_000 } as const;

/** The state of one `toPlain` copy: elements left to copy and the objects on the current path (cycles). */
interface PlainWalk {
  budget: number;
  seen: Set<object>;
}

/**
 * Copies a value into plain JSON-like data (arrays, plain objects, numbers incl. NaN/±Infinity, strings, booleans,
 * null, undefined). Typed arrays become number arrays. Never throws.
 */
export function toPlain(value: unknown): unknown {
  return copyPlain({ budget: PLAIN_LIMITS.elements, seen: new Set() }, value, 0);
}

// Module-level functions rather than closures made per copy: `toPlain` runs on every learner call (twice when the
// arguments are reported back), and the closures cost more than the copy of a small value.

/** Reading one property can run a hostile getter: only that entry is lost, never the whole value. */
function readPlain(w: PlainWalk, o: object, key: string | number, depth: number): unknown {
  let v: unknown;
  try {
    v = (o as Record<string | number, unknown>)[key];
  } catch {
    return { $unsupported: 'a value that could not be read' };
  }
  return typeof v === 'number' ? v : copyPlain(w, v, depth + 1);
}

function copyPlain(w: PlainWalk, x: unknown, depth: number): unknown {
  try {
    if (x === null || x === undefined) return x;
    const t = typeof x;
    if (t === 'number' || t === 'string' || t === 'boolean') return x;
    if (t === 'bigint') return { $unsupported: 'a bigint' };
    if (t === 'function') return { $unsupported: 'a function' };
    if (t === 'symbol') return { $unsupported: 'a symbol' };
    const o = x as object;
    if (depth > PLAIN_LIMITS.depth) return { $unsupported: 'a value nested too deeply' };
    if (w.seen.has(o)) return { $unsupported: 'a circular reference' };
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const arr = o as unknown as ArrayLike<number | bigint>;
      if (arr.length > w.budget) return { $unsupported: `an array too large to check (${arr.length} elements)` };
      w.budget -= arr.length;
      const out: unknown[] = [];
      for (let i = 0; i < arr.length; i++) out.push(typeof arr[i] === 'bigint' ? { $unsupported: 'a bigint' } : arr[i]);
      return out;
    }
    if (Array.isArray(o)) {
      const n = o.length;
      if (n > w.budget) return { $unsupported: `an array too large to check (${n} elements)` };
      w.budget -= n;
      w.seen.add(o);
      const out: unknown[] = [];
      // Holes become undefined, which validation reports by index.
      for (let i = 0; i < n; i++) out.push(readPlain(w, o, i, depth));
      w.seen.delete(o);
      return out;
    }
    if (o instanceof Promise) return { $unsupported: 'a Promise (the function must not be async)' };
    w.seen.add(o);
    const out: Record<string, unknown> = {};
    const keys = Object.keys(o);
    if (keys.length > w.budget) return { $unsupported: 'an object with too many keys' };
    w.budget -= keys.length;
    for (const k of keys) out[k] = readPlain(w, o, k, depth);
    w.seen.delete(o);
    return out;
  } catch {
    return { $unsupported: 'a value that could not be read' };
  }
}

/** Deep copy of trusted plain data (case inputs), so a learner mutating its arguments cannot change the case. */
export function clonePlain<T>(x: T): T {
  if (Array.isArray(x)) {
    const out: unknown[] = [];
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      out.push(v !== null && typeof v === 'object' ? clonePlain(v) : v);
    }
    return out as T;
  }
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = clonePlain(v);
    return out as T;
  }
  return x;
}

/** Short human description of a value's type for messages: "a string", "undefined", "an array of 3". */
export function describe(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  if (isUnsupported(x)) return x.$unsupported;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : String(x);
  if (typeof x === 'string') return `a string (${JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x)})`;
  if (typeof x === 'boolean') return `a boolean (${x})`;
  if (typeof x === 'object') return 'an object';
  return typeof x;
}

/** Formats a number compactly for messages (6 significant digits). */
export function fmt(x: unknown): string {
  if (typeof x !== 'number') return describe(x);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(x)) return String(x);
  const s = x.toPrecision(6);
  return String(Number(s));
}

/**
 * A small JSON-safe excerpt of a value for the result: at most `max` entries per axis (rest marked "…"),
 * non-finite numbers as strings.
 */
export function excerpt(x: unknown, max = 8): unknown {
  return excerptOf(x, 0, max);
}

function excerptOf(v: unknown, depth: number, max: number): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : fmt(v);
  if (v === undefined) return null;
  if (isUnsupported(v)) return `<${v.$unsupported}>`;
  if (Array.isArray(v)) {
    if (depth > 4) return '…';
    const head: unknown[] = [];
    for (let i = 0; i < v.length && i < max; i++) head.push(excerptOf(v[i], depth + 1, max));
    if (v.length > max) head.push(`… ${v.length - max} more`);
    return head;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v).slice(0, max)) out[k] = excerptOf(e, depth + 1, max);
    return out;
  }
  if (typeof v === 'string') return v.length > 200 ? v.slice(0, 200) + '…' : v;
  return v;
}
