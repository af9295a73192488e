// Spec table of exercise 05: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

/** Clauses of exercises/05-padding-mask/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes', text: 'maskShapes(B, H, T): padding (B, 1, 1, T), causal (1, 1, T, T), combined (B, 1, T, T), scores (B, H, T, T)', tests: ['a.shapes.lesson', 'a.shapes.random'] },
  { id: 'mask.lesson', text: "paddingMask for the lesson's batch (lengths 3 and 2, T = 3)", tests: ['b.mask.lesson'] },
  { id: 'mask.keep', text: 'P_bj = 1 when j < lengths[b], else 0, as (B, 1, 1, T)', tests: ['b.mask.ragged-three', 'b.mask.random'] },
  { id: 'mask.length-domain', text: '1 ≤ lengths[b] ≤ T: a one-token sequence and sequences without padding', tests: ['b.mask.edge-lengths', 'b.mask.random'] },
  { id: 'attention.per-sequence', text: 'maskedAttention: one head of self-attention per sequence, weights (B, T, T), output (B, T, d_v)', tests: ['b.weights.ragged-three', 'b.output.ragged-three', 'b.weights.random', 'b.output.random'] },
  { id: 'attention.pad-weights-zero', text: 'weights on pad keys are exactly 0', tests: ['b.weights.ragged-three', 'b.weights.random', 'b.weights.huge-pads'] },
  { id: 'attention.pad-queries', text: 'pad queries are not masked: their rows still attend to the real keys', tests: ['b.weights.ragged-three', 'b.output.ragged-three'] },
  { id: 'attention.unpadded', text: 'a sequence without padding: the mask changes nothing', tests: ['b.weights.unpadded', 'b.output.unpadded'] },
  { id: 'attention.huge-pads', text: 'pads may hold any finite numbers (near ±1e10): −∞ mask, maximum over real keys', tests: ['b.weights.huge-pads', 'b.output.huge-pads'] },
  { id: 'attention.perturbation', text: "real tokens' outputs do not change when only the pads change", tests: ['b.perturb.ragged-three', 'b.perturb.random'] },
  { id: 'attention.single', text: 'a single token; a single sequence', tests: ['b.weights.random', 'b.output.random'] },
  { id: 'inputs-unchanged', text: 'neither function changes its arguments', tests: ['b.mask.lesson', 'b.weights.ragged-three', 'b.output.huge-pads'] },
  { id: 'no-state', text: 'each result depends only on the arguments (same sizes, new numbers, in one run)', tests: ['b.mask.random', 'b.weights.random', 'b.output.random'] },
];
