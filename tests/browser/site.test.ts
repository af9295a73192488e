import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from './harness';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

/** Asserts the current page rendered its math with KaTeX and has no KaTeX errors. */
async function expectMathRendered() {
  expect(await s.page.locator('.katex').count()).toBeGreaterThan(0);
  expect(await s.page.locator('.katex-error').count()).toBe(0);
}

describe('course site', () => {
  it('home page introduces the course and shows empty progress on a first visit', async () => {
    await s.goto('/');
    await expect(s.page.locator('h1').first().textContent()).resolves.toContain('Attention Mechanism Math');
    await expect(s.page.locator('blockquote').textContent()).resolves.toContain('differentiable retrieval');
    expect(await s.page.locator('main li').filter({ hasText: 'KV cache' }).count()).toBeGreaterThan(0);
    await expect(s.page.locator('[data-count="lessons"]').textContent()).resolves.toBe('0');
    await expect(s.page.locator('[data-count="exercises"]').textContent()).resolves.toBe('0');
    expect(await s.page.locator('.progress-overview__error').isHidden()).toBe(true);
  });

  it('goes from home to lesson 01, rendered math included', async () => {
    await s.goto('/');
    await s.page.getByRole('link', { name: 'Start with lesson 1' }).click();
    await s.page.waitForURL('**/lessons/01-intuition/');
    await expectMathRendered();
    for (const n of ['1.1', '1.2', '1.3', '1.4', '1.5']) {
      expect(await s.page.locator('h2', { hasText: new RegExp(`^${n.replace('.', '\\.')} `) }).count()).toBe(1);
    }
    expect(await s.page.locator('table.shape-table').count()).toBeGreaterThan(0);
  });

  it('follows next links through every lesson and prev links back, each page with math', async () => {
    await s.goto('/lessons/01-intuition/');
    const visited = [new URL(s.page.url()).pathname];
    for (;;) {
      await expectMathRendered();
      const next = s.page.locator('a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.click();
      await s.page.waitForLoadState('load');
      visited.push(new URL(s.page.url()).pathname);
      expect(visited.length).toBeLessThan(40);
    }
    for (let i = visited.length - 2; i >= 0; i--) {
      await s.page.locator('a[rel="prev"]').click();
      await s.page.waitForLoadState('load');
      expect(new URL(s.page.url()).pathname).toBe(visited[i]);
    }
    expect(visited[0]).toBe('/lessons/01-intuition/');
  }, 180_000); // some 25 page loads: allow for a loaded machine

  it('on a 375 px phone no page scrolls sideways (wide math and tables scroll inside the text column)', async () => {
    await s.goto('/lessons/01-intuition/');
    const pages = ['/', '/instructor/', ...(await s.page.locator('nav.sidebar a[href]').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname)))];
    expect(pages.filter((p) => p.startsWith('/lessons/')).length).toBe(11);
    expect(pages.filter((p) => p.startsWith('/exercises/')).length).toBe(10);
    await s.page.setViewportSize({ width: 375, height: 800 });
    try {
      const wide: string[] = [];
      for (const p of new Set(pages)) {
        await s.goto(p);
        const w = await s.page.evaluate(() => document.documentElement.scrollWidth);
        if (w > 375) wide.push(`${p}: ${w} px`);
      }
      expect(wide).toEqual([]);
    } finally {
      await s.page.setViewportSize({ width: 1280, height: 900 });
    }
  }, 180_000); // every page of the site

  it('marks a lesson read, shows it in the sidebar and on the home page, and can undo it', async () => {
    await s.goto('/lessons/01-intuition/');
    const toggle = s.page.locator('.lesson-progress button');
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    expect(await s.page.locator('nav.sidebar a.is-read[href$="/lessons/01-intuition/"]').count()).toBe(1);
    await s.goto('/');
    await expect(s.page.locator('[data-count="lessons"]').textContent()).resolves.toBe('1');
    await s.goto('/lessons/01-intuition/');
    await s.page.locator('.lesson-progress button').click();
    await expect(s.page.locator('.lesson-progress button').getAttribute('aria-pressed')).resolves.toBe('false');
  });

  it('search works offline (Pagefind index served locally)', async () => {
    await s.goto('/lessons/01-intuition/');
    // Starlight mounts Pagefind UI in a requestIdleCallback; Playwright's rAF-driven polling can
    // starve that callback on a loaded 2-core machine, so wait for the mount on a timer first.
    await s.page.waitForFunction(() => document.querySelector('#starlight__search .pagefind-ui input'), null, {
      polling: 250,
      timeout: 45_000,
    });
    await s.page.locator('site-search button[data-open-modal]').first().click();
    await s.page.locator('site-search input').first().fill('softmax');
    await expect(s.page.locator('.pagefind-ui__result').first().waitFor({ timeout: 15_000 })).resolves.toBeUndefined();
  });

  it('logged no console errors and sent no request outside localhost', () => {
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
