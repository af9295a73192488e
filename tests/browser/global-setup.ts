// Serves the built site for the browser tests. `npm test` builds dist/ first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dist } from './built-site';
import { missingChromium } from './chromium';
import { serveStatic } from './static-server';

export default async function setup(project: TestProject) {
  // One clear line instead of a stack trace per test file (vitest.browser.config.ts skips the files outside CI).
  const missing = missingChromium();
  if (missing) throw new Error(missing);
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` before the browser tests');
  }
  const { server, url } = await serveStatic(dist + '/');
  project.provide('baseUrl', url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
