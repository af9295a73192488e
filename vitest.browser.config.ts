import { defineConfig } from 'vitest/config';
import { missingChromium } from './tests/browser/chromium.ts';

// Real-browser tests: Playwright drives Debian's Chromium against the built site in dist/.
// Without Chromium, a local run says in one line what to install and skips these files, so `npm test` still runs
// everything else; in CI (CI=true) the missing browser is an error.
const missing = missingChromium();
const skip = missing !== null && !process.env.CI;
if (skip) console.warn(`⚠ ${missing} Skipping the browser tests.`);

export default defineConfig({
  test: {
    include: skip ? [] : ['tests/browser/**/*.test.ts'],
    passWithNoTests: skip,
    globalSetup: skip ? [] : ['tests/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
