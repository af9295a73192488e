// "Your attention runs the model": the course model's forward pass with its attention step delegated to a
// learner's exercise function (run elsewhere, in the sandbox), and the comparison with the engine's logits.
// Pure: the caller supplies `run`, which executes one layer's calls and returns their raw outcomes.
import type { Tensor } from '../engine';
import { argmaxAt, forward } from './forward';
import type { ModelWeights } from './weights';

/** Exercises whose function can run the model's attention, and the export each one plugs in. */
export const PLUG_FUNCTIONS = { '01': 'attention', '02': 'causalAttention', '04': 'multiHeadForward' } as const;
/** An exercise id with a pluggable function. */
export type PlugExercise = keyof typeof PLUG_FUNCTIONS;

/** True when exercise `id` has a function that can run the model's attention. */
export function isPlugExercise(id: string): id is PlugExercise {
  return Object.hasOwn(PLUG_FUNCTIONS, id);
}

/** One call of the learner's function with plain-data arguments. */
export interface PlugCall {
  fn: string;
  args: unknown[];
  /** Where in the model the call belongs, for messages: "layer 0, head 1, query 5". */
  where: string;
}

/** What one call gave back (the sandbox's outcome, untrusted). */
export type PlugOutcome =
  | { kind: 'return'; value: unknown }
  | { kind: 'throw' | 'missing' | 'crash'; message: string }
  | { kind: 'timeout'; ms: number };

/** The learner's function failed or returned something the model cannot use; `message` says which and where. */
export class PlugError extends Error {}

type Matrix = number[][];

const rows = (t: Tensor, r0: number, r1: number, c0: number, c1: number, width: number): Matrix =>
  Array.from({ length: r1 - r0 }, (_, r) => Array.from(t.data.subarray((r0 + r) * width + c0, (r0 + r) * width + c1)));

function matmul(x: Matrix, w: Tensor): Matrix {
  const [dIn, dOut] = w.shape;
  return x.map((row) => {
    const out = new Array<number>(dOut).fill(0);
    for (let p = 0; p < dIn; p++) for (let c = 0; c < dOut; c++) out[c] += row[p] * w.data[p * dOut + c];
    return out;
  });
}

const toMatrix = (t: Tensor): Matrix => rows(t, 0, t.shape[0], 0, t.shape[1], t.shape[1]);

/** The calls that compute layer `l`'s attention for the residual stream x (T, d_model). */
export function layerCalls(ex: PlugExercise, model: ModelWeights, l: number, x: Matrix): PlugCall[] {
  const { heads: H, dHead: dh } = model.manifest;
  const w = model.layers[l];
  const fn = PLUG_FUNCTIONS[ex];
  if (ex === '04') {
    return [{ fn, args: [x, toMatrix(w.wq), toMatrix(w.wk), toMatrix(w.wv), toMatrix(w.wo), H, true], where: `layer ${l}` }];
  }
  const T = x.length;
  const [q, k, v] = [w.wq, w.wk, w.wv].map((m) => matmul(x, m)); // each (T, H·d_h)
  const head = (m: Matrix, h: number) => m.map((r) => r.slice(h * dh, (h + 1) * dh)); // (T, d_h)
  const calls: PlugCall[] = [];
  for (let h = 0; h < H; h++) {
    if (ex === '02') {
      calls.push({ fn, args: [head(q, h), head(k, h), head(v, h)], where: `layer ${l}, head ${h}` });
      continue;
    }
    // Exercise 01 has no mask: causal attention for query i is plain attention over keys 0 … i.
    const [qh, kh, vh] = [head(q, h), head(k, h), head(v, h)]; // each (T, d_h)
    for (let i = 0; i < T; i++) {
      calls.push({ fn, args: [[qh[i]], kh.slice(0, i + 1), vh.slice(0, i + 1)], where: `layer ${l}, head ${h}, query ${i}` });
    }
  }
  return calls;
}

/** A finite-number matrix of the given shape from an untrusted value, or a PlugError naming what is wrong. */
function matrixOf(value: unknown, rowsWanted: number, cols: number, what: string, where: string): Matrix {
  if (!Array.isArray(value)) throw new PlugError(`${what} is not an array of rows (${where})`);
  if (value.length !== rowsWanted) throw new PlugError(`${what} has ${value.length} rows but should have ${rowsWanted} (${where})`);
  return value.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new PlugError(`${what} row ${i} ${Array.isArray(row) ? `has ${row.length} entries` : 'is not an array'} but should have ${cols} (${where})`);
    }
    return row.map((x: unknown, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new PlugError(`${what}[${i}][${j}] is ${typeof x === 'number' ? String(x) : `not a number (${typeof x})`} (${where})`);
      return x;
    });
  });
}

function checkOutcome(o: PlugOutcome | undefined, call: PlugCall): unknown {
  if (!o) throw new PlugError(`${call.fn}() gave no answer (${call.where})`);
  if (o.kind === 'return') return o.value;
  if (o.kind === 'timeout') throw new PlugError(`${call.fn}() was stopped after ${Math.round(o.ms)} ms (${call.where}): it took longer than the time limit`);
  if (o.kind === 'missing') throw new PlugError(`your file does not export ${call.fn}(): ${o.message}`);
  throw new PlugError(`${call.fn}() ${o.kind === 'throw' ? 'threw' : 'crashed'} (${call.where}): ${o.message}`);
}

/** The field `output` of a returned object, checked to be a finite (rows, cols) matrix. */
function outputOf(value: unknown, rowsWanted: number, cols: number, call: PlugCall): Matrix {
  if (typeof value !== 'object' || value === null || !('output' in value)) {
    throw new PlugError(`${call.fn}() returned ${value === null ? 'null' : typeof value} without an "output" field (${call.where})`);
  }
  return matrixOf((value as { output: unknown }).output, rowsWanted, cols, `${call.fn}().output`, call.where);
}

/** Layer `l`'s attention output (T, d_model) from the outcomes of `layerCalls`; a PlugError if any is unusable. */
export function layerOutput(ex: PlugExercise, model: ModelWeights, l: number, T: number, calls: PlugCall[], outcomes: PlugOutcome[]): Matrix {
  const { heads: H, dHead: dh, dModel } = model.manifest;
  const values = calls.map((c, n) => checkOutcome(outcomes[n], c));
  if (ex === '04') return outputOf(values[0], T, dModel, calls[0]);
  const merged: Matrix = Array.from({ length: T }, () => new Array<number>(H * dh).fill(0)); // (T, H·d_h)
  for (let h = 0; h < H; h++) {
    const perHead: Matrix = ex === '02'
      ? outputOf(values[h], T, dh, calls[h])
      : Array.from({ length: T }, (_, i) => outputOf(values[h * T + i], 1, dh, calls[h * T + i])[0]);
    perHead.forEach((row, t) => row.forEach((x, c) => (merged[t][h * dh + c] = x)));
  }
  return matmul(merged, model.layers[l].wo);
}

/** Runs one layer's calls (in the sandbox) and resolves with one outcome per call, in order. */
export type RunCalls = (calls: PlugCall[]) => Promise<PlugOutcome[]>;

/** The model's logits (T, V) for one sequence, with every attention layer computed by the learner's function. */
export async function forwardWithLearner(ex: PlugExercise, model: ModelWeights, tokens: readonly number[], run: RunCalls): Promise<Matrix> {
  const { dModel: d } = model.manifest;
  const T = tokens.length;
  let x: Matrix = tokens.map((tok, t) => Array.from({ length: d }, (_, c) => model.embed.data[tok * d + c] + model.pos.data[t * d + c])); // (T, d_model)
  for (let l = 0; l < model.layers.length; l++) {
    const calls = layerCalls(ex, model, l, x);
    const out = layerOutput(ex, model, l, T, calls, await run(calls));
    x = x.map((row, t) => row.map((v, c) => v + out[t][c]));
  }
  return matmul(x, model.unembed);
}

/** Tolerance for "the same logit": float64 code that computes the same sums in another order agrees far closer. */
export const PLUG_TOLERANCE = { atol: 1e-7, rtol: 1e-7 } as const;

/** The first logit (in position order, then logit index) beyond tolerance. */
export interface LogitDifference {
  /** Position i of the sequence. */
  position: number;
  /** Token id at that position. */
  token: number;
  /** Logit index v: the next-token candidate (a letter). */
  logit: number;
  yours: number;
  reference: number;
}

/** How the learner's forward pass compares with the engine's. */
export interface PlugComparison {
  /** Argmax (predicted next token) at every position, the learner's and the engine's. */
  yourPredictions: number[];
  referencePredictions: number[];
  /** Positions whose predicted token differs. */
  predictionsDiffer: number;
  /** Null when every logit is within PLUG_TOLERANCE. */
  firstDifference: LogitDifference | null;
  /** Largest |yours − reference| over all logits. */
  maxAbsDiff: number;
}

/** Compares the learner's logits (T, V) with the engine's forward pass on the same tokens. */
export function compareWithEngine(model: ModelWeights, tokens: readonly number[], yours: Matrix): PlugComparison {
  const ref = forward(model, [tokens]).logits; // (1, T, V)
  const V = model.manifest.vocab.length;
  let first: LogitDifference | null = null;
  let maxAbsDiff = 0;
  const yourPredictions: number[] = [];
  const referencePredictions: number[] = [];
  tokens.forEach((token, t) => {
    let best = 0;
    for (let v = 0; v < V; v++) {
      const r = ref.data[t * V + v];
      const y = yours[t][v];
      const diff = Math.abs(y - r);
      maxAbsDiff = Math.max(maxAbsDiff, diff);
      if (!first && diff > PLUG_TOLERANCE.atol + PLUG_TOLERANCE.rtol * Math.abs(r)) first = { position: t, token, logit: v, yours: y, reference: r };
      if (y > yours[t][best]) best = v;
    }
    yourPredictions.push(best);
    referencePredictions.push(argmaxAt(ref, 0, t));
  });
  const predictionsDiffer = yourPredictions.filter((p, t) => p !== referencePredictions[t]).length;
  return { yourPredictions, referencePredictions, predictionsDiffer, firstDifference: first, maxAbsDiff };
}
