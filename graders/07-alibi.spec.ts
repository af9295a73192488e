// Spec table of exercise 07: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const FIELDS = (key: string) => ['scores', 'weights', 'output'].map((f) => `b.${f}.${key}`);

/** Clauses of exercises/07-alibi/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes', text: 'shapes(H, Tq, Tk, dK, dV): slopes (H), bias, S, A (H, Tq, Tk), O (H, Tq, d_v)', tests: ['a.shapes.decode', 'a.shapes.random'] },
  { id: 'slopes.power-of-two', text: 'H a power of two: m_h = 2^(−8(h+1)/H), head 0 the steepest', tests: ['b.slopes.h8', 'b.slopes.h1'] },
  { id: 'slopes.not-power-of-two', text: 'other H: n slopes of the largest power of two n < H, then heads 0, 2, 4 … of 2n', tests: ['b.slopes.h6', 'b.slopes.h12', 'b.slopes.h3', 'b.slopes.random'] },
  { id: 'bias.formula', text: 'bias_ij = −m_h (p_i − j), filled for every (i, j), future entries positive', tests: ['b.bias.lesson', 'b.bias.random'] },
  { id: 'bias.positions', text: 'queries are the last T_q of T_k positions: p_i = i + (T_k − T_q)', tests: ['b.bias.decode', 'b.bias.random'] },
  { id: 'attention.scores', text: 'S = QKᵀ/√d_k + bias, future scores exactly −∞', tests: ['b.scores.decode', 'b.scores.random'] },
  { id: 'attention.weights', text: 'A = softmax_row(S), future weights exactly 0', tests: ['b.weights.decode', 'b.weights.random'] },
  { id: 'attention.output', text: 'O = AV per head', tests: ['b.output.decode', 'b.output.random'] },
  { id: 'attention.decode-mask', text: 'the causal mask hides j > p_i (not j > i) when T_q < T_k', tests: FIELDS('decode') },
  { id: 'attention.bias-only', text: 'all-zero queries: the bias alone shapes the weights', tests: FIELDS('bias-only') },
  { id: 'attention.large-scores', text: 'content scores beyond ±1000: subtract the row maximum', tests: FIELDS('large-scores') },
  { id: 'attention.heads', text: 'every head with its own slope, H not a power of two', tests: ['b.scores.decode', 'b.scores.large-scores', 'b.weights.random'] },
  { id: 'no-state', text: 'the same sizes again with new numbers (no answer cached by size)', tests: [...FIELDS('same-sizes'), ...FIELDS('random')] },
  { id: 'inputs-unchanged', text: 'attentionWithAlibi must not change Q, K or V', tests: FIELDS('decode') },
];
