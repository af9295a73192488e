// Comparison of a learner's value with the engine's: validate first (type, shape), then numbers within tolerance.
// Every problem becomes a precise sentence naming the index and the dimension, never an exception.
import { describe, fmt, isUnsupported } from './plain';

/** Default tolerances: |actual − expected| ≤ atol + rtol·|expected|. Float64 loops in any order stay far inside. */
export const DEFAULT_TOL = { atol: 1e-8, rtol: 1e-6 } as const;

/** Outcome of one comparison. */
export interface Verdict {
  pass: boolean;
  /** Empty on pass; otherwise the first problem, then the first few mismatches. */
  message: string;
  /** Largest error among numeric mismatches (null when the value was unusable or passed). */
  worst: { index: number[]; expected: number; actual: unknown; diff: number | null } | null;
  /** Hidden positions (per `hidden`) that received a nonzero value. */
  leaks: number[][];
}

/** A nested boolean array of any rank (true = hidden position). */
export type NestedBool = boolean | NestedBool[];

/** How to compare a nested number array (rank 0 = a single number). */
export interface TensorCheck {
  kind: 'tensor';
  /** What the value is called in messages: "weights", "S", "entropy". */
  name: string;
  /** One name per axis for messages: ["Tq", "Tk"]. */
  dims: string[];
  atol?: number;
  rtol?: number;
  /** Same shape as expected; true marks a hidden (masked) position whose value must be exactly `hiddenValue`. */
  hidden?: NestedBool;
  /** What a hidden position must hold exactly (0 for weights, −∞ for masks/scores). */
  hiddenValue?: number;
  /** Word used for hidden positions in messages ("future", "padded", "masked"). */
  hiddenWord?: string;
}

/** How to compare a shape tuple, e.g. [Tq, Tk]. */
export interface ShapeCheck {
  kind: 'shape';
  name: string;
  dims: string[];
}

/** Several named shapes returned as one object, e.g. { Q: [Tq, d_k], S: [Tq, Tk] }; the first wrong one is reported. */
export interface ShapesCheck {
  kind: 'shapes';
  /** Axis names per key: { Q: ["Tq", "d_k"], S: ["Tq", "Tk"] }; keys are checked in this order. */
  dims: Record<string, string[]>;
}

/** Exact equality of plain values (labels, integers, booleans, strings, arrays of them). */
export interface ExactCheck {
  kind: 'exact';
  name: string;
}

/** Any supported check. */
export type Check = TensorCheck | ShapeCheck | ShapesCheck | ExactCheck;

const fmtTol = (x: number) => (x !== 0 && x < 1e-3 ? x.toExponential().replace('e-', 'e−') : String(x));

const ok: Verdict = { pass: true, message: '', worst: null, leaks: [] };
const bad = (message: string): Verdict => ({ pass: false, message, worst: null, leaks: [] });
const at = (name: string, index: number[]) => name + index.map((i) => `[${i}]`).join('');

/** Shape of a rectangular nested array (the engine's expected values are always rectangular). */
export function shapeOf(x: unknown): number[] {
  const s: number[] = [];
  let cur = x;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    cur = cur[0];
  }
  return s;
}

/** Runs the check named by `check.kind`. */
export function compare(actual: unknown, expected: unknown, check: Check): Verdict {
  switch (check.kind) {
    case 'tensor':
      return compareTensor(actual, expected, check);
    case 'shape':
      return compareShape(actual, expected as number[], check);
    case 'shapes':
      return compareShapes(actual, expected as Record<string, number[]>, check);
    case 'exact':
      return compareExact(actual, expected, check.name);
  }
}

/**
 * Structural validation of `actual` against the shape of `expected`: returns the first problem as a sentence
 * ("weights[1] has 3 entries; expected Tk = 2"), or null when every leaf is a number at the right place.
 */
export function validateNested(actual: unknown, shape: number[], name: string, dims: string[]): string | null {
  // One index stack for the whole walk; a message (and its index text) is built only for the problem found.
  return nestedProblem(actual, 0, { shape, name, dims, index: [] });
}

/** What `nestedProblem` walks against (module-level functions: no closures made per comparison). */
interface NestedWalk {
  shape: number[];
  name: string;
  dims: string[];
  index: number[];
}

function nestedProblem(v: unknown, axis: number, w: NestedWalk): string | null {
  const { shape, name, dims, index } = w;
  if (axis === shape.length) {
    if (typeof v === 'number') return null;
    const here = at(name, index);
    if (Array.isArray(v)) return `${here} is an array; expected a number (${name} has ${shape.length} axes${dims.length ? `: ${dims.join(', ')}` : ''})`;
    return `${here} is ${describe(v)}; expected a number`;
  }
  if (!Array.isArray(v)) {
    if (v === undefined && index.length === 0) return `${name} is undefined — did you forget to return it?`;
    const what = axis === shape.length - 1 ? 'numbers' : 'arrays';
    return `${at(name, index)} is ${describe(v)}; expected an array of ${dims[axis] ?? `axis ${axis}`} = ${shape[axis]} ${what}`;
  }
  if (v.length !== shape[axis]) {
    return `${at(name, index)} has ${v.length} ${v.length === 1 ? 'entry' : 'entries'}; expected ${dims[axis] ?? `axis ${axis}`} = ${shape[axis]}`;
  }
  const last = axis === shape.length - 1;
  for (let i = 0; i < v.length; i++) {
    // The last axis holds numbers: checked in place, recursing only into a leaf that is not one.
    if (last && typeof v[i] === 'number') continue;
    index.push(i);
    const p = nestedProblem(v[i], axis + 1, w);
    index.pop();
    if (p) return p;
  }
  return null;
}

/** The running state of one `compareTensor` walk. */
interface TensorWalk {
  check: TensorCheck;
  depth: number;
  atol: number;
  rtol: number;
  hiddenValue: number;
  word: string;
  leaks: number[][];
  lines: string[];
  worst: Verdict['worst'];
  worstRank: number;
  mismatches: number;
  index: number[];
}

/** Compares nested numbers: validation, then exact hidden positions (leaks), then atol + rtol·|expected|. */
export function compareTensor(actual: unknown, expected: unknown, check: TensorCheck): Verdict {
  const shape = shapeOf(expected);
  const problem = validateNested(actual, shape, check.name, check.dims);
  if (problem) return bad(problem);
  const w: TensorWalk = {
    check, depth: shape.length,
    atol: check.atol ?? DEFAULT_TOL.atol,
    rtol: check.rtol ?? DEFAULT_TOL.rtol,
    hiddenValue: check.hiddenValue ?? 0,
    word: check.hiddenWord ?? 'masked',
    leaks: [], lines: [], worst: null, worstRank: -1, mismatches: 0,
    // Row-major walk over expected, actual (same shape, validated above) and the hidden mask together, with one
    // index stack: an index is copied only when it is reported.
    index: [],
  };
  visitTensor(expected, actual, check.hidden, 0, w);
  if (w.mismatches === 0) return ok;
  const { atol, rtol, hiddenValue, word, leaks, lines, mismatches, worst } = w;
  const total = shape.reduce((n, d) => n * d, 1);
  const head = leaks.length
    ? `${leaks.length} ${word} position${leaks.length > 1 ? 's' : ''} leaked (${word} entries must be exactly ${fmt(hiddenValue)})`
    : `${mismatches} of ${total} entries differ (tolerance ${fmtTol(atol)} + ${fmtTol(rtol)}·|expected|)`;
  const worstLine = worst && worst.diff !== null && mismatches > 1 ? `; largest error ${fmt(worst.diff)} at ${at(check.name, worst.index)}` : '';
  // A single number needs no summary line.
  const message = total === 1 ? lines[0] : `${head}${worstLine}: ${lines.join('; ')}${mismatches > lines.length ? '; …' : ''}`;
  return { pass: false, message, worst, leaks };
}

function visitTensor(e: unknown, a: unknown, h: unknown, axis: number, w: TensorWalk): void {
  if (axis === w.depth) return tensorLeaf(e as number, a as number, h === true, w);
  const es = e as unknown[];
  const as = a as unknown[];
  // A mask entry that is not an array hides nothing below it.
  const hs = Array.isArray(h) ? h : undefined;
  const { index } = w;
  for (let i = 0; i < es.length; i++) {
    index.push(i);
    visitTensor(es[i], as[i], hs?.[i], axis + 1, w);
    index.pop();
  }
}

function tensorLeaf(exp: number, a: number, isHidden: boolean, w: TensorWalk): void {
  const { index, lines } = w;
  if (isHidden) {
    if (!Object.is(a, w.hiddenValue) && !(a === w.hiddenValue)) {
      w.leaks.push([...index]);
      w.mismatches++;
      if (lines.length < 3) lines.push(`${at(w.check.name, index)} = ${fmt(a)} at a ${w.word} position; it must be exactly ${fmt(w.hiddenValue)}`);
    }
    return;
  }
  let good: boolean;
  let diff: number | null = null;
  if (Number.isNaN(a)) good = false;
  else if (!Number.isFinite(exp) || !Number.isFinite(a)) good = a === exp;
  else {
    diff = Math.abs(a - exp);
    good = diff <= w.atol + w.rtol * Math.abs(exp);
  }
  if (good) return;
  w.mismatches++;
  if (lines.length < 3) {
    const why = Number.isNaN(a) ? ' (NaN — an undefined operation such as 0·ln 0, ∞ − ∞ or 0/0 happened)' : '';
    lines.push(`${at(w.check.name, index)}: expected ${fmt(exp)}, got ${fmt(a)}${why}`);
  }
  // NaN and infinities rank above any finite error so they are reported as the worst entry.
  const rank = diff ?? Infinity;
  if (!w.worst || rank > w.worstRank) {
    w.worst = { index: [...index], expected: exp, actual: a, diff };
    w.worstRank = rank;
  }
}

/** Compares a shape tuple exactly, naming the dimensions: "shape of S: expected [Tq, Tk] = [2, 3], got [3, 2]". */
export function compareShape(actual: unknown, expected: number[], check: ShapeCheck): Verdict {
  const label = `shape of ${check.name}`;
  const want = `[${check.dims.join(', ')}] = [${expected.join(', ')}]`;
  if (!Array.isArray(actual)) {
    return bad(actual === undefined ? `${label} is missing — return it as a tuple ${want}` : `${label} is ${describe(actual)}; expected a tuple ${want}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const v = actual[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      return bad(`${label}[${i}] is ${describe(v)}; every entry of a shape is a non-negative integer`);
    }
  }
  if (actual.length !== expected.length) {
    return bad(`${label} has ${actual.length} ${actual.length === 1 ? 'axis' : 'axes'} [${actual.join(', ')}]; expected ${expected.length}: ${want}`);
  }
  const wrong = expected.findIndex((e, i) => actual[i] !== e);
  if (wrong < 0) return ok;
  return bad(`${label}: expected ${want}, got [${actual.join(', ')}] (axis ${wrong}, ${check.dims[wrong]}, should be ${expected[wrong]})`);
}

/** Compares an object of shapes key by key, e.g. the part (a) answer { Q, K, V, S, A, O }. */
export function compareShapes(actual: unknown, expected: Record<string, number[]>, check: ShapesCheck): Verdict {
  const keys = Object.keys(check.dims);
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || isUnsupported(actual)) {
    return bad(`the shapes should be an object { ${keys.join(', ')} }; got ${describe(actual)}`);
  }
  const wrong: string[] = [];
  for (const k of keys) {
    const v = compareShape((actual as Record<string, unknown>)[k], expected[k], { kind: 'shape', name: k, dims: check.dims[k] });
    if (!v.pass) wrong.push(v.message);
  }
  if (wrong.length === 0) return ok;
  return bad(`${wrong.length} of ${keys.length} shapes are wrong: ${wrong.join('; ')}`);
}

/** Deep exact equality of plain values, reporting the first differing index. */
export function compareExact(actual: unknown, expected: unknown, name: string): Verdict {
  const p = exactProblem(actual, expected, name, []);
  return p ? bad(p) : ok;
}

/**
 * The first difference between `a` and `e` as a sentence, or null. `index` is the path below `label` (one stack for
 * the walk): the label text is built only for the difference reported and for the keys of objects on the way.
 */
function exactProblem(a: unknown, e: unknown, label: string, index: number[]): string | null {
  if (Array.isArray(e)) {
    if (!Array.isArray(a)) return `${at(label, index)} is ${describe(a)}; expected an array of ${e.length}`;
    if (a.length !== e.length) return `${at(label, index)} has ${a.length} entries; expected ${e.length}`;
    for (let i = 0; i < e.length; i++) {
      const ai: unknown = a[i];
      const ei: unknown = e[i];
      if (ai === ei) continue;
      index.push(i);
      const p = exactProblem(ai, ei, label, index);
      index.pop();
      if (p) return p;
    }
    return null;
  }
  if (e !== null && typeof e === 'object') {
    const keys = Object.keys(e);
    const here = at(label, index);
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return `${here} is ${describe(a)}; expected an object with ${keys.join(', ')}`;
    for (const k of keys) {
      const p = exactProblem((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], `${here}.${k}`, []);
      if (p) return p;
    }
    return null;
  }
  if (Object.is(a, e) || a === e) return null;
  const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : describe(v));
  return `${at(label, index)} is ${show(a)}; expected ${show(e)}`;
}

/**
 * Whether two plain values agree within tolerance, NaN matching NaN and equal infinities matching:
 * used to recognise a known mistake in a learner's (possibly broken) output.
 */
export function sameValue(a: unknown, b: unknown, atol: number = DEFAULT_TOL.atol, rtol: number = DEFAULT_TOL.rtol): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
    return Math.abs(a - b) <= atol + rtol * Math.abs(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i], atol, rtol));
  }
  if (isUnsupported(a) || isUnsupported(b)) return false;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return false;
    return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], atol, rtol));
  }
  return Object.is(a, b);
}
