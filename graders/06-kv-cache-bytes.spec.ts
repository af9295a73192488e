// Spec table of exercise 06: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const DTYPES = ['fp32', 'fp16', 'bf16', 'fp8', 'int8'].map((d) => `b.bytes.dtype-${d}`);

/** Clauses of exercises/06-kv-cache-bytes/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shape.one-layer', text: 'cacheShape(spec): the keys of one layer, (B, H_kv, T, d_h)', tests: ['a.shape.toy-gqa', 'a.shape.random'] },
  { id: 'shape.mqa', text: 'MQA: H_kv = 1 key/value head, whatever H is', tests: ['a.shape.toy-mqa', 'a.shape.random'] },
  { id: 'bytes.formula', text: 'bytes = 2 · L · B · T · H_kv · d_h · b (K and V, every layer)', tests: ['b.bytes.small-mha', 'b.bytes.random'] },
  { id: 'bytes.7b', text: "the syllabus's 7B-class model needs exactly 2 GiB", tests: ['b.bytes.7b-mha'] },
  { id: 'bytes.gqa-mqa', text: 'the same model with GQA and with MQA: only the H_kv heads are cached', tests: ['b.bytes.7b-gqa', 'b.bytes.7b-mqa', 'b.bytes.small-gqa', 'b.bytes.small-mqa'] },
  { id: 'bytes.batch', text: 'a small model served with a batch of 8', tests: ['b.bytes.small-mha'] },
  { id: 'bytes.dtypes', text: 'b = 4 (fp32), 2 (fp16, bf16), 1 (fp8, int8): every storage format', tests: DTYPES },
  { id: 'bytes.beyond-int32', text: 'sizes of 2³¹ bytes and more are plain numbers (no 32-bit wrap)', tests: ['b.bytes.7b-mha', 'b.bytes.random'] },
  { id: 'maxlen.largest-fitting', text: 'maxSeqLen: the largest T whose cache fits the budget (rounded down)', tests: ['b.maxlen.small-6gb', 'b.maxlen.random'] },
  { id: 'maxlen.exact-multiple', text: 'a budget that is an exact multiple of one token is used in full', tests: ['b.maxlen.7b-mha-8gib', 'b.maxlen.7b-gqa-8gib'] },
  { id: 'maxlen.below-one-token', text: 'a budget smaller than one token gives 0', tests: ['b.maxlen.below-one-token'] },
  { id: 'maxlen.ignores-seqlen', text: 'spec.seqLen is ignored: the answer may exceed it', tests: ['b.maxlen.7b-mha-8gib', 'b.maxlen.7b-fp8-1gib'] },
  { id: 'maxlen.kv-heads-dtype', text: 'maxSeqLen uses H_kv and the storage format like kvCacheBytes', tests: ['b.maxlen.7b-gqa-8gib', 'b.maxlen.7b-fp8-1gib', 'b.maxlen.random'] },
  { id: 'no-state', text: 'specs that differ in one field only, one after another (no answer cached by size)', tests: DTYPES },
  { id: 'spec-unchanged', text: 'no function changes spec', tests: ['a.shape.toy-gqa', 'b.bytes.7b-mha', 'b.maxlen.7b-mha-8gib'] },
];
