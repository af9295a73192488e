// Grader for exercise 06: the per-layer shape of the KV cache, its size in bytes for MHA, GQA and MQA, and the
// longest context that fits a memory budget.
import { createRng, kvCacheBytes, multiHeadAttention, zeros, type Rng } from '../src/engine/index';
import rawMeta from '../exercises/06-kv-cache-bytes/meta.json';
import * as bitsNotBytes from '../exercises/06-kv-cache-bytes/mistakes/bits-not-bytes';
import * as forgetsFactor2 from '../exercises/06-kv-cache-bytes/mistakes/forgets-factor-2';
import * as maxLenRoundedUp from '../exercises/06-kv-cache-bytes/mistakes/max-len-rounded-up';
import * as usesQueryHeads from '../exercises/06-kv-cache-bytes/mistakes/uses-query-heads';
import { count, dim } from './lib/cases';
import { fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/06-kv-cache-bytes');

type Dtype = 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'int8';
type Spec = { layers: number; batch: number; seqLen: number; heads: number; kvHeads: number; headDim: number; dtype: Dtype };
const DTYPES: Dtype[] = ['fp32', 'fp16', 'bf16', 'fp8', 'int8'];
/** Storage size of each format: its bit width (32, 16, 16, 8, 8) over 8 bits per byte. */
const BITS: Record<Dtype, number> = { fp32: 32, fp16: 16, bf16: 16, fp8: 8, int8: 8 };

/** The engine's byte count for a spec. */
const engineBytes = (s: Spec) => kvCacheBytes({
  layers: s.layers, batch: s.batch, seqLen: s.seqLen, kvHeads: s.kvHeads, headDim: s.headDim, bytesPerElement: BITS[s.dtype] / 8,
});

const kind = (s: Spec) => (s.kvHeads === s.heads ? 'MHA' : s.kvHeads === 1 ? 'MQA' : 'GQA');
/** "an MHA", "an MQA", "a GQA" (as the letters are spoken). */
const aKind = (s: Spec) => (kind(s) === 'GQA' ? 'a GQA' : `an ${kind(s)}`);
const describe = (s: Spec) =>
  `${count(s.layers, 'layer', 'layers')}, B = ${s.batch}, T = ${s.seqLen}, H = ${s.heads}, H_kv = ${s.kvHeads}, d_h = ${s.headDim}, ${s.dtype}`;
/** The spec argument must come back unchanged. */
const SPEC_UNCHANGED = ['spec'];
const describeNoT = (s: Spec) => describe(s).replace(`, T = ${s.seqLen}`, '');

/** Part (a): the engine's keys of one layer for a (small) spec: the K tensor a multi-head layer caches. */
function shapeCase(s: Spec): Case {
  const d = s.heads * s.headDim;
  const r = multiHeadAttention({
    x: zeros([s.batch, s.seqLen, d]),
    wq: zeros([d, s.heads * s.headDim]), wk: zeros([d, s.kvHeads * s.headDim]), wv: zeros([d, s.kvHeads * s.headDim]),
    wo: zeros([s.heads * s.headDim, d]), heads: s.heads, kvHeads: s.kvHeads,
  });
  return {
    fn: 'cacheShape', args: [s], expected: r.k.shape,
    check: { kind: 'shape', name: 'the cached keys of one layer', dims: ['B', 'H_kv', 'T', 'd_h'] },
    describe: describe(s),
    readOnly: SPEC_UNCHANGED, argNames: SPEC_UNCHANGED,
  };
}

function bytesCase(s: Spec): Case {
  return { fn: 'kvCacheBytes', args: [s], expected: engineBytes(s), check: { kind: 'exact', name: 'bytes' }, describe: describe(s), readOnly: SPEC_UNCHANGED, argNames: SPEC_UNCHANGED };
}

/** The longest T with engineBytes(T) ≤ budget: whole tokens, so the budget over the bytes of one token, rounded down. */
function maxLenCase(s: Spec, budget: number): Case {
  const perToken = engineBytes({ ...s, seqLen: 1 });
  return {
    fn: 'maxSeqLen', args: [s, budget], expected: Math.floor(budget / perToken),
    check: { kind: 'exact', name: 'maxSeqLen' },
    describe: `${describeNoT(s)}, budget ${budget} bytes`,
    readOnly: SPEC_UNCHANGED, argNames: ['spec', 'budgetBytes'],
  };
}

/** The syllabus's 7B-class model: 32 layers, 32 heads of width 128, 4096 tokens, fp16, one sequence. */
const SEVEN_B: Spec = { layers: 32, batch: 1, seqLen: 4096, heads: 32, kvHeads: 32, headDim: 128, dtype: 'fp16' };
/** A small model served with a batch of 8. */
const SMALL: Spec = { layers: 12, batch: 8, seqLen: 2048, heads: 12, kvHeads: 12, headDim: 64, dtype: 'fp32' };
/** A toy layer small enough to run through the engine for part (a). */
const TOY: Spec = { layers: 4, batch: 2, seqLen: 5, heads: 6, kvHeads: 2, headDim: 3, dtype: 'fp16' };
const GiB = 2 ** 30;

/**
 * Group sizes H / H_kv used by random specs. 8 is left out on purpose: counting bits instead of bytes also
 * multiplies the size by 8, and the two mistakes must stay distinguishable.
 */
const GROUPS = [1, 2, 3, 4, 6, 16];
const validGroup = (p: { group: number }) => p.group !== 8;

type Dims = { layers: number; batch: number; kvHeads: number; group: number; headDim: number; seqLen: number; dtype: number };
/** k = 0 → MHA, k = 1 → MQA, otherwise GQA with a random group size. */
function pickSpec(rng: Rng, k: number): Dims {
  const group = k === 0 ? 1 : GROUPS[dim(rng, 1, GROUPS.length - 1)];
  return {
    layers: dim(rng, 1, 80), batch: dim(rng, 1, 64), kvHeads: k === 1 ? 1 : dim(rng, 1, 16), group,
    headDim: [32, 64, 80, 96, 128, 256][dim(rng, 0, 5)], seqLen: dim(rng, 1, 131072), dtype: dim(rng, 0, DTYPES.length - 1),
  };
}
const toSpec = (p: Dims): Spec => ({
  layers: p.layers, batch: p.batch, seqLen: p.seqLen, heads: p.kvHeads * p.group, kvHeads: p.kvHeads, headDim: p.headDim, dtype: DTYPES[p.dtype],
});
const MIN: Partial<Dims> = { layers: 1, batch: 1, kvHeads: 1, group: 1, headDim: 1, seqLen: 1 };

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shape.toy-gqa', part: 'a', title: `the cached keys of one layer of a toy GQA model (${describe(TOY)})`, make: () => shapeCase(TOY) }));
  out.push(fixed({ id: 'a.shape.toy-mqa', part: 'a', title: 'the cached keys of one layer of the same toy model with one key/value head (MQA)', make: () => shapeCase({ ...TOY, kvHeads: 1 }) }));
  out.push(...random<Dims>(seed, {
    id: 'a.shape.random', part: 'a', count: 3, min: MIN, valid: validGroup,
    params: (rng, k) => ({
      layers: dim(rng, 1, 4), batch: dim(rng, 1, 3), kvHeads: k === 0 ? 1 : dim(rng, 2, 3), group: dim(rng, 2, 3),
      headDim: dim(rng, 1, 4), seqLen: dim(rng, 1, 6), dtype: dim(rng, 0, DTYPES.length - 1),
    }),
    title: (p) => `the cached keys of one layer of ${aKind(toSpec(p))} model (${describe(toSpec(p))})`,
    make: (p) => shapeCase(toSpec(p)),
  }));

  out.push(fixed({ id: 'b.bytes.7b-mha', part: 'b', title: `bytes of the syllabus's 7B-class MHA cache (${describe(SEVEN_B)})`, make: () => bytesCase(SEVEN_B) }));
  out.push(fixed({ id: 'b.bytes.7b-gqa', part: 'b', title: 'bytes of the same cache with 8 key/value heads (GQA)', make: () => bytesCase({ ...SEVEN_B, kvHeads: 8 }) }));
  out.push(fixed({ id: 'b.bytes.7b-mqa', part: 'b', title: 'bytes of the same cache with one key/value head (MQA)', make: () => bytesCase({ ...SEVEN_B, kvHeads: 1 }) }));
  out.push(fixed({ id: 'b.bytes.small-mha', part: 'b', title: `bytes of a small MHA model's cache (${describe(SMALL)})`, make: () => bytesCase(SMALL) }));
  out.push(fixed({ id: 'b.bytes.small-gqa', part: 'b', title: 'bytes of the small model with 4 key/value heads (GQA), stored in bf16', make: () => bytesCase({ ...SMALL, kvHeads: 4, dtype: 'bf16' }) }));
  out.push(fixed({ id: 'b.bytes.small-mqa', part: 'b', title: 'bytes of the small model with one key/value head (MQA), stored in int8', make: () => bytesCase({ ...SMALL, kvHeads: 1, dtype: 'int8' }) }));
  // The same sizes in every storage format, one after another: each format's width, and no answer cached by size.
  for (const dtype of DTYPES) {
    const s = { ...SMALL, kvHeads: 3, seqLen: 1000, dtype };
    out.push(fixed({ id: `b.bytes.dtype-${dtype}`, part: 'b', title: `bytes of a GQA cache stored in ${dtype} (${describe(s)})`, make: () => bytesCase(s) }));
  }
  out.push(...random<Dims>(seed, {
    id: 'b.bytes.random', part: 'b', count: 4, min: MIN, valid: validGroup, params: pickSpec,
    title: (p) => `bytes of ${aKind(toSpec(p))} cache (${describe(toSpec(p))})`,
    make: (p) => bytesCase(toSpec(p)),
  }));

  out.push(fixed({ id: 'b.maxlen.7b-mha-8gib', part: 'b', title: 'the longest context of the 7B-class model (MHA) that fits in 8 GiB', make: () => maxLenCase(SEVEN_B, 8 * GiB) }));
  out.push(fixed({ id: 'b.maxlen.7b-gqa-8gib', part: 'b', title: 'the longest context of the 7B-class model with 8 key/value heads that fits in 8 GiB', make: () => maxLenCase({ ...SEVEN_B, kvHeads: 8 }, 8 * GiB) }));
  out.push(fixed({ id: 'b.maxlen.7b-fp8-1gib', part: 'b', title: 'the longest context of the 7B-class model with its cache stored in fp8 that fits in 1 GiB', make: () => maxLenCase({ ...SEVEN_B, dtype: 'fp8' }, GiB) }));
  out.push(fixed({ id: 'b.maxlen.below-one-token', part: 'b', title: "the longest context when the budget is one byte short of a single token's cache (the answer is 0 tokens)", make: () => maxLenCase(TOY, engineBytes({ ...TOY, seqLen: 1 }) - 1) }));
  out.push(fixed({ id: 'b.maxlen.small-6gb', part: 'b', title: 'the longest context of the small model (batch 8, fp32) that fits in 6 GB = 6·10⁹ bytes', make: () => maxLenCase(SMALL, 6e9) }));
  out.push(...random<Dims>(seed, {
    id: 'b.maxlen.random', part: 'b', count: 4, min: MIN, valid: validGroup, params: pickSpec,
    title: (p) => `the longest context of ${aKind(toSpec(p))} model that fits a memory budget (${describeNoT(toSpec(p))})`,
    make: (p, s) => {
      // A budget worth between 200 and 20 000 tokens plus a remainder that is not a whole token.
      const rng = createRng(s);
      const spec = toSpec(p);
      const perToken = engineBytes({ ...spec, seqLen: 1 });
      return maxLenCase(spec, perToken * dim(rng, 200, 20000) + dim(rng, 1, perToken - 1));
    },
  }));
  return out;
}

/** Exercise 06's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'forgets-factor-2', module: forgetsFactor2, section: '5.2', message: 'your size counts only the keys: the cache holds K and V, a factor of 2' },
    { name: 'uses-query-heads', module: usesQueryHeads, section: '4.5', message: 'your cache has one entry per query head; with GQA and MQA only the H_kv key/value heads are cached' },
    { name: 'bits-not-bytes', module: bitsNotBytes, section: '5.2', message: 'your size is 8 times too large: fp16 takes 2 bytes per number, not 16' },
    { name: 'max-len-rounded-up', module: maxLenRoundedUp, section: '5.2', message: 'your length is rounded up, so its cache exceeds the budget; round the number of whole tokens down' },
  ],
};
