// axe-core over every built page in both Starlight themes: no serious or critical violation may remain.
// The page list comes from dist/ itself, so a new lesson or exercise is checked without editing this file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dist } from './built-site';
import { openPassedLists, openSession, type Session } from './harness';


/** Site paths of every built HTML page ("/", "/lessons/01-intuition/", …), the 404 page included. */
function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'index.html') pages.push('/' + relative(dist, dir).split('\\').join('/') + '/');
    }
  };
  walk(dist);
  // The sandbox document is an opaque-origin iframe host, not a page; 404.html is served for unknown paths.
  return [...pages.map((p) => p.replace(/^\/\/$/, '/')).sort(), '/no-such-page/'];
}

const THEMES = ['light', 'dark'] as const;

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

/** Serious and critical axe violations of the page as it is now, one line per rule and element. */
async function violations(label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page: s.page })
    // The sandbox frame is an empty, opaque-origin host for learner code, not content.
    .exclude('iframe[sandbox]')
    // Every rule runs, in the page itself (axe.run). The default path (runPartial, then finishRun in a new page)
    // ships the full result of every node, passes included, across the browser protocol: 40-100 s for a lesson of
    // 10,000 elements here, against 5-13 s this way. Only violations are needed, so only they are built in full.
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) => `${label} ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? v.help}`,
      ),
    );
}

/** Loads `path` in `theme` and returns its serious and critical axe violations. */
async function audit(path: string, theme: (typeof THEMES)[number]): Promise<string[]> {
  await s.goto(path);
  // Starlight applies the stored theme before first paint; pages outside Starlight follow prefers-color-scheme.
  const applied = await s.page.evaluate(() => document.documentElement.dataset.theme ?? null);
  if (applied !== null) expect(applied, `${path} theme`).toBe(theme);
  // KaTeX's web fonts change widths, and an equation that overflows only once they are in becomes a focusable
  // scroller a frame later (scroll-focus.ts): audit the page as it settles, not as it first paints.
  await s.page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  return violations(`[${theme}] ${path}`);
}

describe('accessibility (axe-core, serious and critical)', () => {
  const pages = builtPages();

  it('finds the whole site: home, lessons, notation, exercises, instructor and 404', () => {
    expect(pages).toContain('/');
    expect(pages.filter((p) => p.startsWith('/lessons/')).length).toBe(11);
    expect(pages.filter((p) => p.startsWith('/exercises/')).length).toBe(10);
    expect(pages).toContain('/notation/');
    expect(pages).toContain('/instructor/');
  });

  it('the audit as configured catches planted violations of the kinds this site had', async () => {
    await s.goto('/no-such-page/');
    await s.page.evaluate(() => {
      const main = document.querySelector('main') ?? document.body;
      main.insertAdjacentHTML(
        'beforeend',
        `<p id="planted-contrast" style="color:#4fdf0c;background:#fff">passed</p>
         <button id="planted-name" aria-label="Step forward">Next ›</button>
         <span id="planted-label" aria-label="not read yet"></span>
         <div id="planted-scroll" style="overflow-x:auto;width:5rem"><p style="width:40rem;margin:0">wide text that scrolls</p></div>`,
      );
    });
    const found = (await violations('planted')).join('\n');
    for (const rule of ['color-contrast', 'label-content-name-mismatch', 'aria-prohibited-attr', 'scrollable-region-focusable']) {
      expect(found, rule).toContain(` ${rule} `);
    }
  });

  for (const theme of THEMES) {
    describe(`${theme} theme`, () => {
      beforeAll(async () => {
        // Starlight reads the stored choice; the instructor page follows prefers-color-scheme.
        await s.page.emulateMedia({ colorScheme: theme });
        await s.goto('/');
        await s.page.evaluate((t) => localStorage.setItem('starlight-theme', t), theme);
      });
      for (const path of pages) {
        it(`${path} has no serious or critical violation`, async () => {
          expect(await audit(path, theme)).toEqual([]);
        }, 120_000);
      }

      it('the results of a failing Run (tests opened and closed, the passed list opened) have no serious or critical violation', async () => {
        const exercises = fileURLToPath(new URL('../../exercises/', import.meta.url));
        const slug = readdirSync(exercises).find((d) => d.startsWith('02-'))!;
        const mistake = readFileSync(join(exercises, slug, 'mistakes', 'causal-off-by-one.ts'), 'utf8');
        await s.goto(`/exercises/${slug}/`);
        const ws = s.page.locator('[data-amm-ws="02"]');
        await ws.scrollIntoViewIfNeeded();
        await s.page.locator('[data-amm-ws="02"][data-editor="monaco"]').waitFor({ timeout: 30_000 });
        await s.page.evaluate((c) => window.__amm!.setCode('02', c), mistake);
        const runs = Number((await ws.getAttribute('data-runs')) ?? 0);
        await ws.locator('[data-action="run"]').click();
        await s.page.waitForFunction((n) => Number(document.querySelector('[data-amm-ws="02"]')?.getAttribute('data-runs') ?? 0) > n, runs, { timeout: 30_000 });
        await openPassedLists(s.page, '02');
        expect(await ws.locator('[data-results] .amm-test__toggle[aria-expanded="true"]').count()).toBeGreaterThan(0);
        expect(await ws.locator('[data-results] .amm-test__toggle[aria-expanded="false"]').count()).toBeGreaterThan(0);
        expect(await violations(`[${theme}] results of a failing Run`)).toEqual([]);
      }, 120_000);
    });
  }
});
