// Spec table of exercise 10: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

/** Clauses of exercises/10-prompt-boundary-masks/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes', text: 'maskShapes: (T, T), batched (B, 1, T, T) shared by all H heads, scores (B, H, T, T)', tests: ['a.shapes.lesson', 'a.shapes.random'] },
  { id: 'allowed.default-rules', text: "allowedMask with the default rules equals the engine's promptBoundaryMask", tests: ['b.allowed.lesson', 'b.allowed.left-pad', 'b.allowed.same-length'] },
  { id: 'allowed.pad', text: 'pad sees nothing and is seen by nothing, whatever the rules say', tests: ['b.allowed.left-pad', 'b.allowed.sees-pad'] },
  { id: 'rules.causal', text: 'causal = false drops j ≤ i', tests: ['b.allowed.lesson-non-causal', 'b.violations.correct.non-causal'] },
  { id: 'rules.sees', text: 'sees replaces the list of each named role; others keep their defaults', tests: ['b.allowed.strict-rules', 'b.allowed.tool-sees-system', 'b.violations.correct.strict-rules'] },
  { id: 'rules.sees-pad', text: 'listing pad in sees changes nothing', tests: ['b.allowed.sees-pad', 'b.violations.pad-forgotten.sees-pad'] },
  { id: 'rules.isolate', text: 'isolate replaces [\'tool\']; [] isolates nothing', tests: ['b.allowed.isolate-none', 'b.allowed.strict-rules', 'b.violations.correct.isolate-none', 'b.violations.off-by-one.isolate-none'] },
  { id: 'rules.random', text: 'random chats under every kind of rule set', tests: ['b.allowed.random', 'b.violations.correct.random', 'b.violations.last-row.random'] },
  { id: 'reason.pad', text: "reason 'pad' first: the query or the key is pad", tests: ['b.violations.pad-future.right-pad', 'b.violations.pad-forgotten.left-pad', 'b.violations.pad-future.random'] },
  { id: 'reason.future', text: "reason 'future': causal rules and j > i", tests: ['b.violations.future.lesson', 'b.violations.off-by-one.lesson', 'b.violations.transposed.lesson', 'b.violations.last-key.lesson'] },
  { id: 'reason.role', text: "reason 'role': r_j not in sees(r_i), before segment", tests: ['b.violations.tool-injection.lesson', 'b.violations.cross-tool.tool-sees-system', 'b.violations.last-row.strict-rules'] },
  { id: 'reason.segment', text: "reason 'segment': the same isolated role in another segment", tests: ['b.violations.cross-tool.lesson', 'b.violations.cross-tool.random'] },
  { id: 'violations.safe', text: 'correct and stricter masks give []', tests: ['b.violations.correct.lesson', 'b.violations.stricter.lesson', 'b.violations.correct.right-pad', 'b.violations.stricter.random'] },
  { id: 'violations.only-shown', text: 'only pairs the mask shows are violations', tests: ['b.violations.correct.lesson', 'b.violations.stricter.lesson'] },
  { id: 'violations.every-row-column', text: 'every query row and key column is checked, the last included', tests: ['b.violations.last-row.lesson', 'b.violations.last-key.lesson', 'b.violations.last-row.random'] },
  { id: 'violations.sorted', text: 'sorted by query, then key', tests: ['b.violations.transposed.lesson', 'b.violations.pad-forgotten.left-pad'] },
  { id: 'mask.function', text: 'mask given as a function mask(i, j)', tests: ['b.violations.correct.lesson-function', 'b.violations.last-row.lesson'] },
  { id: 'mask.nonzero-visible', text: 'in a matrix every nonzero entry is visible (0.5, −1, 1e−9 …), only 0 and −0 hide', tests: ['b.violations.transposed.weights', 'b.violations.last-row.weights'] },
  { id: 'layouts.padding', text: 'padding on either side', tests: ['b.violations.pad-future.right-pad', 'b.violations.pad-forgotten.left-pad', 'b.violations.pad-forgotten.random'] },
  { id: 'no-state', text: 'another layout of the same length, the same layout under other rules (no answer cached by size)', tests: ['b.allowed.same-length', 'b.allowed.lesson-non-causal', 'b.violations.correct.same-length', 'b.allowed.random'] },
  { id: 'inputs-unchanged', text: 'no function changes mask, segments or rules', tests: ['b.allowed.strict-rules', 'b.violations.correct.strict-rules'] },
];
