// Spec table of exercise 03: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

/** Clauses of exercises/03-attention-entropy/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes', text: 'shapes(B, H, Tq, Tk): weights (B, H, T_q, T_k), row entropies (B, H, T_q), per-head mean (H)', tests: ['a.shapes.fixed', 'a.shapes.random'] },
  { id: 'entropy.example', text: "the statement's rows have entropies 0, ln 4, ln 2", tests: ['b.entropy.example'] },
  { id: 'entropy.nats', text: 'natural logarithm, H_i = −Σ_j A_ij ln A_ij, one value per row (over keys)', tests: ['b.entropy.example', 'b.entropy.random'] },
  { id: 'entropy.zero-weight', text: '0 · ln 0 = 0 (masked keys)', tests: ['b.entropy.causal', 'b.entropy.random'] },
  { id: 'score-entropy.softmax-first', text: 'scoreEntropy softmaxes each row of S first (scores can be negative)', tests: ['b.score-entropy.fixed', 'b.score-entropy.random'] },
  { id: 'score-entropy.neg-inf', text: 'S may hold −∞ for masked keys', tests: ['b.score-entropy.edge'] },
  { id: 'score-entropy.large', text: 'logits in the thousands do not overflow', tests: ['b.score-entropy.edge'] },
  { id: 'classify.rule', text: "'sharp' when k = 1 or h ≤ 0.2, 'diffuse' when h ≥ 0.8, 'mixed' otherwise, h = H/ln k", tests: ['b.classify.kinds', 'b.classify.random'] },
  { id: 'classify.k-nonzero', text: 'k counts the nonzero weights of the row, however small', tests: ['b.classify.kinds', 'b.classify.near-thresholds'] },
  { id: 'classify.thresholds', text: 'rows just either side of 0.2 and 0.8', tests: ['b.classify.near-thresholds'] },
  { id: 'classify.ungraded-band', text: 'no graded row has h within 1e-9 of 0.2 or 0.8 (random rows there become one-hot)', tests: ['b.classify.random', 'b.classify.near-thresholds'] },
  { id: 'inputs-unchanged', text: 'no function changes its argument', tests: ['b.entropy.example', 'b.score-entropy.fixed', 'b.classify.kinds'] },
  { id: 'no-state', text: 'each result depends only on the argument (same sizes, new numbers, in one run)', tests: ['b.entropy.random', 'b.score-entropy.random', 'b.classify.random'] },
];
