// Grader for exercise 04: shapes of a multi-head layer, split and merge of heads, and the full forward pass.
import fc from 'fast-check';
import { createRng, fromNested, linear, mergeHeads, multiHeadAttention, splitHeads, tensor, toNested, zeros, type Rng, type Tensor } from '../src/engine/index';
import rawMeta from '../exercises/04-multi-head/meta.json';
import * as concatWrongOrder from '../exercises/04-multi-head/mistakes/concat-wrong-order';
import * as missingOutputProjection from '../exercises/04-multi-head/mistakes/missing-output-projection';
import * as reshapeWithoutTranspose from '../exercises/04-multi-head/mistakes/reshape-without-transpose';
import * as scaleByDModel from '../exercises/04-multi-head/mistakes/scale-by-d-model';
import * as sharedSoftmaxAcrossHeads from '../exercises/04-multi-head/mistakes/shared-softmax-across-heads';
import { count, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/04-multi-head');

type Layer = { X: number[][]; Wq: number[][]; Wk: number[][]; Wv: number[][]; Wo: number[][]; h: number; causal: boolean };

/** The engine's layer on one sequence (batch axis of size 1 added here); only `field` is read back as nested arrays. */
function engineLayer(L: Layer, field: Field): unknown {
  const w = (m: number[][]) => fromNested(m);
  const r = multiHeadAttention({ x: fromNested([L.X]), wq: w(L.Wq), wk: w(L.Wk), wv: w(L.Wv), wo: w(L.Wo), heads: L.h, causal: L.causal });
  return (toNested(r[field]) as unknown[])[0];
}

const SHAPE_DIMS = {
  Q: ['T', 'd_model'], Qh: ['H', 'T', 'd_h'], S: ['H', 'T', 'T'], Oh: ['H', 'T', 'd_h'],
  concat: ['T', 'H·d_h'], Wo: ['H·d_h', 'd_model'], output: ['T', 'd_model'],
};

function engineShapes(T: number, dModel: number, h: number): Record<string, number[]> {
  const x = zeros([1, T, dModel]);
  const w = zeros([dModel, dModel]);
  const r = multiHeadAttention({ x, wq: w, wk: w, wv: w, wo: w, heads: h });
  const noBatch = (t: Tensor) => t.shape.slice(1);
  return {
    Q: noBatch(linear(x, w)), Qh: noBatch(r.q), S: noBatch(r.weights), Oh: noBatch(r.heads),
    concat: noBatch(mergeHeads(r.heads)), Wo: w.shape, output: noBatch(r.output),
  };
}

/** Part (a): every shape read off the engine's own tensors for a layer of these sizes (zeros suffice for shapes). */
function buildShapesCase(T: number, dModel: number, h: number): Case {
  return {
    fn: 'shapes',
    args: [T, dModel, h],
    argNames: ['T', 'dModel', 'H'],
    expected: engineShapes(T, dModel, h),
    check: { kind: 'shapes', dims: SHAPE_DIMS },
    describe: describeParams({ T, d_model: dModel, H: h }),
  };
}

/** The shapes case of these sizes, built once (the GPT-2-sized layer costs ~10 ms per run of the engine). */
const shapesCase = memoBySize(buildShapesCase);

function splitCase(X: number[][], h: number): Case {
  const t = splitHeads(fromNested([X]), h); // (1, h, T, d_h)
  return {
    fn: 'splitHeads',
    args: [X, h],
    argNames: ['X', 'H'],
    readOnly: ['X'],
    expected: (toNested(t) as unknown[])[0],
    check: { kind: 'tensor', name: 'heads', dims: ['H', 'T', 'd_h'] },
    describe: describeParams({ T: X.length, d_model: X[0].length, H: h }),
  };
}

function mergeCase(heads: number[][][]): Case {
  const t = mergeHeads(fromNested([heads])); // (1, T, h·d_h)
  return {
    fn: 'mergeHeads',
    args: [heads],
    argNames: ['heads'],
    readOnly: ['heads'],
    expected: (toNested(t) as unknown[])[0],
    check: { kind: 'tensor', name: 'merged', dims: ['T', 'H·d_h'] },
    describe: describeParams({ H: heads.length, T: heads[0].length, d_h: heads[0][0].length }),
  };
}

type Field = 'weights' | 'heads' | 'output';
const FIELD_DIMS: Record<Field, string[]> = { weights: ['H', 'Tq', 'Tk'], heads: ['H', 'T', 'd_h'], output: ['T', 'd_model'] };
const FIELD_WORD: Record<Field, string> = { weights: 'per-head weights', heads: 'per-head outputs', output: 'layer output' };

function forwardCase(field: Field, L: Layer): Case {
  // Future weights of a causal layer must be exactly 0.
  const hidden = L.causal && field === 'weights'
    ? Array.from({ length: L.h }, () => L.X.map((_, i) => L.X.map((__, j) => j > i)))
    : undefined;
  return {
    fn: 'multiHeadForward',
    args: [L.X, L.Wq, L.Wk, L.Wv, L.Wo, L.h, L.causal],
    argNames: ['X', 'Wq', 'Wk', 'Wv', 'Wo', 'H', 'causal'],
    readOnly: ['X', 'Wq', 'Wk', 'Wv', 'Wo'],
    field,
    expected: engineLayer(L, field),
    check: { kind: 'tensor', name: field, dims: FIELD_DIMS[field], hidden, hiddenValue: 0, hiddenWord: 'future' },
    describe: describeParams({ T: L.X.length, d_model: L.X[0].length, H: L.h }) + (L.causal ? ', causal' : ''),
  };
}

/** The lesson's toy layer of 4.2: small integers drawn exactly as the lesson draws them (seed 42). */
function toyLayer(causal: boolean): Layer {
  const rng = createRng(42);
  const ints = (rows: number, cols: number, lo: number, hi: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.int(lo, hi)));
  const X = ints(3, 4, -2, 3);
  const [Wq, Wk, Wv, Wo] = [0, 1, 2, 3].map(() => ints(4, 4, -1, 2));
  return { X, Wq, Wk, Wv, Wo, h: 2, causal };
}

/** The lesson's counting matrix: T = 3 tokens, d_model = 4, entries 0 … 11 so every number shows where it went. */
const counting = (T: number, dModel: number) => toNested(tensor([T, dModel], Array.from({ length: T * dModel }, (_, i) => i))) as number[][];

/** A random layer; `mag` scales X (mag = 6 puts logits in the hundreds, where an unshifted softmax overflows). */
function randomLayer(rng: Rng, T: number, dH: number, h: number, causal: boolean, mag = 1): Layer {
  const d = dH * h;
  const w = () => randomMatrix(rng, d, d, 0.7);
  return { X: randomMatrix(rng, T, d, mag), Wq: w(), Wk: w(), Wv: w(), Wo: w(), h, causal };
}

/** Logits in the thousands in both heads (X large): the softmax must subtract each row's maximum. */
function largeLayer(): Layer {
  const L = toyLayer(true);
  return { ...L, X: L.X.map((row) => row.map((x) => 40 * x)) };
}

type Dims = { T: number; dH: number; h: number; causal: number; mag: number };
const size = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
/**
 * By position k, so every seed covers every regime: k = 0 a single token; k = 1 one head, causal; k = 2 a head
 * count that is not a power of two (3, 5 or 6); k = 3 causal with logits in the hundreds; k = 4 the sizes of k = 3
 * with new numbers (code that caches by size fails it).
 */
function dimsArb(k: number): fc.Arbitrary<Dims> {
  const base = { dH: size(1, 4), causal: fc.constant(k % 2), mag: fc.constant(k >= 3 ? 6 : 1) };
  if (k === 0) return fc.record({ ...base, T: fc.constant(1), h: size(2, 4) });
  if (k === 1) return fc.record({ ...base, T: size(2, 5), h: fc.constant(1) });
  if (k === 2) return fc.record({ ...base, T: size(2, 5), h: fc.constantFrom(3, 5, 6), dH: size(1, 3) });
  return fc.record({ ...base, T: size(2, 5), h: size(2, 4) });
}
/** split/merge sizes: k = 0 a single token, k = 1 a head count that is not a power of two, k = 2 the sizes of k = 1 again. */
function splitArb(k: number): fc.Arbitrary<Dims> {
  const base = { dH: size(1, 4), causal: fc.constant(0), mag: fc.constant(1) };
  if (k === 0) return fc.record({ ...base, T: fc.constant(1), h: size(2, 4) });
  return fc.record({ ...base, T: size(2, 5), h: fc.constantFrom(3, 5, 6) });
}
const sizes = (p: Dims) => `${count(p.T, 'token', 'tokens')}, H = ${p.h}, d_h = ${p.dH} (d_model = ${p.h * p.dH})${p.causal ? ', causal' : ''}${p.mag > 1 ? ', logits in the hundreds' : ''}`;

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.toy', part: 'a', title: "shapes for the lesson's toy layer (T = 3, d_model = 4, H = 2)", make: () => shapesCase(3, 4, 2) }));
  out.push(fixed({ id: 'a.shapes.gpt2-small', part: 'a', title: 'shapes for a GPT-2-small-sized layer over 5 tokens (d_model = 768, H = 12)', make: () => shapesCase(5, 768, 12) }));
  out.push(...random(seed, {
    id: 'a.shapes.random', part: 'a', count: 3,
    // Distinct sizes so that swapped axes are caught: T, H and d_h all different.
    arb: () => fc.record({ T: size(1, 6), h: size(1, 7), dH: size(1, 9) }).filter((p) => new Set([p.T, p.h, p.dH, p.h * p.dH]).size === 4),
    title: (p) => `shapes for ${count(p.T, 'token', 'tokens')}, H = ${p.h}, d_h = ${p.dH} (d_model = ${p.h * p.dH})`,
    make: (p) => shapesCase(p.T, p.h * p.dH, p.h),
  }));

  out.push(fixed({ id: 'b.split.counting', part: 'b', title: "splitHeads on the lesson's counting matrix (T = 3, d_model = 4, H = 2)", make: () => splitCase(counting(3, 4), 2) }));
  out.push(fixed({ id: 'b.split.one-token', part: 'b', title: 'splitHeads of a single token into 3 heads', make: () => splitCase(counting(1, 6), 3) }));
  out.push(...random<Dims>(seed, {
    id: 'b.split.random', part: 'b', count: 3, arb: splitArb, repeat: [2],
    title: (p) => `splitHeads for ${sizes(p)}`,
    make: (p, s) => splitCase(randomMatrix(createRng(s), p.T, p.h * p.dH), p.h),
  }));

  out.push(fixed({
    id: 'b.merge.counting', part: 'b', title: "mergeHeads of the split counting matrix (it must give the matrix back)",
    make: () => mergeCase((toNested(splitHeads(fromNested([counting(3, 4)]), 2)) as number[][][][])[0]),
  }));
  out.push(...random<Dims>(seed, {
    id: 'b.merge.random', part: 'b', count: 3, arb: splitArb, repeat: [2],
    title: (p) => `mergeHeads for ${sizes(p)}`,
    make: (p, s) => {
      const rng = createRng(s);
      return mergeCase(Array.from({ length: p.h }, () => randomMatrix(rng, p.T, p.dH)));
    },
  }));

  for (const field of ['weights', 'heads', 'output'] as const) {
    const word = FIELD_WORD[field];
    out.push(fixed({ id: `b.${field}.toy`, part: 'b', title: `${word} of the lesson's toy layer (T = 3, d_model = 4, H = 2)`, make: () => forwardCase(field, toyLayer(false)) }));
    out.push(fixed({ id: `b.${field}.toy-causal`, part: 'b', title: `${word} of the toy layer with a causal mask`, make: () => forwardCase(field, toyLayer(true)) }));
    out.push(fixed({ id: `b.${field}.large-logits`, part: 'b', title: `${word} of the causal toy layer with X × 40 (logits in the thousands)`, make: () => forwardCase(field, largeLayer()) }));
    out.push(...random<Dims>(seed, {
      id: `b.${field}.random`, part: 'b', count: 5, arb: dimsArb, repeat: [4],
      title: (p) => `${word} for ${sizes(p)}`,
      make: (p, s) => forwardCase(field, randomLayer(createRng(s), p.T, p.dH, p.h, p.causal === 1, p.mag)),
    }));
  }
  return out;
}

/** Exercise 04's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'reshape-without-transpose', module: reshapeWithoutTranspose, section: '4.3', message: 'your heads match a plain reshape between (T, d_model) and (H, T, d_h) with no transpose: each "head" holds whole tokens instead of one slice of every token' },
    { name: 'concat-wrong-order', module: concatWrongOrder, section: '4.3', message: "your merged matrix interleaves the heads' columns; head h must occupy columns h·d_h … (h+1)·d_h − 1" },
    { name: 'scale-by-d-model', module: scaleByDModel, section: '4.1', message: 'your weights match dividing the scores by √d_model instead of the head width √d_h' },
    { name: 'missing-output-projection', module: missingOutputProjection, section: '4.3', message: 'your output matches the merged heads without the output projection W_O' },
    { name: 'shared-softmax-across-heads', module: sharedSoftmaxAcrossHeads, section: '4.2', message: "your weights match one softmax over all heads' keys together; each head normalises its own rows" },
  ],
};
