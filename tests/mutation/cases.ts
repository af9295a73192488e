// The cases of the mutation seeds, made once per test-runner process. Mutants only change the solution; the grader
// and the engine that make the cases (and their expected values) are not mutated, so every mutant run reuses them.
import type { Grader } from '../../graders/lib/index';
import { madeCases, type MadeCase } from '../graders/seeds';

/** The CLI's default seed (1) and four more. */
export const MUTATION_SEEDS = [1, 2, 3, 4, 5];

const made = new Map<string, MadeCase[]>();

/** The made cases of `seed` for grader `g`, built on first use. */
export function casesOf(g: Grader, seed: number): MadeCase[] {
  const key = `${g.meta.id}#${seed}`;
  let cases = made.get(key);
  if (!cases) made.set(key, (cases = madeCases(g, seed)));
  return cases;
}
