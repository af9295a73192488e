// Measures the largest array a learner call allocates, so exercise 09 can check that tiled attention never holds a
// Tq×Tk matrix. Runs inside the sandbox around one call; every patched global is restored afterwards.
//
// What is seen: `new Array(n)`/`Array(n)`, `Array.from/of`, typed-array constructors and their `from/of`, and the
// results of map/filter/fill/slice/concat/flat/push on arrays and map/slice/filter on typed arrays. Arrays seen are
// measured again when the call ends (so rows filled later by index count), and an array whose elements are
// arrays counts the sum of its rows' lengths. Not seen: an array literal (`[]`) that is only ever filled by
// index assignment and never passes through any of the above.

/** The peak allocation observed during a call. */
export interface AllocReport {
  /** Elements in the largest array observed (an array of arrays counts the elements of its rows). */
  peakElements: number;
  /** What the largest one was, e.g. "Float64Array(64)" or "Array(8) of arrays (64 elements)". */
  peakWhat: string;
}

const TYPED = [
  'Float64Array', 'Float32Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array',
] as const;
const ARRAY_METHODS = ['map', 'filter', 'fill', 'slice', 'concat', 'flat', 'flatMap', 'push', 'splice', 'toSorted', 'toReversed', 'with'] as const;
const TYPED_METHODS = ['map', 'filter', 'slice', 'fill'] as const;

type AnyFn = (...a: unknown[]) => unknown;

/** Size of an array in elements: the sum of its rows' lengths when its elements are arrays. */
function measure(x: unknown): [number, string] {
  if (ArrayBuffer.isView(x)) {
    const n = (x as unknown as { length: number }).length;
    return [n, `${x.constructor.name}(${n})`];
  }
  if (!Array.isArray(x)) return [0, ''];
  let nested = 0;
  let rows = 0;
  for (let i = 0; i < x.length; i++) {
    const r = x[i];
    if (Array.isArray(r) || ArrayBuffer.isView(r)) {
      nested += (r as unknown as { length: number }).length;
      rows++;
    }
  }
  if (rows > 0 && nested > x.length) return [nested, `Array(${x.length}) of arrays (${nested} elements)`];
  return [x.length, `Array(${x.length})`];
}

/** Calls `fn` with allocation tracking switched on and returns its value and the peak allocation. */
export function withAllocProbe<T>(fn: () => T): { value: T; alloc: AllocReport } {
  const g = globalThis as unknown as Record<string, unknown>;
  // Captured before patching: the probe's own bookkeeping must not go through patched methods.
  const push = Array.prototype.push;
  const seen: unknown[] = [];
  let peak: AllocReport = { peakElements: 0, peakWhat: 'nothing observed' };
  let recording = true;
  const note = <V>(v: V): V => {
    if (!recording) return v;
    push.call(seen, v);
    const [n, what] = measure(v);
    if (n > peak.peakElements) peak = { peakElements: n, peakWhat: what };
    return v;
  };
  const restore: (() => void)[] = [];
  const patch = (obj: Record<string, unknown>, key: string, make: (orig: AnyFn) => unknown) => {
    const orig = obj[key] as AnyFn | undefined;
    if (typeof orig !== 'function') return;
    obj[key] = make(orig);
    push.call(restore, () => {
      obj[key] = orig;
    });
  };
  const OrigArray = Array;
  try {
    for (const m of ARRAY_METHODS) {
      patch(OrigArray.prototype as unknown as Record<string, unknown>, m, (orig) => function (this: unknown[], ...a: unknown[]) {
        const r = orig.apply(this, a);
        note(m === 'push' || m === 'fill' ? this : r);
        return r;
      });
    }
    patch(OrigArray as unknown as Record<string, unknown>, 'from', (orig) => (...a: unknown[]) => note(orig.apply(OrigArray, a)));
    patch(OrigArray as unknown as Record<string, unknown>, 'of', (orig) => (...a: unknown[]) => note(orig.apply(OrigArray, a)));
    g.Array = new Proxy(OrigArray, {
      construct: (t, a, nt) => note(Reflect.construct(t, a, nt === g.Array ? t : nt)),
      apply: (t, self, a) => note(Reflect.apply(t, self, a)),
    });
    push.call(restore, () => {
      g.Array = OrigArray;
    });
    for (const name of TYPED) {
      const Orig = g[name] as (new (...a: unknown[]) => unknown) & Record<string, unknown>;
      if (typeof Orig !== 'function') continue;
      const proto = Object.getPrototypeOf(Orig.prototype) as Record<string, unknown>; // %TypedArray%.prototype, shared
      if (name === 'Float64Array') for (const m of TYPED_METHODS) patch(proto, m, (orig) => function (this: unknown, ...a: unknown[]) {
        return note(orig.apply(this, a));
      });
      const wrapped: typeof Orig = new Proxy(Orig, { construct: (t, a, nt): object => note(Reflect.construct(t, a, nt === wrapped ? t : nt)) });
      g[name] = wrapped;
      push.call(restore, () => {
        g[name] = Orig;
      });
    }
    const value = fn();
    recording = false;
    // Re-measure everything seen: rows filled by index after creation count now.
    for (let i = 0; i < seen.length; i++) {
      const v = seen[i];
      const [n, what] = measure(v);
      if (n > peak.peakElements) peak = { peakElements: n, peakWhat: what };
    }
    const [n, what] = measure(value);
    if (n > peak.peakElements) peak = { peakElements: n, peakWhat: `${what} (the returned value)` };
    return { value, alloc: peak };
  } finally {
    recording = false;
    for (let i = restore.length - 1; i >= 0; i--) restore[i]();
  }
}
