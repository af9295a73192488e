// A Stryker test runner that grades every mutant inside one long-lived process (stryker.config.mjs loads it with
// appendPlugins). Stryker's Vitest runner starts a fresh Vitest worker for every mutant run, which re-imports the
// graders, the engine and their libraries and re-makes every case: about 3 s per mutant even on an idle machine,
// against milliseconds for the grading itself. Here the suite (tests/mutation/suite.ts) is imported once and the
// cases are made once; only the mutated solution is re-read and re-evaluated per run. The kill criterion is the
// suite's. Stryker still owns time: a run that overruns its timeout gets this process killed and restarted.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { INSTRUMENTER_CONSTANTS as ID } from '@stryker-mutator/api/core';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { DryRunStatus, TestStatus, determineHitLimitReached, toMutantRunResult } from '@stryker-mutator/api/test-runner';
import { register } from 'tsx/esm/api';

/** The namespace the instrumented code reads the active mutant from and writes coverage and hit counts to. */
const ns = () => (globalThis[ID.NAMESPACE] ??= {});

class GraderTestRunner {
  /** @type {{ id: string; run(): string | null }[]} */
  tests = [];

  capabilities() {
    // Every run re-evaluates the solution file, so even a mutant in its top-level code takes effect without a restart.
    return { reloadEnvironment: true };
  }

  async init() {
    register();
    // The working directory is Stryker's sandbox: import the suite from there, so it reads the instrumented files.
    ({ tests: this.tests } = await import(pathToFileURL(resolve('tests/mutation/suite.ts')).href));
  }

  /** Runs the tests (all, or those named by `filter`), stopping at the first failure unless `all`. */
  runTests(filter, all, onEach) {
    const results = [];
    for (const t of this.tests) {
      if (filter && !filter.includes(t.id)) continue;
      onEach?.(t.id);
      const start = performance.now();
      let failure;
      try {
        failure = t.run();
      } catch (e) {
        failure = `the suite threw: ${e instanceof Error ? e.stack : String(e)}`;
      }
      const base = { id: t.id, name: t.id, timeSpentMs: performance.now() - start };
      results.push(failure === null ? { ...base, status: TestStatus.Success } : { ...base, status: TestStatus.Failed, failureMessage: failure });
      if (failure !== null && !all) break;
    }
    return results;
  }

  async dryRun(options) {
    const s = ns();
    s[ID.ACTIVE_MUTANT] = undefined;
    s[ID.HIT_COUNT] = undefined;
    s[ID.MUTATION_COVERAGE_OBJECT] = { static: {}, perTest: {} };
    const tests = this.runTests(undefined, true, (id) => (s[ID.CURRENT_TEST_ID] = id));
    s[ID.CURRENT_TEST_ID] = undefined;
    const coverage = s[ID.MUTATION_COVERAGE_OBJECT];
    s[ID.MUTATION_COVERAGE_OBJECT] = undefined;
    return { status: DryRunStatus.Complete, tests, ...(options.coverageAnalysis === 'off' ? {} : { mutantCoverage: coverage }) };
  }

  async mutantRun(options) {
    const s = ns();
    s[ID.ACTIVE_MUTANT] = options.activeMutant.id;
    s[ID.HIT_LIMIT] = options.hitLimit;
    s[ID.HIT_COUNT] = options.hitLimit === undefined ? undefined : 0;
    try {
      const tests = this.runTests(options.testFilter, options.disableBail);
      const hitLimit = determineHitLimitReached(s[ID.HIT_COUNT], options.hitLimit);
      return toMutantRunResult(hitLimit ?? { status: DryRunStatus.Complete, tests });
    } finally {
      s[ID.ACTIVE_MUTANT] = undefined;
      s[ID.HIT_COUNT] = undefined;
    }
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'graders', GraderTestRunner)];
