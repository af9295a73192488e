// axe-core over every built page in both Starlight themes: no serious or critical violation may remain.
// The page list comes from dist/ itself, so a new lesson or exercise is checked without editing this file.
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from './harness';

const DIST = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : fileURLToPath(new URL('../../dist/', import.meta.url));

/** Site paths of every built HTML page ("/", "/lessons/01-intuition/", …), the 404 page included. */
function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'index.html') pages.push('/' + relative(DIST, dir).split('\\').join('/') + '/');
    }
  };
  walk(DIST);
  // The sandbox document is an opaque-origin iframe host, not a page; 404.html is served for unknown paths.
  return [...pages.map((p) => p.replace(/^\/\/$/, '/')).sort(), '/no-such-page/'];
}

const THEMES = ['light', 'dark'] as const;

/**
 * Rules whose serious/critical violations are not all fixed yet (issue 15). Their findings are printed on every run,
 * so the gap stays visible, but do not fail the test; every other rule fails it. Shrink this list as fixes land.
 */
const REMAINING_RULES: ReadonlySet<string> = new Set<string>([]);

interface Finding {
  rule: string;
  line: string;
}

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

/** Loads `path` in `theme` and returns its serious and critical axe violations, one per rule and target. */
async function audit(path: string, theme: (typeof THEMES)[number]): Promise<Finding[]> {
  await s.goto(path);
  // Starlight applies the stored theme before first paint; pages outside Starlight follow prefers-color-scheme.
  const applied = await s.page.evaluate(() => document.documentElement.dataset.theme ?? null);
  if (applied !== null) expect(applied, `${path} theme`).toBe(theme);
  const results = await new AxeBuilder({ page: s.page }).exclude('iframe[sandbox]').analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => ({
        rule: v.id,
        line: `[${theme}] ${path} ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? v.help}`,
      })),
    );
}

// NOT YET VERIFIED OVER THE WHOLE SITE (issue 15): the full run (25 pages x 2 themes, 20-30 s a page on the loaded
// machine) did not finish before the deadline, so it runs only with AMM_A11Y=1 until the lead has seen it pass.
const RUN = process.env.AMM_A11Y === '1';
if (!RUN) console.warn('⚠ a11y.test.ts skipped: set AMM_A11Y=1 to run axe-core over every page (issue 15, not yet verified)');

describe.runIf(RUN)('accessibility (axe-core, serious and critical)', () => {
  const pages = builtPages();

  it('finds the whole site: home, lessons, notation, exercises, instructor and 404', () => {
    expect(pages).toContain('/');
    expect(pages.filter((p) => p.startsWith('/lessons/')).length).toBe(11);
    expect(pages.filter((p) => p.startsWith('/exercises/')).length).toBe(10);
    expect(pages).toContain('/instructor/');
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
          const findings = await audit(path, theme);
          const known = findings.filter((f) => REMAINING_RULES.has(f.rule));
          if (known.length) console.warn(`KNOWN, NOT YET FIXED:\n${known.map((f) => f.line).join('\n')}`);
          const unexpected = findings.filter((f) => !REMAINING_RULES.has(f.rule));
          expect(unexpected.map((f) => f.line)).toEqual([]);
        }, 180_000); // axe takes 20–30 s a page on a loaded 2-core machine
      }
    });
  }
});
