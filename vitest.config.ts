import { defineConfig } from 'vitest/config';

// Unit and property tests. Browser tests have their own config (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    // isolated-vm (the instructor sandbox) must not share V8 with Node's startup snapshot (instructor/README.md).
    execArgv: ['--no-node-snapshot'],
  },
});
