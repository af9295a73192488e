// Spec table of exercise 02: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const ALL_FIELDS = (key: string) => ['scores', 'weights', 'output'].map((f) => `b.${f}.${key}`);

/** Clauses of exercises/02-causal-mask/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes', text: 'shapes(B, H, Tq, Tk): S and A are (B, H, T_q, T_k), M in its smallest broadcastable shape (1, 1, T_q, T_k)', tests: ['a.shapes.fixed', 'a.shapes.random'] },
  { id: 'mask.lower-triangle', text: 'causalMask with T_q = T_k is the lower triangle (0 visible, −∞ hidden)', tests: ['b.mask.three-tokens', 'b.mask.random'] },
  { id: 'mask.single-token', text: 'a single token sees itself', tests: ['b.mask.one-token'] },
  { id: 'mask.bottom-right', text: 'queries are the last T_q of T_k positions: query i sees key j iff j ≤ i + T_k − T_q', tests: ['b.mask.cached', 'b.mask.random', ...ALL_FIELDS('cached')] },
  { id: 'mask.decode-step', text: 'T_q = 1 after cached keys sees every key', tests: ['b.mask.random', 'b.weights.random'] },
  { id: 'softmax.worked', text: "maskedSoftmax on the lesson's example: row 1 is (e^−3, 1, 0)/(1 + e^−3)", tests: ['b.softmax.worked-example'] },
  { id: 'softmax.any-mask', text: 'maskedSoftmax works for any additive mask of 0 and −∞, not only the causal one', tests: ['b.softmax.any-mask', 'b.softmax.edge'] },
  { id: 'softmax.neg-inf-in-S', text: 'S may already hold −∞', tests: ['b.softmax.edge', 'b.softmax.any-mask'] },
  { id: 'softmax.huge-hidden', text: 'huge scores on hidden keys: hidden weight exactly 0, visible weights do not underflow', tests: ['b.softmax.edge', 'b.softmax.any-mask'] },
  { id: 'softmax.fully-masked', text: 'a row with no visible key gives a row of zeros', tests: ['b.softmax.edge', 'b.softmax.any-mask'] },
  { id: 'attention.causal', text: 'causalAttention: S with hidden entries exactly −∞, A with hidden weights exactly 0, O = AV', tests: [...ALL_FIELDS('three-tokens'), 'b.scores.random', 'b.weights.random', 'b.output.random'] },
  { id: 'attention.huge-future', text: 'hidden weights stay exactly 0 and visible ones do not underflow when future dot products are huge', tests: [...ALL_FIELDS('huge-future'), 'b.weights.random'] },
  { id: 'inputs-unchanged', text: 'no function changes its arguments', tests: ['b.softmax.worked-example', 'b.softmax.any-mask', ...ALL_FIELDS('three-tokens')] },
  { id: 'no-state', text: 'each result depends only on the arguments (same sizes, new numbers, in one run)', tests: ['b.softmax.random', 'b.scores.random', 'b.weights.random', 'b.output.random'] },
];
