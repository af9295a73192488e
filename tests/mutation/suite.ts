// What Stryker runs against each mutant of exercises/*/solution.ts (through tests/mutation/stryker-runner.mjs): one
// test per exercise, passed when the exercise's grader passes the (mutated) solution on the default seed and a few
// others. A mutant is killed when any seed fails, including a call stopped by the CLI's per-call time limit.
// EXERCISE=03 (or 02,05) narrows it to some exercises; stryker.config.mjs narrows the mutated files the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graders } from '../../graders/index';
import { loadLearner } from '../../graders/lib/learner-module';
import { firstFailingCase } from '../graders/seeds';
import { casesOf, MUTATION_SEEDS } from './cases';
import { callLimitMs, timedCall } from './time-limit';

/** One test of the suite: `run` returns null when it passes, else why it failed. */
export interface SuiteTest {
  id: string;
  run(): string | null;
}

// Resolved from this file, so that inside Stryker's sandbox it reads the sandbox's (instrumented) solutions.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'exercises');
const only = process.env.EXERCISE?.split(',').map((e) => e.trim().padStart(2, '0'));
const folders = readdirSync(root).filter((d) => /^\d\d-/.test(d) && (!only || only.includes(d.slice(0, 2)))).sort();

/** One test per exercise folder, in order. */
export const tests: SuiteTest[] = folders.map((folder) => ({
  id: `${folder}: the grader passes the solution on every mutation seed`,
  run() {
    // Read and evaluated on every run: the instrumented file switches mutants by a global, and code at its top
    // level must run again under the active mutant.
    const mod = loadLearner(readFileSync(join(root, folder, 'solution.ts'), 'utf8'), 'solution.ts');
    const g = graders[folder.slice(0, 2)];
    const ms = callLimitMs(g.meta.timeLimitMs);
    // Seed by seed, stopping at the first failing case (no shrinking or diagnosis): a killed mutant costs little.
    for (const seed of MUTATION_SEEDS) {
      const failed = firstFailingCase(mod, casesOf(g, seed), (m, c) => timedCall(m, c, ms));
      if (failed !== null) return `seed ${seed}: ${failed}`;
    }
    return null;
  },
}));
