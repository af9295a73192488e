// Mutation testing of the graders (`npm run mutation`): StrykerJS mutates each exercise's reference solution and
// runs tests/mutation/suite.ts on each mutant; a mutant survives when its grader still passes it on seeds 1–5.
// tests/mutation/check.ts then reads the JSON report and fails on a survivor or a misleading diagnosis.
// EXERCISE=03 npm run mutation   mutates one exercise's solution only (EXERCISE=02,05 a few).
const only = process.env.EXERCISE?.split(',').map((e) => e.trim().padStart(2, '0'));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // Our own runner (tests/mutation/stryker-runner.mjs): one process grades many mutants, with the cases made once.
  appendPlugins: ['./tests/mutation/stryker-runner.mjs'],
  testRunner: 'graders',
  mutate: only ? only.map((id) => `exercises/${id}-*/solution.ts`) : ['exercises/*/solution.ts'],
  coverageAnalysis: 'perTest',
  // CI logs are not a terminal: one line per progress update instead of a redrawn bar.
  reporters: ['json', 'clear-text', process.stdout.isTTY ? 'progress' : 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // The sandbox copy needs what the graders import; the site, lessons and browser tests are left out.
  ignorePatterns: ['dist', '.astro', 'reports', 'content', 'public', 'bench', 'tests/browser', 'test-results', '.ci', 'src/workspace', 'src/pages', 'src/components'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 100, low: 100, break: null },
  // A call that loops forever is stopped by the suite's per-call limit (3 s, 5 s for exercise 09) and fails its test;
  // Stryker's own limit (this long after the normal run time) only catches what that misses, and restarts the runner.
  timeoutMS: 10_000,
};
