// Headless Debian Chromium (or CHROMIUM_PATH) on a fresh, throw-away profile: the browser tests and the browser
// benches launch it the same way.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary the tests drive: CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** One line saying what to install or set when Chromium is missing; null when it is there. */
export function missingChromium(): string | null {
  const path = chromiumPath();
  if (existsSync(path)) return null;
  return process.env.CHROMIUM_PATH
    ? `Browser tests need Chromium: CHROMIUM_PATH=${path} does not exist — point it at a Chromium or Chrome binary.`
    : `Browser tests need Chromium at ${path}: install it (sudo apt-get install chromium) or set CHROMIUM_PATH=/path/to/chromium.`;
}

/** A browser context with empty storage at 1280 × 900; `close` also deletes its profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'amm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
