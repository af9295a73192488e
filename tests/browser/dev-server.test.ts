// The README's `npm run dev` runs the course, Run included: the dev server serves the sandbox worker as one
// script (src/sandbox/dev-worker-plugin.ts), and the first Run does not reload the page to optimise a dependency.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPassedLists, openSession, type Session } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 200, or rejects after `ms`. */
async function waitUp(url: string, ms: number, dev: ChildProcess, log: string[]): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (dev.exitCode !== null) throw new Error(`astro dev exited with ${dev.exitCode}:\n${log.join('')}`);
    const ok = await fetch(url).then((r) => r.ok, (e) => (log.push(`fetch: ${e} ${e?.cause}\n`), false));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`astro dev did not answer within ${ms} ms:\n${log.join('')}`);
}

let dev: ChildProcess;
let base = '';
let s: Session;
const log: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The Node running the tests (npm scripts use the node@22 devDependency, which Astro 7 needs).
  dev = spawn(process.execPath, [`${root}node_modules/astro/bin/astro.mjs`, 'dev', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    // Vitest's own variables (NODE_ENV=test, VITEST…) would change how Astro and Vite behave.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|NODE_ENV$|TEST$)/.test(k))), ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (d) => log.push(String(d)));
  dev.stderr?.on('data', (d) => log.push(String(d)));
  await waitUp(`${base}/`, 60_000, dev, log);
  s = await openSession();
}, 90_000);

afterAll(async () => {
  await s?.close();
  dev?.kill('SIGTERM');
});

describe('npm run dev', () => {
  it('serves an exercise page whose Run grades the reference solution', async () => {
    const slug = '01-scaled-dot-product';
    const solution = readFileSync(`${root}exercises/${slug}/solution.ts`, 'utf8');
    let loads = 0;
    s.page.on('load', () => loads++);
    await s.page.goto(`${base}/exercises/${slug}/`, { waitUntil: 'load', timeout: 60_000 });
    const ws = s.page.locator('[data-amm-ws="01"]');
    await ws.scrollIntoViewIfNeeded();
    await s.page.locator('[data-amm-ws="01"][data-editor="monaco"]').waitFor({ timeout: 60_000 });
    await s.page.evaluate((c) => window.__amm!.setCode('01', c), solution);
    await s.page.evaluate(() => window.__amm!.run('01'));
    // Passed tests are listed (drawn) once their list is opened.
    await openPassedLists(s.page, '01');
    const statuses = await ws.locator('[data-results] section[data-part] li[data-status]').evaluateAll((lis) =>
      lis.filter((li) => li.closest('section')?.getAttribute('data-part') !== 'c').map((li) => `${li.getAttribute('data-test')}:${li.getAttribute('data-status')}`),
    );
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((x) => !x.endsWith(':pass'))).toEqual([]);
    expect(loads).toBe(1);
  }, 120_000);
});
