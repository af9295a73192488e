import { defineConfig } from 'vitest/config';

// Real-browser tests: Playwright drives Debian's Chromium against the built site in dist/.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
