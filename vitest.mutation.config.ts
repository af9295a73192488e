import { defineConfig } from 'vitest/config';

// The test StrykerJS runs against every mutant of the exercise solutions (stryker.config.mjs, `npm run mutation`).
export default defineConfig({
  test: {
    include: ['tests/mutation/**/*.mutation.ts'],
    testTimeout: 60_000,
  },
});
