// Spec table of exercise 09: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const UPDATE = (key: string) => ['m', 'l', 'o'].map((f) => `b.update.${f}.${key}`);

/** Clauses of exercises/09-tiled-attention/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes.full-tile', text: 'tileShapes: a full query, key, value and score tile, m, ℓ, Õ of one query tile', tests: ['a.shapes.lesson', 'a.shapes.random'] },
  { id: 'shapes.grid', text: 'the grid [⌈T_q/B_q⌉, ⌈T_k/B_k⌉], blocks that do not divide', tests: ['a.shapes.ragged', 'a.shapes.random'] },
  { id: 'shapes.block-larger', text: 'a block larger than its axis gives a tile as long as the axis', tests: ['a.shapes.random'] },
  { id: 'update.step', text: "one step of m', α, p_j, ℓ', Õ' for every row; Õ not normalised", tests: [...UPDATE('lesson'), ...UPDATE('random')] },
  { id: 'update.rescale', text: 'a tile that raises the running max rescales ℓ and Õ by α', tests: UPDATE('lesson') },
  { id: 'update.hidden-scores', text: 'scores of −∞ (hidden keys) contribute nothing', tests: [...UPDATE('masked-row'), ...UPDATE('random')] },
  { id: 'update.no-visible-score', text: 'a row with no visible score keeps m = −∞, ℓ = 0, Õ = 0 (no NaN)', tests: [...UPDATE('masked-row'), ...UPDATE('very-negative')] },
  { id: 'update.very-negative', text: 'a first tile whose scores are all near −1000: m starts at −∞, not 0', tests: UPDATE('very-negative') },
  { id: 'update.inputs', text: 'state may be updated in place; scores and vBlock stay unchanged', tests: UPDATE('lesson') },
  { id: 'tiled.equals-naive', text: 'tiledAttention equals naive attention', tests: ['b.tiled.lesson', 'b.tiled.random'] },
  { id: 'tiled.block-sizes', text: 'any block sizes: 1, sizes that do not divide T, sizes larger than T', tests: ['b.tiled.ragged', 'b.tiled.blocks-of-one', 'b.tiled.single-token', 'b.tiled.random'] },
  { id: 'tiled.causal', text: 'causal = true: query i sees key j ≤ i (tiles above the diagonal hold only hidden keys)', tests: ['b.tiled.lesson-causal', 'b.tiled.blocks-of-one', 'b.tiled-causal.random'] },
  { id: 'tiled.causal-default', text: 'causal may be left out and then is false', tests: ['b.tiled.causal-omitted'] },
  { id: 'tiled.tq-ne-tk', text: 'T_q ≠ T_k when not causal', tests: ['b.tiled.ragged', 'b.tiled.random'] },
  { id: 'tiled.growing-scores', text: 'scores that grow tile after tile (the running max must rise)', tests: ['b.tiled.growing-scores'] },
  { id: 'tiled.very-negative', text: 'every score near −1000', tests: ['b.tiled.very-negative-scores'] },
  { id: 'tiled.no-state', text: 'the sizes of an earlier case with new numbers (no answer cached by size)', tests: ['b.tiled.lesson-again', 'b.tiled.random', 'b.tiled-causal.random', ...UPDATE('random')] },
  { id: 'tiled.inputs-unchanged', text: 'tiledAttention leaves Q, K and V unchanged', tests: ['b.tiled.lesson'] },
  { id: 'memory', text: 'no array of half the T_q × T_k score matrix or more, for T between MEMORY_TOKENS.min and .max', tests: ['b.memory.long', 'b.memory.long-causal', 'b.memory.random'] },
];
