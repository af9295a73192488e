// Grader for exercise 08: prefill vs decode cost (the engine's attentionCost) and a decode step with a KV cache
// whose outputs equal the matching rows of full causal attention.
import { attention, attention2d, attentionCost, createKVCache, createRng, decodeStep, fromNested, zeros, type AttentionCostInput, type Rng } from '../src/engine/index';
import rawMeta from '../exercises/08-prefill-decode/meta.json';
import * as bytesIgnoreCacheRead from '../exercises/08-prefill-decode/mistakes/bytes-ignore-cache-read';
import * as cacheAppendedTwice from '../exercises/08-prefill-decode/mistakes/cache-appended-twice';
import * as cacheNotAppended from '../exercises/08-prefill-decode/mistakes/cache-not-appended';
import * as countsOnlyQk from '../exercises/08-prefill-decode/mistakes/counts-only-qk';
import * as kvBytesUseQueryHeads from '../exercises/08-prefill-decode/mistakes/kv-bytes-use-query-heads';
import * as recomputeCostQuadratic from '../exercises/08-prefill-decode/mistakes/recompute-cost-quadratic';
import * as wrongCausalOffset from '../exercises/08-prefill-decode/mistakes/wrong-causal-offset';
import { count, dim, randomMatrix } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { memoBySize } from './lib/memo';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/08-prefill-decode');

// ---------------------------------------------------------------------------------------------------------------
// Part (a): shapes from running the engine on zero tensors of these sizes.

const SHAPE_DIMS = {
  prefillScores: ['B', 'H', 'P', 'P'],
  stepQuery: ['B', 'H', '1', 'd_h'],
  stepScores: ['B', 'H', '1', 'P+1'],
  stepOutput: ['B', 'H', '1', 'd_h'],
  cacheKeys: ['B', 'H_kv', 'P+1', 'd_h'],
};

function buildShapesCase(B: number, h: number, hkv: number, P: number, d: number): Case {
  const prefill = attention(zeros([B, h, P, d]), zeros([B, hkv, P, d]), zeros([B, hkv, P, d]), { causal: true });
  const cache = createKVCache();
  cache.prefill(zeros([B, hkv, P, d]), zeros([B, hkv, P, d]));
  const q = zeros([B, h, 1, d]);
  const step = decodeStep(q, zeros([B, hkv, 1, d]), zeros([B, hkv, 1, d]), cache);
  return {
    fn: 'decodeShapes',
    args: [B, h, hkv, P, d],
    expected: { prefillScores: prefill.scores.shape, stepQuery: q.shape, stepScores: step.scores.shape, stepOutput: step.output.shape, cacheKeys: cache.key.shape },
    check: { kind: 'shapes', dims: SHAPE_DIMS },
    describe: describeParams({ B, H: h, H_kv: hkv, P, d_h: d }),
  };
}

/** The shapes case of these sizes, built once (it depends on nothing else). */
const shapesCase = memoBySize(buildShapesCase);

// ---------------------------------------------------------------------------------------------------------------
// Part (b): costs, checked field by field against attentionCost.

type CostField = 'flops' | 'bytesRead' | 'bytesWritten' | 'arithmeticIntensity';
const COST_FIELDS: CostField[] = ['flops', 'bytesRead', 'bytesWritten', 'arithmeticIntensity'];
const COST_WORD: Record<CostField, string> = { flops: 'FLOPs', bytesRead: 'bytes read', bytesWritten: 'bytes written', arithmeticIntensity: 'arithmetic intensity' };
type CostInput = Omit<AttentionCostInput, 'phase'> & { layers: number };

function costCase(phase: 'prefill' | 'decode', field: CostField, c: CostInput): Case {
  const ref = attentionCost({ ...c, phase });
  return {
    fn: phase === 'prefill' ? 'prefillCost' : 'decodeStepCost',
    args: [c],
    field,
    expected: ref[field],
    check: { kind: 'tensor', name: field, dims: [] },
    describe: describeParams({ B: c.batch, H: c.heads, H_kv: c.kvHeads, T: c.seqLen, d_h: c.headDim, L: c.layers, b: c.bytesPerElement }) + `, cache ${c.cache ? 'on' : 'off'}`,
    readOnly: ['c'], argNames: ['c'],
  };
}

/** The 7B-class model of lessons 5.2 and 5.3: 32 layers, 32 heads of width 128, T = 4096, fp16, B = 1. */
const MODEL7B: CostInput = { batch: 1, heads: 32, kvHeads: 32, seqLen: 4096, headDim: 128, layers: 32, bytesPerElement: 2, cache: true };
const COST_FIXED: { phase: 'prefill' | 'decode'; key: string; sentence: string; c: CostInput }[] = [
  { phase: 'prefill', key: '7b', sentence: 'prefill of 4096 tokens in the 7B-class model of lesson 5.3 (writing the cache)', c: MODEL7B },
  { phase: 'prefill', key: 'gqa-no-cache', sentence: 'prefill of 512 tokens with 8 query heads sharing 2 KV heads, no cache written', c: { ...MODEL7B, heads: 8, kvHeads: 2, seqLen: 512, headDim: 64, layers: 4, cache: false } },
  { phase: 'decode', key: '7b', sentence: 'one decode step at T = 4096 in the 7B-class model, with a KV cache', c: MODEL7B },
  { phase: 'decode', key: '7b-gqa', sentence: 'one decode step at T = 4096 in the 7B-class model with 8 KV heads (GQA)', c: { ...MODEL7B, kvHeads: 8 } },
  { phase: 'decode', key: '7b-no-cache', sentence: 'one decode step at T = 4096 in the 7B-class model without a cache', c: { ...MODEL7B, cache: false } },
  { phase: 'decode', key: 'batch-32', sentence: 'one decode step at T = 4096 for a batch of 32 requests, with a KV cache', c: { ...MODEL7B, batch: 32 } },
];

type CostDims = { B: number; h: number; group: number; T: number; d: number; L: number; b: number; cache: number };
function costDims(rng: Rng, k: number, phase: 'prefill' | 'decode'): CostDims {
  const hkv = dim(rng, 1, 4);
  const group = [1, 2, 4][rng.int(0, 3)];
  return {
    B: dim(rng, 1, 4),
    h: hkv * group,
    group,
    T: k === 0 ? 1 : dim(rng, 2, 2048),
    d: [16, 32, 64, 128][rng.int(0, 4)],
    L: dim(rng, 1, 8),
    b: [1, 2, 4][rng.int(0, 3)],
    // Decode: the first random case uses a cache, the second does not.
    cache: phase === 'decode' ? (k === 1 ? 0 : 1) : rng.int(0, 2),
  };
}
const costInput = (p: CostDims): CostInput => ({
  batch: p.B, heads: p.h, kvHeads: p.h / p.group, seqLen: p.T, headDim: p.d, layers: p.L, bytesPerElement: p.b, cache: p.cache === 1,
});
const costValid = (p: CostDims) => p.h % p.group === 0 && p.h >= p.group;

// ---------------------------------------------------------------------------------------------------------------
// Part (b): decode steps against full causal attention.

type Seq = { Q: number[][]; K: number[][]; V: number[][] };
const seq = (rng: Rng, T: number, d: number, dv: number): Seq => ({ Q: randomMatrix(rng, T, d), K: randomMatrix(rng, T, d), V: randomMatrix(rng, T, dv) });

/** decodeStep must leave all four arguments as they were: the caller may still use the old cache (e.g. to try another token). */
const STEP_UNCHANGED = ['q', 'kNew', 'vNew', 'cache'];

/**
 * decodeStep for position P after a cache of positions 0 … P−1. Output: row P of full causal attention. Cache: the
 * engine's KV cache after appending position P, rows in position order.
 */
function stepCase(s: Seq, P: number, field: 'output' | 'cache' = 'output'): Case {
  const args = [s.Q[P], s.K[P], s.V[P], { keys: s.K.slice(0, P), values: s.V.slice(0, P) }];
  const describe = describeParams({ P, d_k: s.Q[0].length, d_v: s.V[0].length });
  if (field === 'cache') {
    const d = s.K[0].length;
    const dv = s.V[0].length;
    const cache = createKVCache();
    // (B, H_kv, T, d_h) with B = H_kv = 1: the prompt rows, then the new row appended.
    if (P > 0) cache.prefill(fromNested([[s.K.slice(0, P)]]), fromNested([[s.V.slice(0, P)]]));
    cache.append(fromNested([[[s.K[P]]]]), fromNested([[[s.V[P]]]]));
    const rows = (t: { shape: number[]; data: Float64Array }, w: number) => Array.from({ length: P + 1 }, (_, r) => Array.from(t.data.subarray(r * w, (r + 1) * w)));
    return {
      fn: 'decodeStep', args, field: 'cache',
      expected: { keys: rows(cache.key, d), values: rows(cache.value, dv) },
      check: { kind: 'exact', name: 'cache' },
      describe, readOnly: STEP_UNCHANGED, argNames: STEP_UNCHANGED,
    };
  }
  const full = attention2d(s.Q, s.K, s.V, { causal: true });
  return {
    fn: 'decodeStep', args, field: 'output',
    expected: full.output[P],
    check: { kind: 'tensor', name: 'output', dims: ['d_v'] },
    describe, readOnly: STEP_UNCHANGED, argNames: STEP_UNCHANGED,
  };
}

/** generateWithCache over T positions with a P-token prompt; expected = rows P … T−1 of full causal attention. */
function generateCase(s: Seq, P: number): Case {
  const full = attention2d(s.Q, s.K, s.V, { causal: true });
  return {
    fn: 'generateWithCache',
    args: [s.Q, s.K, s.V, P],
    expected: full.output.slice(P),
    check: { kind: 'tensor', name: 'outputs', dims: ['T−P', 'd_v'] },
    describe: describeParams({ T: s.Q.length, P, d_k: s.Q[0].length, d_v: s.V[0].length }),
    readOnly: ['Q', 'K', 'V'], argNames: ['Q', 'K', 'V', 'P'],
  };
}

/** The lesson's two-token decoding picture: one prompt token, then one generated token; plus a longer run. */
const SHORT: Seq = { Q: [[1, 0], [0, 1]], K: [[1, 0], [1, 1]], V: [[1, 0], [0, 2]] };
const LONG: Seq = {
  Q: [[0.5, -1, 0.25], [1, 0.5, -0.5], [-0.75, 1, 1], [0.25, 0.25, 2], [1.5, -0.5, 0], [-1, -1, 0.5]],
  K: [[1, 0, 0.5], [0, 1, -1], [0.5, 0.5, 0.5], [-1, 0.25, 1], [2, -1, 0], [0, 0.75, -0.25]],
  V: [[1, 2], [3, -1], [0, 0.5], [-2, 1], [1, 1], [0.5, -0.5]],
};

/** The same sizes as LONG with other numbers: an answer cached by size between calls is caught. */
const LONG_AGAIN: Seq = {
  Q: LONG.K.map((r) => r.map((x) => -x)),
  K: LONG.Q,
  V: LONG.V.map((r) => [r[1], r[0]]),
};
/** Scores beyond 1000 (q·k/√d_k): exp() overflows unless the maximum is subtracted first. */
const LARGE: Seq = {
  Q: [[30, -20], [25, 40], [-35, 30]],
  K: [[40, 10], [35, 45], [-40, 30]],
  V: [[1, -1], [2, 0.5], [-1, 3]],
};

type StepDims = { P: number; d: number; dv: number };
type GenDims = { T: number; P: number; d: number; dv: number };

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.gqa', part: 'a', title: 'shapes for B = 2, H = 8 query heads, H_kv = 2, a 5-token prompt, d_h = 16', make: () => shapesCase(2, 8, 2, 5, 16) }));
  out.push(...random<{ B: number; h: number; group: number; P: number; d: number }>(seed, {
    id: 'a.shapes.random', part: 'a', count: 3, min: { B: 1, P: 1 },
    valid: (p) => p.h % p.group === 0,
    params: (rng, k) => {
      const hkv = dim(rng, 1, 3);
      const group = dim(rng, 2, 4); // H ≠ H_kv, so the two cannot be swapped unnoticed
      const B = dim(rng, 1, 3);
      return { B, h: hkv * group, group, P: k === 0 ? 1 : B + dim(rng, 1, 6), d: [4, 8, 16][rng.int(0, 3)] };
    },
    title: (p) => `shapes for B = ${p.B}, H = ${p.h}, H_kv = ${p.h / p.group}, ${count(p.P, 'prompt token', 'prompt tokens')}, d_h = ${p.d}`,
    make: (p) => shapesCase(p.B, p.h, p.h / p.group, p.P, p.d),
  }));

  for (const field of COST_FIELDS) {
    for (const f of COST_FIXED) {
      out.push(fixed({ id: `b.${f.phase}-cost.${field}.${f.key}`, part: 'b', title: `${COST_WORD[field]} of ${f.sentence}`, make: () => costCase(f.phase, field, f.c) }));
    }
    for (const phase of ['prefill', 'decode'] as const) {
      out.push(...random<CostDims>(seed, {
        id: `b.${phase}-cost.${field}.random`, part: 'b', count: 2, min: { T: 1, B: 1, L: 1 }, valid: costValid,
        params: (rng, k) => costDims(rng, k, phase),
        title: (p) => `${COST_WORD[field]} of ${phase === 'prefill' ? `a prefill of ${count(p.T, 'token', 'tokens')}` : `a decode step with ${count(p.T, 'token', 'tokens')} in context`} (B = ${p.B}, H = ${p.h}, H_kv = ${p.h / p.group}, d_h = ${p.d}, L = ${p.L}, cache ${p.cache ? 'on' : 'off'})`,
        make: (p) => costCase(phase, field, costInput(p)),
      }));
    }
  }

  out.push(fixed({ id: 'b.step.second-token', part: 'b', title: 'decode step of token 1 after a one-token prompt (the statement example)', make: () => stepCase(SHORT, 1) }));
  out.push(fixed({ id: 'b.step.empty-cache', part: 'b', title: 'decode step of the very first token (empty cache: it sees only itself)', make: () => stepCase(SHORT, 0) }));
  out.push(fixed({ id: 'b.step.long', part: 'b', title: 'decode step of token 5 after 5 cached tokens (d_k = 3, d_v = 2)', make: () => stepCase(LONG, 5) }));
  out.push(fixed({ id: 'b.step.large-scores', part: 'b', title: 'decode step of token 2 whose scores exceed 1000 (subtract the maximum before exp)', make: () => stepCase(LARGE, 2) }));
  out.push(fixed({ id: 'b.step-cache.second-token', part: 'b', title: 'the cache returned by the decode step of token 1: the prompt row, then the new key and value', make: () => stepCase(SHORT, 1, 'cache') }));
  out.push(fixed({ id: 'b.step-cache.empty-cache', part: 'b', title: 'the cache returned by the decode step of the very first token (one row: the new key and value)', make: () => stepCase(SHORT, 0, 'cache') }));
  out.push(fixed({ id: 'b.step-cache.long', part: 'b', title: 'the cache returned by the decode step of token 5: rows 0 … 5 in position order', make: () => stepCase(LONG, 5, 'cache') }));
  out.push(...random<StepDims>(seed, {
    id: 'b.step-cache.random', part: 'b', count: 2, repeat: [1], min: { P: 0, d: 1, dv: 1 },
    params: (rng) => ({ P: dim(rng, 1, 8), d: dim(rng, 1, 6), dv: dim(rng, 1, 4) }),
    title: (p) => `the cache returned by a decode step after ${count(p.P, 'cached token', 'cached tokens')} (d_k = ${p.d}, d_v = ${p.dv})`,
    make: (p, s) => stepCase(seq(createRng(s), p.P + 1, p.d, p.dv), p.P, 'cache'),
  }));
  out.push(...random<StepDims>(seed, {
    id: 'b.step.random', part: 'b', count: 4, repeat: [3], min: { P: 0, d: 1, dv: 1 },
    params: (rng, k) => ({ P: k === 0 ? 0 : dim(rng, 1, 8), d: dim(rng, 1, 6), dv: dim(rng, 1, 4) }),
    title: (p) => `decode step after ${count(p.P, 'cached token', 'cached tokens')} (d_k = ${p.d}, d_v = ${p.dv})`,
    make: (p, s) => stepCase(seq(createRng(s), p.P + 1, p.d, p.dv), p.P),
  }));

  out.push(fixed({ id: 'b.generate.long', part: 'b', title: 'outputs of decoding tokens 2 … 5 after a 2-token prompt, equal to rows 2 … 5 of causal attention', make: () => generateCase(LONG, 2) }));
  out.push(fixed({ id: 'b.generate.long-again', part: 'b', title: 'outputs of decoding tokens 2 … 5 of another sequence of the same sizes (T = 6, d_k = 3, d_v = 2)', make: () => generateCase(LONG_AGAIN, 2) }));
  out.push(fixed({ id: 'b.generate.large-scores', part: 'b', title: 'outputs of decoding tokens 1 and 2 whose scores exceed 1000', make: () => generateCase(LARGE, 1) }));
  out.push(fixed({ id: 'b.generate.no-prompt', part: 'b', title: 'outputs of decoding all 6 tokens one by one from an empty cache', make: () => generateCase(LONG, 0) }));
  out.push(...random<GenDims>(seed, {
    id: 'b.generate.random', part: 'b', count: 4, repeat: [3], min: { T: 1, P: 0, d: 1, dv: 1 },
    valid: (p) => p.P < p.T,
    params: (rng, k) => {
      const T = k === 0 ? 1 : dim(rng, 3, 9);
      return { T, P: k === 0 ? 0 : dim(rng, 0, T - 3), d: dim(rng, 1, 6), dv: dim(rng, 1, 4) };
    },
    title: (p) => `outputs of decoding ${count(p.T - p.P, 'token', 'tokens')} after a ${p.P}-token prompt (d_k = ${p.d}, d_v = ${p.dv})`,
    make: (p, s) => generateCase(seq(createRng(s), p.T, p.d, p.dv), p.P),
  }));
  return out;
}

/** Exercise 08's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'recompute-cost-quadratic', module: recomputeCostQuadratic, section: '5.3', message: 'your decode FLOPs grow like T²: with a cache, one step multiplies one query row by T keys, 4·B·H·T·d_h·L' },
    { name: 'bytes-ignore-cache-read', module: bytesIgnoreCacheRead, section: '5.3', message: 'your decode step reads only the new token: it must read the whole cache, 2·H_kv·T·d_h elements per layer and sequence' },
    { name: 'kv-bytes-use-query-heads', module: kvBytesUseQueryHeads, section: '4.5', message: 'your keys and values are counted with H query heads; they have H_kv heads (GQA/MQA share them)' },
    { name: 'counts-only-qk', module: countsOnlyQk, section: '6.1', message: 'your FLOPs count QKᵀ only; AV costs as much again, so the factor is 4, not 2' },
    { name: 'cache-not-appended', module: cacheNotAppended, section: '5.2', message: 'your decode step does not return the new key and value in the cache, so later steps miss the tokens generated before them' },
    { name: 'cache-appended-twice', module: cacheAppendedTwice, section: '5.2', message: 'your decode step attends to the new key twice (it is appended to the cache and then added again)' },
    { name: 'wrong-causal-offset', module: wrongCausalOffset, section: '5.1', message: 'your new token cannot see itself: at decode time it is the last position, and key j ≤ t is visible, j = t included' },
  ],
};
