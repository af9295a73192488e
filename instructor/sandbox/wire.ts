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

// A fast path for the common case. Most requests and answers hold only finite numbers, strings and booleans:
// then the marker-free JSON is the same data, and both sides can use the engine's native JSON without a
// replacer or reviver (inside QuickJS a JS callback per value costs more than the learner's own work).
// A message is one tag character and a body: 'J' plain JSON, 'W' the wire format above.

/** True when plain JSON carries `x` exactly (no NaN, ±Infinity, -0 or undefined anywhere). */
export function isPlainJson(x: unknown): boolean {
  if (typeof x === 'number') return x - x === 0 && (x !== 0 || 1 / x > 0);
  if (x === null || typeof x !== 'object') return x !== undefined;
  if (isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (typeof v === 'number') {
        if (v - v !== 0 || (v === 0 && 1 / v < 0)) return false;
      } else if (!isPlainJson(v)) return false;
    }
    return true;
  }
  const o = x as Record<string, unknown>;
  const k = keysOf(o);
  for (let i = 0; i < k.length; i++) if (!isPlainJson(o[k[i]])) return false;
  return true;
}

/** Tagged encoding: 'J' + plain JSON when that is exact, else 'W' + the wire format. */
export function encodeTagged(value: unknown): string {
  return isPlainJson(value) ? 'J' + stringify(value) : 'W' + encodeWire(value);
}

/** Inverse of encodeTagged (also accepts an encodeWire text tagged 'J' when it holds no markers). */
export function decodeTagged(text: string): unknown {
  const tag = text.charCodeAt(0);
  if (tag === 74 /* J */) return parse(text.slice(1));
  if (tag === 87 /* W */) return decodeWire(text.slice(1));
  throw new Error('untagged message');
}
