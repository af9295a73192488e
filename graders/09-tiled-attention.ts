// Grader for exercise 09: tile shapes, one online-softmax step (against the engine's flash trace), and tiled
// attention that must equal naive attention for any block sizes while never allocating a Tq×Tk array.
import { attention2d, createRng, flashAttention, fromNested, randomTensor, toNested, zeros, type FlashStep, type Rng, type Tensor } from '../src/engine/index';
import rawMeta from '../exercises/09-tiled-attention/meta.json';
import * as dividesPerBlock from '../exercises/09-tiled-attention/mistakes/divides-per-block';
import * as dropsPartialTiles from '../exercises/09-tiled-attention/mistakes/drops-partial-tiles';
import * as maskedTileNan from '../exercises/09-tiled-attention/mistakes/masked-tile-nan';
import * as materialisesScoreMatrix from '../exercises/09-tiled-attention/mistakes/materialises-score-matrix';
import * as maxNotUpdated from '../exercises/09-tiled-attention/mistakes/max-not-updated';
import * as normaliserNotRescaled from '../exercises/09-tiled-attention/mistakes/normaliser-not-rescaled';
import * as rescaleForgotten from '../exercises/09-tiled-attention/mistakes/rescale-forgotten';
import { count, dim, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/09-tiled-attention');

const as4d = (m: number[][]): Tensor => {
  const t = fromNested(m);
  return { shape: [1, 1, ...t.shape], data: t.data };
};
const rows2d = (t: Tensor): number[][] => {
  const [, , r, c] = t.shape;
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
};

// ---------------------------------------------------------------------------------------------------------------
// Part (a): the engine's own tiles, read from its trace.

const SHAPE_DIMS = {
  qTile: ['B_q', 'd_k'], kTile: ['B_k', 'd_k'], vTile: ['B_k', 'd_v'], scoreTile: ['B_q', 'B_k'],
  rowMax: ['B_q'], rowSum: ['B_q'], accumulator: ['B_q', 'd_v'], grid: ['query tiles', 'key tiles'],
};

function buildShapesCase(Tq: number, Tk: number, D: number, Dv: number, bq: number, bk: number): Case {
  const r = flashAttention(zeros([1, 1, Tq, D]), zeros([1, 1, Tk, D]), zeros([1, 1, Tk, Dv]), { blockQ: bq, blockK: bk, trace: true });
  const steps = r.trace ?? [];
  const s = steps[0]; // the first tile is a full one (or the whole axis when a block is larger)
  const rows = s.scores.length;
  const cols = s.scores[0].length;
  return {
    fn: 'tileShapes',
    args: [Tq, Tk, D, Dv, bq, bk],
    expected: {
      qTile: [rows, D], kTile: [cols, D], vTile: [cols, Dv], scoreTile: [rows, cols],
      rowMax: [s.mAfter.length], rowSum: [s.lAfter.length], accumulator: [s.o.length, s.o[0].length],
      grid: [Math.max(...steps.map((x) => x.qBlock)) + 1, Math.max(...steps.map((x) => x.kBlock)) + 1],
    },
    check: { kind: 'shapes', dims: SHAPE_DIMS },
    describe: describeParams({ Tq, Tk, d_k: D, d_v: Dv, B_q: bq, B_k: bk }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

// ---------------------------------------------------------------------------------------------------------------
// Part (b): one online-softmax step, taken from the engine's trace.

type StateField = 'm' | 'l' | 'o';
const STATE_DIMS: Record<StateField, string[]> = { m: ['rows'], l: ['rows'], o: ['rows', 'd_v'] };

/** The state before `step`: the previous key tile's state of the same query tile, or the initial one. */
function stateBefore(trace: FlashStep[], step: FlashStep, Dv: number) {
  const prev = trace.find((s) => s.batch === step.batch && s.head === step.head && s.qBlock === step.qBlock && s.kBlock === step.kBlock - 1);
  const rows = step.rowEnd - step.rowStart;
  return { m: step.mBefore, l: step.lBefore, o: prev ? prev.o : Array.from({ length: rows }, () => new Array<number>(Dv).fill(0)) };
}

function updateCase(field: StateField, V: number[][], trace: FlashStep[], step: FlashStep): Case {
  const Dv = V[0].length;
  const expected = { m: step.mAfter, l: step.lAfter, o: step.o }[field];
  return {
    fn: 'onlineSoftmaxUpdate',
    args: [stateBefore(trace, step, Dv), step.scores, V.slice(step.colStart, step.colEnd)],
    field,
    expected,
    check: { kind: 'tensor', name: field, dims: STATE_DIMS[field] },
    describe: describeParams({ rows: step.rowEnd - step.rowStart, cols: step.colEnd - step.colStart, d_v: Dv, 'key tile': step.kBlock }),
    // The state may be updated in place and returned; the scores and values belong to the caller.
    readOnly: ['', 'scores', 'vBlock'], argNames: ['state', 'scores', 'vBlock'],
  };
}

/** Runs the engine's flash kernel with a trace on one head. */
function traced(Q: number[][], K: number[][], V: number[][], bq: number, bk: number, keep?: number[][]): FlashStep[] {
  return flashAttention(as4d(Q), as4d(K), as4d(V), { blockQ: bq, blockK: bk, trace: true, mask: keep && fromNested(keep) }).trace ?? [];
}

/** The lesson's example of 6.3: T = 12, d = 4, tiles of 4, drawn from createRng(63) like the lesson's data. */
function lessonExample() {
  const rng = createRng(63);
  const [q, k, v] = [0, 1, 2].map(() => randomTensor(rng, [1, 1, 12, 4]));
  return { Q: rows2d(q), K: rows2d(k), V: rows2d(v) };
}

/** Step of the lesson's trace where the running max rises after the first tile (rescale < 1). */
function lessonRescaleStep() {
  const { Q, K, V } = lessonExample();
  const trace = traced(Q, K, V, 4, 4);
  const step = trace.find((s) => s.kBlock > 0 && s.rescale.some((a) => a < 1)) ?? trace[1];
  return { V, trace, step };
}

/** A tile whose first row is fully masked (its state must stay m = −∞, ℓ = 0, Õ = 0) and whose second row is not. */
const MASKED = {
  Q: [[0.5, -1, 0.25], [1, 0.5, -0.5]],
  K: [[1, 0, 0.5], [0, 1, -1], [0.5, 0.5, 0.5], [-1, 0.25, 1]],
  V: [[1, 2], [3, -1], [0, 0.5], [-2, 1]],
  keep: [[0, 0, 1, 1], [1, 1, 1, 1]],
};

// ---------------------------------------------------------------------------------------------------------------
// Part (b): tiled attention against naive attention, and the memory check.

/** `causal` undefined: the call leaves the argument out, so the statement's default (false) applies. */
function tiledCase(Q: number[][], K: number[][], V: number[][], bq: number, bk: number, causal: boolean | undefined, probe = false): Case {
  const expected = attention2d(Q, K, V, { causal: causal ?? false }).output;
  const Tq = Q.length;
  const Tk = K.length;
  const limit = Math.ceil((Tq * Tk) / 2);
  return {
    fn: 'tiledAttention',
    args: causal === undefined ? [Q, K, V, bq, bk] : [Q, K, V, bq, bk, causal],
    expected,
    check: { kind: 'tensor', name: 'output', dims: ['Tq', 'd_v'] },
    describe: describeParams({ Tq, Tk, d_k: Q[0].length, d_v: V[0].length, B_q: bq, B_k: bk }) + (causal ? ', causal' : ''),
    readOnly: ['Q', 'K', 'V'], argNames: ['Q', 'K', 'V', 'blockQ', 'blockK', ...(causal === undefined ? [] : ['causal'])],
    ...(probe
      ? {
          probeAlloc: true,
          extra: (_value: unknown, alloc: { peakElements: number; peakWhat: string } | null) =>
            alloc && alloc.peakElements >= limit
              ? `the numbers are right, but your code allocated ${alloc.peakWhat}: ${alloc.peakElements} elements, at least half of the ` +
                `Tq×Tk = ${Tq}×${Tk} = ${Tq * Tk} score matrix. A tiled kernel needs only one B_q×B_k = ${bq * bk}-element ` +
                `score tile at a time (plus m, ℓ and Õ for each row)`
              : null,
        }
      : {}),
  };
}

/** Scores that grow tile after tile (q·k_j = 150·j): a running max that is never raised overflows exp(). */
const GROWING = {
  Q: [[1], [1], [0.5]],
  K: Array.from({ length: 8 }, (_, j) => [150 * j]),
  V: Array.from({ length: 8 }, (_, j) => [j % 3, 1 - (j % 2)]),
};
/**
 * Every score near −1000 (q·k with q < 0 < k): a running max started at 0 instead of −∞ makes every exp() underflow
 * to 0. With `keep`, row 0 sees nothing in the first key tile of 2.
 */
const VERY_NEGATIVE = {
  Q: [[-10], [-12], [-8.5]],
  K: [[100], [104], [99], [110], [101]],
  V: [[1, 0], [0, 1], [2, -1], [-1, 2], [0.5, 0.5]],
  keep: [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 0, 1, 1, 0]],
};
/** Three queries over ten keys: tiles of 2 × 4 divide neither length. */
const RAGGED = {
  Q: [[0.5, -1], [1, 0.25], [-0.75, 0.5]],
  K: [[1, 0], [0, 1], [0.5, 0.5], [-1, 0.25], [2, -1], [0, 0.75], [1.5, 1], [-0.5, -0.5], [0.25, 2], [1, -2]],
  V: [[1, 2], [3, -1], [0, 0.5], [-2, 1], [1, 1], [0.5, -0.5], [2, 0], [-1, 3], [0, -2], [1.5, 1.5]],
};

/**
 * Sequence lengths of the memory cases (the statement quotes them). Long enough that half a T×T array (≥ 200
 * elements) is over 3× every legitimate buffer (an input copied, or the output: T × d ≤ 72) and over the B_q × T rows
 * of scores a per-query-tile kernel holds (≤ 120); short enough that the probed calls stay cheap in a fresh sandbox
 * worker (the probe wraps push, map, slice, …).
 */
export const MEMORY_TOKENS = { min: 20, max: 24 };

type TiledDims = { Tq: number; Tk: number; d: number; dv: number; bq: number; bk: number };
type MemDims = { T: number; d: number; dv: number; bq: number; bk: number; causal: number };
type UpdDims = { Tq: number; Tk: number; d: number; dv: number; bq: number; bk: number };

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.lesson', part: 'a', title: "tile shapes for the lesson's example (T = 12, d = 4, tiles of 4 × 4)", make: () => shapesCase(12, 12, 4, 4, 4, 4) }));
  out.push(fixed({ id: 'a.shapes.ragged', part: 'a', title: 'tile shapes for 10 queries and 7 keys with tiles of 4 × 3 (neither divides)', make: () => shapesCase(10, 7, 5, 3, 4, 3) }));
  out.push(...random<TiledDims>(seed, {
    id: 'a.shapes.random', part: 'a', count: 3, min: { Tq: 1, Tk: 1, bq: 1, bk: 1 },
    params: (rng, k) => {
      const d = dim(rng, 2, 6);
      const dv = d + dim(rng, 1, 3);
      // k = 0: a block larger than the whole axis.
      const Tq = dim(rng, 2, 12);
      const Tk = Tq + dim(rng, 1, 8);
      return { Tq, Tk, d, dv, bq: k === 0 ? Tq + dim(rng, 1, 4) : dim(rng, 1, Tq), bk: dim(rng, 1, Tk - 1) };
    },
    title: (p) => `tile shapes for ${count(p.Tq, 'query', 'queries')} and ${p.Tk} keys (d_k = ${p.d}, d_v = ${p.dv}) with tiles of ${p.bq} × ${p.bk}`,
    make: (p) => shapesCase(p.Tq, p.Tk, p.d, p.dv, p.bq, p.bk),
  }));

  for (const field of ['m', 'l', 'o'] as const) {
    const word = { m: 'running max m', l: 'normaliser ℓ', o: 'partial output Õ' }[field];
    out.push(fixed({
      id: `b.update.${field}.lesson`, part: 'b', title: `${word} after a key tile that raises the running max (the lesson's 6.3 trace)`,
      make: () => {
        const { V, trace, step } = lessonRescaleStep();
        return updateCase(field, V, trace, step);
      },
    }));
    out.push(fixed({
      id: `b.update.${field}.masked-row`, part: 'b', title: `${word} after a first key tile that hides every key of row 0`,
      make: () => {
        const trace = traced(MASKED.Q, MASKED.K, MASKED.V, 2, 2, MASKED.keep);
        return updateCase(field, MASKED.V, trace, trace[0]);
      },
    }));
    out.push(fixed({
      id: `b.update.${field}.very-negative`, part: 'b', title: `${word} after a first key tile whose scores are all near −1000 (row 0 fully masked)`,
      make: () => {
        const trace = traced(VERY_NEGATIVE.Q, VERY_NEGATIVE.K, VERY_NEGATIVE.V, 3, 2, VERY_NEGATIVE.keep);
        return updateCase(field, VERY_NEGATIVE.V, trace, trace[0]);
      },
    }));
    out.push(...random<UpdDims>(seed, {
      id: `b.update.${field}.random`, part: 'b', count: 3, repeat: [2], min: { Tq: 1, d: 1, dv: 1, bq: 1 },
      valid: (p) => p.Tk > p.bk,
      params: (rng) => {
        const bk = dim(rng, 1, 4);
        const bq = dim(rng, 1, 4);
        return { Tq: dim(rng, bq, 8), Tk: bk + dim(rng, 1, 6), d: dim(rng, 1, 5), dv: dim(rng, 1, 4), bq, bk };
      },
      title: (p) => `${word} after one ${p.bq} × ${p.bk} tile step for ${count(p.Tq, 'query', 'queries')} and ${p.Tk} keys, some keys masked`,
      make: (p, s) => {
        const rng = createRng(s);
        const Q = randomMatrix(rng, p.Tq, p.d, 1.5);
        const K = randomMatrix(rng, p.Tk, p.d, 1.5);
        const V = randomMatrix(rng, p.Tk, p.dv);
        const keep = Q.map(() => K.map(() => (rng.next() < 0.8 ? 1 : 0)));
        const trace = traced(Q, K, V, p.bq, p.bk, keep);
        // A later key tile (a running state already exists) of a random query tile.
        const later = trace.filter((x) => x.kBlock > 0);
        return updateCase(field, V, trace, later[rng.int(0, later.length)]);
      },
    }));
  }

  const lesson = lessonExample();
  out.push(fixed({ id: 'b.tiled.lesson', part: 'b', title: "tiled attention on the lesson's example (T = 12, d = 4, tiles of 4 × 4)", make: () => tiledCase(lesson.Q, lesson.K, lesson.V, 4, 4, false) }));
  out.push(fixed({
    id: 'b.tiled.lesson-again', part: 'b', title: 'tiled attention on another example of the same sizes (T = 12, d = 4, tiles of 4 × 4), new numbers',
    make: () => {
      const rng = createRng(64);
      return tiledCase(randomMatrix(rng, 12, 4), randomMatrix(rng, 12, 4), randomMatrix(rng, 12, 4), 4, 4, false);
    },
  }));
  out.push(fixed({ id: 'b.tiled.very-negative-scores', part: 'b', title: 'tiled attention where every score is near −1000 (tiles of 2 × 2)', make: () => tiledCase(VERY_NEGATIVE.Q, VERY_NEGATIVE.K, VERY_NEGATIVE.V, 2, 2, false) }));
  out.push(fixed({ id: 'b.tiled.lesson-causal', part: 'b', title: "causal tiled attention on the lesson's example (tiles above the diagonal hold only hidden keys)", make: () => tiledCase(lesson.Q, lesson.K, lesson.V, 4, 4, true) }));
  out.push(fixed({ id: 'b.tiled.ragged', part: 'b', title: 'tiled attention for 3 queries over 10 keys with tiles of 2 × 4 (neither divides)', make: () => tiledCase(RAGGED.Q, RAGGED.K, RAGGED.V, 2, 4, false) }));
  out.push(fixed({ id: 'b.tiled.causal-omitted', part: 'b', title: 'tiled attention called without the causal argument (it defaults to false): 3 queries over 10 keys, tiles of 2 × 4', make: () => tiledCase(RAGGED.Q, RAGGED.K, RAGGED.V, 2, 4, undefined) }));
  out.push(fixed({ id: 'b.tiled.growing-scores', part: 'b', title: 'tiled attention where every key tile has larger scores than the last (up to 1050)', make: () => tiledCase(GROWING.Q, GROWING.K, GROWING.V, 2, 2, false) }));
  out.push(fixed({ id: 'b.tiled.blocks-of-one', part: 'b', title: 'causal tiled attention with 1 × 1 tiles (every score is its own tile)', make: () => tiledCase(lesson.Q.slice(0, 6), lesson.K.slice(0, 6), lesson.V.slice(0, 6), 1, 1, true) }));
  out.push(fixed({ id: 'b.tiled.single-token', part: 'b', title: 'tiled attention for a single token (T = 1) with tiles of 4 × 4', make: () => tiledCase([[0.5, -1]], [[1.5, 0.25]], [[3, -2]], 4, 4, true) }));
  out.push(...random<TiledDims>(seed, {
    id: 'b.tiled.random', part: 'b', count: 4, repeat: [3], min: { Tq: 1, Tk: 1, d: 1, dv: 1, bq: 1, bk: 1 },
    params: (rng, k) => {
      const Tq = k === 0 ? 1 : dim(rng, 2, 10);
      const Tk = k === 1 ? 1 : dim(rng, 2, 14);
      return { Tq, Tk, d: dim(rng, 1, 6), dv: dim(rng, 1, 4), bq: dim(rng, 1, Tq + 1), bk: dim(rng, 1, Math.max(1, Tk - 1)) };
    },
    title: (p) => `tiled attention for ${count(p.Tq, 'query', 'queries')} over ${count(p.Tk, 'key', 'keys')} (d_k = ${p.d}, d_v = ${p.dv}) with tiles of ${p.bq} × ${p.bk}`,
    make: (p, s) => {
      const rng = createRng(s);
      return tiledCase(randomMatrix(rng, p.Tq, p.d, 2), randomMatrix(rng, p.Tk, p.d, 2), randomMatrix(rng, p.Tk, p.dv), p.bq, p.bk, false);
    },
  }));
  out.push(...random<{ T: number; d: number; dv: number; bq: number; bk: number }>(seed, {
    id: 'b.tiled-causal.random', part: 'b', count: 3, repeat: [2], min: { T: 1, d: 1, dv: 1, bq: 1, bk: 1 },
    params: (rng) => {
      const T = dim(rng, 2, 13);
      return { T, d: dim(rng, 1, 6), dv: dim(rng, 1, 4), bq: dim(rng, 1, T), bk: dim(rng, 1, T) };
    },
    title: (p) => `causal tiled attention for a sequence of ${p.T} tokens (d_k = ${p.d}, d_v = ${p.dv}) with tiles of ${p.bq} × ${p.bk}`,
    make: (p, s) => {
      const rng = createRng(s);
      return tiledCase(randomMatrix(rng, p.T, p.d, 2), randomMatrix(rng, p.T, p.d, 2), randomMatrix(rng, p.T, p.dv), p.bq, p.bk, true);
    },
  }));

  const T = MEMORY_TOKENS.max;
  out.push(fixed({
    id: 'b.memory.long', part: 'b', title: `tiled attention over ${T} tokens with 4 × 4 tiles never allocates a ${T} × ${T} array`,
    make: () => {
      const rng = createRng(24);
      return tiledCase(randomMatrix(rng, T, 3), randomMatrix(rng, T, 3), randomMatrix(rng, T, 3), 4, 4, false, true);
    },
  }));
  out.push(fixed({
    id: 'b.memory.long-causal', part: 'b', title: `causal tiled attention over ${T} tokens with 3 × 4 tiles never allocates a ${T} × ${T} array`,
    make: () => {
      const rng = createRng(23);
      return tiledCase(randomMatrix(rng, T, 3), randomMatrix(rng, T, 3), randomMatrix(rng, T, 2), 3, 4, true, true);
    },
  }));
  out.push(...random<MemDims>(seed, {
    id: 'b.memory.random', part: 'b', count: 1, min: {},
    params: (rng) => ({ T: dim(rng, MEMORY_TOKENS.min, MEMORY_TOKENS.max), d: dim(rng, 1, 3), dv: dim(rng, 1, 3), bq: dim(rng, 2, 5), bk: dim(rng, 2, 5), causal: rng.int(0, 2) }),
    title: (p) => `${p.causal ? 'causal ' : ''}tiled attention over ${p.T} tokens with ${p.bq} × ${p.bk} tiles never allocates a ${p.T} × ${p.T} array`,
    make: (p, s) => {
      const rng = createRng(s);
      return tiledCase(randomMatrix(rng, p.T, p.d), randomMatrix(rng, p.T, p.d), randomMatrix(rng, p.T, p.dv), p.bq, p.bk, p.causal === 1, true);
    },
  }));
  return out;
}

/** Exercise 09's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'rescale-forgotten', module: rescaleForgotten, section: '6.3', message: 'your partial output Õ is not multiplied by exp(m_old − m_new) when the running max rises, so earlier tiles keep too much weight' },
    { name: 'normaliser-not-rescaled', module: normaliserNotRescaled, section: '6.3', message: 'your normaliser ℓ is not multiplied by exp(m_old − m_new) when the running max rises, so it mixes terms relative to different maxima' },
    { name: 'divides-per-block', module: dividesPerBlock, section: '6.3', message: 'you divide each tile’s P·V by the current ℓ as you go; keep Õ unnormalised and divide by the final ℓ once, at the end' },
    { name: 'max-not-updated', module: maxNotUpdated, section: '3.5', message: 'your running max m is never raised after the first tile, so a later, larger score overflows exp()' },
    { name: 'masked-tile-nan', module: maskedTileNan, section: '6.3', message: 'a row with no visible score yet gives exp(−∞ − (−∞)) = NaN; keep m = −∞, ℓ = 0, Õ = 0 until a visible score arrives' },
    { name: 'materialises-score-matrix', module: materialisesScoreMatrix, section: '6.2', message: 'your tiled attention builds the whole Tq×Tk score matrix first — the numbers are right but memory grows as T², which is what tiling exists to avoid' },
    { name: 'drops-partial-tiles', module: dropsPartialTiles, section: '6.3', message: 'your loops skip the last, smaller tile when a block size does not divide the length (use ⌈T / B⌉ tiles and clip the last one)' },
  ],
};
