// Spec table of exercise 01: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const ALL_FIELDS = (key: string) => ['scores', 'weights', 'output'].map((f) => `b.${f}.${key}`);

/** Clauses of exercises/01-scaled-dot-product/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes.example', text: 'shapes(Tq, Tk, dK, dV) gives [rows, columns] of Q, K, V, S, A, O for the two-token example', tests: ['a.shapes.two-token'] },
  { id: 'shapes.any-size', text: 'shapes() works for any sizes, not only the two-token case (all four sizes distinct, so swapped axes show)', tests: ['a.shapes.random'] },
  { id: 'attention.example', text: 'attention(Q, K, V) on the two-token example of the statement', tests: ALL_FIELDS('two-token') },
  { id: 'attention.worked', text: "the lesson's worked example: one query, three keys", tests: ALL_FIELDS('worked-example') },
  { id: 'attention.scores-scaled', text: 'scores S are QKᵀ already divided by √d_k (d_k ≠ d_v, d_k ≠ T_k)', tests: ['b.scores.random', 'b.scores.two-token'] },
  { id: 'attention.weights-row-softmax', text: 'A = softmax_row(S): each row i is a distribution over the keys', tests: ['b.weights.random', 'b.weights.worked-example'] },
  { id: 'attention.output', text: 'O = AV mixes the rows of V', tests: ['b.output.random', 'b.output.worked-example'] },
  { id: 'attention.tq-ne-tk', text: 'any size, including T_q ≠ T_k (more queries than keys and fewer)', tests: ['b.weights.random', 'b.output.random'] },
  { id: 'attention.single-token', text: 'a single token (T_q = T_k = 1), a single query, a single key', tests: [...ALL_FIELDS('single-token'), 'b.weights.random'] },
  { id: 'attention.no-overflow', text: 'logits in the thousands: the softmax cannot overflow', tests: [...ALL_FIELDS('large-logits'), 'b.weights.random'] },
  { id: 'attention.no-underflow', text: 'every logit near −1000: the softmax cannot underflow to 0/0', tests: ALL_FIELDS('very-negative-logits') },
  { id: 'attention.max-per-row', text: 'rows on very different scales: the shift is each row’s own maximum', tests: ALL_FIELDS('rows-apart') },
  { id: 'attention.no-state', text: 'each call depends only on its arguments (two calls with the same sizes and different numbers)', tests: ['b.scores.random', 'b.weights.random', 'b.output.random'] },
  { id: 'attention.inputs-unchanged', text: 'attention() must not change Q, K or V', tests: ALL_FIELDS('two-token') },
];
