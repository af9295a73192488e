import { defineConfig } from 'vitest/config';

// The test StrykerJS runs against every mutant of the exercise solutions (stryker.config.mjs, `npm run mutation`).
export default defineConfig({
  test: {
    include: ['tests/mutation/**/*.mutation.ts'],
    testTimeout: 60_000,
    // One module graph for all mutant runs: the graders and engine are imported once, not once per mutant (the test
    // reads the mutated solution from disk on every run, so nothing stale is reused).
    isolate: false,
  },
});
