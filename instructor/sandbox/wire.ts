// The text format that carries plain data across the QuickJS boundary, both ways. JSON cannot hold NaN,
// ±Infinity, -0 or undefined, and learners' wrong answers are full of them (a mask of -Infinity, a NaN from 0/0,
// an array hole), so those travel as one-key marker objects and come back as themselves.

// Captured at load time: inside the sandbox this module runs before the learner's code can replace JSON.
const stringify = JSON.stringify;
const parse = JSON.parse;
const isFiniteNumber = Number.isFinite;
const keysOf = Object.keys;
const isArray = Array.isArray;

const NUM = '$num';
const UNDEF = '$undef';

function replacer(this: unknown, _key: string, v: unknown): unknown {
  if (typeof v === 'number') {
    if (!isFiniteNumber(v)) return { [NUM]: v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
    if (v === 0 && 1 / v < 0) return { [NUM]: '-0' };
    return v;
  }
  if (v === undefined) return { [UNDEF]: 1 };
  return v;
}

function reviver(_key: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !isArray(v)) {
    const k = keysOf(v);
    if (k.length === 1) {
      if (k[0] === NUM) {
        const s = (v as Record<string, unknown>)[NUM];
        return s === 'NaN' ? NaN : s === 'Infinity' ? Infinity : s === '-Infinity' ? -Infinity : s === '-0' ? -0 : v;
      }
      if (k[0] === UNDEF) return undefined;
    }
  }
  return v;
}

/** Plain data → text; non-finite numbers, -0 and undefined survive the trip. */
export function encodeWire(value: unknown): string {
  return stringify(value, replacer) ?? stringify({ [UNDEF]: 1 });
}

/** Text → plain data (the inverse of encodeWire). A reviver that returns undefined deletes object keys, so
 * undefined object fields are restored in a second pass. */
export function decodeWire(text: string): unknown {
  return restoreUndefined(parse(text, reviverKeepingUndefined));
}

// JSON.parse drops a key whose reviver returns undefined; mark it instead and restore it afterwards.
const HOLE = { hole: true };
function reviverKeepingUndefined(key: string, v: unknown): unknown {
  const r = reviver(key, v);
  return r === undefined ? HOLE : r;
}
function restoreUndefined(x: unknown): unknown {
  if (x === HOLE) return undefined;
  if (isArray(x)) {
    for (let i = 0; i < x.length; i++) x[i] = restoreUndefined(x[i]);
    return x;
  }
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k of keysOf(o)) o[k] = restoreUndefined(o[k]);
  }
  return x;
}
