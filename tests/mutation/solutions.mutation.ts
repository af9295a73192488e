// The test Stryker runs against each mutant of exercises/*/solution.ts (stryker.config.mjs): the exercise's grader
// must pass the (mutated) solution on the default seed and a few others. A mutant is killed when any seed fails.
// EXERCISE=03 narrows it to one exercise (the config narrows the mutated files the same way).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { loadLearner } from '../../graders/lib/learner-module';
import { firstFailingTest } from '../graders/seeds';

/** The CLI's default seed (1) and four more. */
export const MUTATION_SEEDS = [1, 2, 3, 4, 5];

const root = join(__dirname, '..', '..', 'exercises');
const only = process.env.EXERCISE?.split(',').map((e) => e.trim().padStart(2, '0'));
const folders = readdirSync(root).filter((d) => /^\d\d-/.test(d) && (!only || only.includes(d.slice(0, 2)))).sort();

describe.each(folders)('%s', (folder) => {
  it('the grader passes the solution on every mutation seed', () => {
    // Read at test time: Stryker's sandbox holds the instrumented file, which switches mutants by a global.
    const mod = loadLearner(readFileSync(join(root, folder, 'solution.ts'), 'utf8'), 'solution.ts');
    const g = graders[folder.slice(0, 2)];
    // Stops at the first failing test (no shrinking or diagnosis): a killed mutant costs little.
    for (const seed of MUTATION_SEEDS) expect(firstFailingTest(g, mod, seed), `seed ${seed}`).toBeNull();
  });
});
