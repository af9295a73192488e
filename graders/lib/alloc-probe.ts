// Measures the largest array a learner call allocates, so exercise 09 can check that tiled attention never holds a
// Tq×Tk matrix. Runs inside the sandbox around one call; every patched global is restored afterwards.
//
// What is seen: `new Array(n)`/`Array(n)`, `Array.from/of`, typed-array constructors and their `from/of`, and the
// results of map/filter/fill/slice/concat/flat/push on arrays and map/slice/filter on typed arrays. Each array is
// measured when it is created (a linear cost: creating it already touched every element) and every distinct array
// seen is measured once more when the call ends (so rows filled later by index count), and an array whose elements
// are arrays counts the sum of its rows' lengths. `push` only records the array and its length (O(1)): measuring
// the whole array on every push made the probe quadratic. Not seen: an array literal (`[]`) that is only ever
// filled by index assignment and never passes through any of the above. A nested array's rows are summed at
// creation and at the end, so one emptied again before the call returns counts with its final rows. An array whose
// first element is a number is taken to be a row of numbers (its length), without looking at the rest.

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
function size(x: unknown): number {
  if (ArrayBuffer.isView(x)) return (x as unknown as { length: number }).length;
  if (!Array.isArray(x)) return 0;
  // A row of numbers (most arrays a kernel makes): O(1), since every distinct array is measured again at the end.
  if (x.length > 0 && typeof x[0] === 'number') return x.length;
  let nested = 0;
  let rows = 0;
  for (let i = 0; i < x.length; i++) {
    const r = x[i];
    if (Array.isArray(r) || ArrayBuffer.isView(r)) {
      nested += (r as unknown as { length: number }).length;
      rows++;
    }
  }
  return rows > 0 && nested > x.length ? nested : x.length;
}

/** How the report names an array (built only for a new peak: most arrays measured never are one). */
function describe(x: unknown): string {
  const n = size(x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${n})`;
  const len = (x as unknown[]).length;
  return n > len ? `Array(${len}) of arrays (${n} elements)` : `Array(${len})`;
}

/** Calls `fn` with allocation tracking switched on and returns its value and the peak allocation. */
export function withAllocProbe<T>(fn: () => T): { value: T; alloc: AllocReport } {
  const g = globalThis as unknown as Record<string, unknown>;
  // Captured before patching: the probe's own bookkeeping must not go through patched methods.
  const push = Array.prototype.push;
  const SetCtor = Set;
  const setHas = Set.prototype.has;
  const setAdd = Set.prototype.add;
  const setForEach = Set.prototype.forEach;
  const seen = new SetCtor<unknown>(); // every distinct array observed, measured once more at the end
  let peak: AllocReport = { peakElements: 0, peakWhat: 'nothing observed' };
  let recording = true;
  const remember = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object' || setHas.call(seen, v)) return false;
    setAdd.call(seen, v);
    return true;
  };
  const consider = (n: number, x: unknown) => {
    if (n > peak.peakElements) peak = { peakElements: n, peakWhat: describe(x) };
  };
  /** A newly created array (or one that just grew by an O(n) operation such as fill): measure it now. */
  const note = <V>(v: V): V => {
    if (!recording) return v;
    remember(v);
    consider(size(v), v);
    return v;
  };
  const isArray = Array.isArray;
  let lastPushed: unknown = null; // pushes come in runs on one array: skip the set lookup for those
  /** After a push: O(1) — its flat length now; its rows are summed when the call ends. */
  const notePush = (arr: unknown): void => {
    if (!recording) return;
    if (arr !== lastPushed) {
      lastPushed = arr;
      remember(arr);
    }
    if (isArray(arr) && arr.length > peak.peakElements) peak = { peakElements: arr.length, peakWhat: `Array(${arr.length})` };
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
    const apply = Reflect.apply;
    for (const m of ARRAY_METHODS) {
      if (m === 'push') {
        // The hot one (inner loops push one number at a time): no rest array, and the native push for one value.
        patch(OrigArray.prototype as unknown as Record<string, unknown>, m, (orig) => function (this: unknown[], x: unknown) {
          // eslint-disable-next-line prefer-rest-params
          const r = arguments.length === 1 ? apply(orig, this, [x]) : apply(orig, this, arguments as unknown as unknown[]);
          notePush(this);
          return r;
        });
        continue;
      }
      patch(OrigArray.prototype as unknown as Record<string, unknown>, m, (orig) => function (this: unknown[], ...a: unknown[]) {
        const r = orig.apply(this, a);
        note(m === 'fill' ? this : r);
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
    // Measure every distinct array seen once more: rows filled by index (or pushed into) after creation count now.
    setForEach.call(seen, (v: unknown) => consider(size(v), v));
    const n = size(value);
    if (n > peak.peakElements) peak = { peakElements: n, peakWhat: `${describe(value)} (the returned value)` };
    return { value, alloc: peak };
  } finally {
    recording = false;
    for (let i = restore.length - 1; i >= 0; i--) restore[i]();
  }
}
