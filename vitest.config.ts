import { defineConfig } from 'vitest/config';

// Unit and property tests. Browser tests have their own config (vitest.browser.config.ts).
// `npm run test:unit` runs tests/instructor in a second pass, one file at a time: the batch tests grade whole classes
// under wall-clock call limits, and sharing the 2 cores with the 200-seed grader sweeps made honest calls time out.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    // isolated-vm (the instructor sandbox) must not share V8 with Node's startup snapshot (instructor/README.md).
    execArgv: ['--no-node-snapshot'],
  },
});
