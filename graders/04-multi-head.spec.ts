// Spec table of exercise 04: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const ALL_FIELDS = (key: string) => ['weights', 'heads', 'output'].map((f) => `b.${f}.${key}`);

/** Clauses of exercises/04-multi-head/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes.toy', text: "shapes(T, dModel, H) for the lesson's toy layer", tests: ['a.shapes.toy'] },
  { id: 'shapes.gpt2', text: 'sizes as large as GPT-2 small (d_model = 768, H = 12)', tests: ['a.shapes.gpt2-small'] },
  { id: 'shapes.any', text: 'any sizes with d_model a multiple of H (T, H, d_h distinct so swapped axes show)', tests: ['a.shapes.random'] },
  { id: 'split.columns', text: 'splitHeads: head h takes columns h·d_h … (h+1)·d_h − 1 of every row (reshape then transpose)', tests: ['b.split.counting', 'b.split.random'] },
  { id: 'split.one-token', text: 'a single token', tests: ['b.split.one-token', 'b.split.random'] },
  { id: 'merge.inverse', text: 'mergeHeads is the inverse of the split: row t is head 0, then head 1, …', tests: ['b.merge.counting', 'b.merge.random'] },
  { id: 'heads.not-power-of-two', text: 'H need not be a power of two', tests: ['b.split.random', 'b.merge.random', 'b.weights.random'] },
  { id: 'forward.toy', text: "multiHeadForward on the lesson's toy layer", tests: ALL_FIELDS('toy') },
  { id: 'forward.scale', text: 'each head scales by 1/√d_h', tests: ['b.weights.toy', 'b.weights.random'] },
  { id: 'forward.causal-true', text: 'causal = true: future weights exactly 0', tests: ALL_FIELDS('toy-causal') },
  { id: 'forward.causal-false', text: 'causal = false: no mask', tests: [...ALL_FIELDS('toy'), 'b.weights.random'] },
  { id: 'forward.output-projection', text: 'Y = Concat(O^(0), …, O^(H−1)) W_O', tests: ['b.output.toy', 'b.output.random'] },
  { id: 'forward.single-token-single-head', text: 'a single token; a single head', tests: ['b.weights.random', 'b.output.random'] },
  { id: 'forward.large-logits', text: 'logits in the thousands: the softmax subtracts each row maximum', tests: ALL_FIELDS('large-logits') },
  { id: 'inputs-unchanged', text: 'no function changes its arguments', tests: ['b.split.counting', 'b.merge.counting', ...ALL_FIELDS('toy')] },
  { id: 'no-state', text: 'each result depends only on the arguments (same sizes, new numbers, in one run)', tests: ['b.split.random', 'b.merge.random', 'b.weights.random', 'b.heads.random', 'b.output.random'] },
];
