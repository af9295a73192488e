// Opens the built course in headless Debian Chromium through playwright-core, recording
// console errors, page errors and every request that tries to leave localhost (and blocking it).
import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from './chromium';

/** What a browser session saw besides the page itself. */
export interface Session {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Console messages of type "error" and uncaught page errors. */
  errors: string[];
  /** URLs of requests that targeted anything but localhost (they are aborted). */
  external: string[];
  /** Navigates to a site path such as "/lessons/01-intuition/". */
  goto(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a fresh browser profile (empty storage) on the built site. */
export async function openSession(): Promise<Session> {
  const baseUrl = inject('baseUrl');
  const browser = await launchChromium();
  const { context } = browser;
  const errors: string[] = [];
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(url.hostname) || ['blob:', 'data:'].includes(url.protocol)) {
      return route.continue();
    }
    external.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const watch = (p: Page) => {
    // Resource 404s are reported by URL (the console message alone does not name it).
    p.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    p.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`));
    p.on('pageerror', (e) => errors.push(e.message));
  };
  watch(page);
  context.on('page', watch);
  return {
    context,
    page,
    baseUrl,
    errors,
    external,
    async goto(path) {
      await page.goto(baseUrl + path, { waitUntil: 'load' });
    },
    async close() {
      await browser.close();
    },
  };
}

/** Opens every closed "N tests passed" list in exercise `id`'s results, as a learner does: they are drawn when opened. */
export async function openPassedLists(page: Page, id: string): Promise<void> {
  const lists = `[data-amm-ws="${id}"] [data-results] details.amm-results__passed`;
  await page.locator(`${lists}:not([open]) > summary`).evaluateAll((ss) => ss.forEach((x) => (x as HTMLElement).click()));
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((d) => d.querySelector(':scope > ul')), lists);
}
