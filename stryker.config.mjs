// Mutation testing of the graders (`npm run mutation`): StrykerJS mutates each exercise's reference solution and
// runs tests/mutation/solutions.mutation.ts; a mutant survives when its grader still passes it on seeds 1–5.
// EXERCISE=03 npm run mutation   mutates one exercise's solution only (EXERCISE=02,05 a few).
const only = process.env.EXERCISE?.split(',').map((e) => e.trim().padStart(2, '0'));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // The test reads the solutions from disk (learners' files are loaded the same way), so Vitest cannot relate them.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: only ? only.map((id) => `exercises/${id}-*/solution.ts`) : ['exercises/*/solution.ts'],
  coverageAnalysis: 'perTest',
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // The sandbox copy needs what the graders import; the site, lessons and browser tests are left out.
  ignorePatterns: ['dist', '.astro', 'reports', 'content', 'public', 'bench', 'tests/browser', 'test-results', '.ci', 'src/workspace', 'src/pages', 'src/components'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 100, low: 100, break: null },
  // A mutant that loops forever is stopped this long after the normal run time (it counts as killed).
  timeoutMS: 5_000,
};
