// The exercise workspace in real Chromium: every exercise's reference solution passes, every known mistake is
// named, learner code is sandboxed and time-limited, and the learner's work survives reload, export/import,
// reset and the solution reveal.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { openPassedLists, openSession, type Session } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** One exercise folder as the tests need it. */
interface Ex {
  id: string;
  slug: string;
  solution: string;
  starter: string;
  correct: string;
  wrong: string;
  mistakes: { name: string; code: string }[];
}

const exercises: Ex[] = readdirSync(join(root, 'exercises'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name) && existsSync(join(root, 'exercises', d.name, 'meta.json')))
  .map((d) => {
    const dir = join(root, 'exercises', d.name);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    const mdir = join(dir, 'mistakes');
    return {
      id: meta.id,
      slug: meta.slug,
      solution: readFileSync(join(dir, 'solution.ts'), 'utf8'),
      starter: readFileSync(join(dir, 'starter.ts'), 'utf8'),
      correct: meta.concept.choices.find((c: { correct: boolean }) => c.correct).id,
      wrong: meta.concept.choices.find((c: { correct: boolean }) => !c.correct).id,
      mistakes: existsSync(mdir)
        ? readdirSync(mdir).filter((f) => f.endsWith('.ts')).sort().map((f) => ({ name: f.replace(/\.ts$/, ''), code: readFileSync(join(mdir, f), 'utf8') }))
        : [],
    };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

let s: Session;
beforeAll(async () => {
  s = await openSession();
  s.page.on('dialog', (d) => void d.accept());
});
afterAll(async () => {
  await s?.close();
});

/** Opens an exercise page and waits until Monaco holds the code. */
async function open(ex: Ex) {
  await s.goto(`/exercises/${ex.slug}/`);
  await s.page.locator(`[data-amm-ws="${ex.id}"]`).scrollIntoViewIfNeeded();
  await s.page.locator(`[data-amm-ws="${ex.id}"][data-editor="monaco"]`).waitFor({ timeout: 30_000 });
}
const ws = (ex: Ex) => s.page.locator(`[data-amm-ws="${ex.id}"]`);
const setCode = (ex: Ex, code: string) => s.page.evaluate(([id, c]) => window.__amm!.setCode(id, c), [ex.id, code] as const);
const getCode = (ex: Ex) => s.page.evaluate((id) => window.__amm!.getCode(id), ex.id);

/** Presses Run and waits for this Run's verdict. */
async function run(ex: Ex, timeout = 20_000) {
  const before = Number((await ws(ex).getAttribute('data-runs')) ?? 0);
  await ws(ex).locator('[data-action="run"]').click();
  await s.page.waitForFunction(([id, n]) => Number(document.querySelector(`[data-amm-ws="${id}"]`)?.getAttribute('data-runs') ?? 0) > n, [ex.id, before] as const, { timeout });
}
const statuses = async (ex: Ex, part: string) => {
  await openPassedLists(s.page, ex.id);
  return ws(ex).locator(`[data-results] section[data-part="${part}"] li[data-status]`).evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-test')}:${li.getAttribute('data-status')}`));
};

describe('exercise workspace', () => {
  it('finds the exercises', () => {
    expect(exercises.length).toBeGreaterThan(0);
  });

  for (const ex of exercises) {
    it(`exercise ${ex.id}: the reference solution passes (a) and (b), the right choice passes (c)`, async () => {
      await open(ex);
      await ws(ex).locator(`[data-choice="${ex.correct}"] input`).check();
      await setCode(ex, ex.solution);
      await run(ex);
      for (const part of ['a', 'b']) {
        const st = await statuses(ex, part);
        expect(st.length).toBeGreaterThan(0);
        expect(st.filter((x) => !x.endsWith(':pass'))).toEqual([]);
      }
      expect(await statuses(ex, 'c')).toEqual(['c.concept:pass']);
      await expect(ws(ex).getAttribute('data-verdict')).resolves.toBe('pass');
      await expect(ws(ex).locator('[data-live]').textContent()).resolves.toMatch(/Part \(a\): (\d+) of \1 tests passed/);
      // Progress: header, sidebar mark.
      await expect(ws(ex).locator('[data-progress] [data-part="b"]').textContent()).resolves.toContain('passed');
      expect(await s.page.locator(`nav.sidebar a.is-passed[href$="/exercises/${ex.slug}/"]`).count()).toBe(1);
    });

    it(`exercise ${ex.id}: each known mistake is named by the diagnosis`, async () => {
      await open(ex);
      const missed: string[] = [];
      for (const m of ex.mistakes) {
        await setCode(ex, m.code);
        await run(ex);
        const named = await ws(ex).locator(`[data-results] [data-mistake="${m.name}"]`).count();
        if (named === 0) missed.push(m.name);
      }
      expect(missed).toEqual([]);
    });
  }

  const ex = exercises[0];

  it('a failing Run paints its verdict before the smallest cases and diagnoses; failing tests show inputs, the call as code once per call, and the line that threw', async () => {
    await open(ex);
    const m = ex.mistakes[0];
    await setCode(ex, m.code);
    // Records whether the verdict was on screen (with its "still looking" note) before the complete result.
    await s.page.evaluate((id) => {
      const box = document.querySelector(`[data-amm-ws="${id}"] [data-results]`)!;
      const w = window as unknown as { __early: string | null };
      w.__early = null;
      new MutationObserver(() => {
        if (w.__early === null && box.querySelector('.amm-results__pending')) w.__early = box.querySelector('.amm-results__summary')!.textContent;
      }).observe(box, { childList: true, subtree: true });
    }, ex.id);
    await run(ex);
    const early = await s.page.evaluate(() => (window as unknown as { __early: string | null }).__early);
    const final = await ws(ex).locator('[data-results] .amm-results__summary').textContent();
    expect(early).not.toBeNull();
    // Same tests passed and failed in the verdict as in the complete result; only the diagnosis is added.
    expect(early!.split(' — ')[0]).toBe(final!.split(' — ')[0]);
    expect(await ws(ex).locator('[data-results] .amm-results__pending').count()).toBe(0);
    expect(await ws(ex).locator(`[data-results] [data-mistake="${m.name}"]`).count()).toBeGreaterThan(0);

    // Every failing test drawn: inputs and, for each distinct call, one copyable code block.
    const failing = ws(ex).locator('[data-results] section:not([data-part="c"]) li[data-status="fail"] .amm-test__toggle');
    for (let i = 0; i < (await failing.count()); i++) {
      const d = failing.nth(i);
      if ((await d.getAttribute('aria-expanded')) !== 'true') await d.click();
    }
    expect(await ws(ex).locator('[data-results] .amm-test__inputs').count()).toBe(await failing.count());
    const calls = await ws(ex).locator('[data-results] .amm-test__call code').allTextContents();
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls[0]).toMatch(/^const \w+ = /);
    expect(calls[0]).toMatch(/console\.log\(\w+\(/);
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.baseUrl });
    const block = ws(ex).locator('[data-results] .amm-test__call').first();
    await block.locator('> summary').click();
    await block.locator('.amm-test__copy').click();
    await block.locator('.amm-test__copied', { hasText: 'Copied' }).waitFor({ timeout: 5000 });
    expect(await s.page.evaluate(() => navigator.clipboard.readText())).toBe(calls[0]);

    // The starter throws at its gap: the result quotes that line of the learner's file.
    await setCode(ex, ex.starter);
    await run(ex);
    const lineText = await ws(ex).locator('[data-results] .amm-test__line').first().textContent();
    const n = Number(/line (\d+)/.exec(lineText!)![1]);
    expect(lineText).toContain(ex.starter.split('\n')[n - 1].trim());
    expect(ex.starter.split('\n')[n - 1]).toContain('throw new Error');
  });

  it('stops an endless loop with a message, keeps the page responsive, and the next Run works', async () => {
    await open(ex);
    const loop = ex.starter.replace(/throw new Error\(.*\);/g, 'while (true) {}');
    expect(loop).toContain('while (true)');
    await setCode(ex, loop);
    const t0 = Date.now();
    await ws(ex).locator('[data-action="run"]').click();
    await s.page.waitForTimeout(500);
    // The page answers while the learner's loop spins in the sandbox worker.
    const p0 = Date.now();
    await s.page.evaluate(() => 1 + 1);
    expect(Date.now() - p0).toBeLessThan(500);
    await s.page.waitForFunction((id) => document.querySelector(`[data-amm-ws="${id}"]`)?.getAttribute('data-runs') === '1', ex.id, { timeout: 30_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    const timeouts = await ws(ex).locator('li[data-status="timeout"]').count();
    expect(timeouts).toBeGreaterThan(0);
    await expect(ws(ex).locator('li[data-status="timeout"] .amm-test__message').first().textContent()).resolves.toMatch(/stopped after \d+ ms — is there an endless loop\?/);
    await setCode(ex, ex.solution);
    await run(ex);
    await expect(ws(ex).locator('section[data-part="b"] li[data-status]:not([data-status="pass"])').count()).resolves.toBe(0);
  });

  it('a loop in one function stops only its tests: calls before it in the batch and after it (in a new worker) are graded', async () => {
    const ex09 = exercises.find((e) => e.id === '09')!;
    await open(ex09);
    // onlineSoftmaxUpdate loops; tiledAttention keeps a working copy, so its tests run after the stop.
    const code =
      ex09.solution.replace('export function onlineSoftmaxUpdate(', 'function update(').replace('state = onlineSoftmaxUpdate(state,', 'state = update(state,') +
      '\nexport function onlineSoftmaxUpdate(): never {\n  while (true) {}\n}\n';
    expect(code).toContain('state = update(state,');
    await setCode(ex09, code);
    await run(ex09, 30_000);
    const all = [...(await statuses(ex09, 'a')), ...(await statuses(ex09, 'b'))];
    const by = (prefix: string) => all.filter((x) => x.startsWith(prefix));
    // Before the loop in the batch: answered from the stopped batch's outcomes.
    expect(by('a.').length).toBeGreaterThan(0);
    expect(by('a.').every((x) => x.endsWith(':pass'))).toBe(true);
    // The loop: stopped once, its other tests not run.
    expect(by('b.update.').length).toBeGreaterThan(1);
    expect(by('b.update.').every((x) => x.endsWith(':timeout'))).toBe(true);
    // After the loop: answered by a fresh worker.
    expect(by('b.tiled').length).toBeGreaterThan(5);
    expect([...by('b.tiled'), ...by('b.memory')].every((x) => x.endsWith(':pass'))).toBe(true);
  });

  it('learner code that replaces postMessage (global and MessagePort\'s) and Function.prototype.call still gets its results', async () => {
    await open(ex);
    await setCode(ex, `const no = () => { throw new Error('no port for you'); };\nMessagePort.prototype.postMessage = no;\n(globalThis as any).postMessage = no;\nFunction.prototype.call = no;\n${ex.solution}`);
    await run(ex);
    const all = [...(await statuses(ex, 'a')), ...(await statuses(ex, 'b'))];
    expect(all.length).toBeGreaterThan(5);
    expect(all.filter((x) => !x.endsWith(':pass'))).toEqual([]);
  });

  it('runs from the keyboard (Ctrl+Enter in the editor, Enter on the Run button) and announces the verdict', async () => {
    await open(ex);
    await setCode(ex, ex.solution);
    const runs = async () => Number((await ws(ex).getAttribute('data-runs')) ?? 0);
    const before = await runs();
    await ws(ex).locator('.monaco-editor textarea').focus();
    await s.page.keyboard.press('Control+Enter');
    await s.page.waitForFunction(([id, n]) => Number(document.querySelector(`[data-amm-ws="${id}"]`)?.getAttribute('data-runs') ?? 0) > n, [ex.id, before] as const);
    const live = ws(ex).locator('[data-live]');
    await expect(live.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(live.textContent()).resolves.toMatch(/Part \(a\): \d+ of \d+ tests passed/);
    await ws(ex).locator('[data-action="run"]').focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForFunction(([id, n]) => Number(document.querySelector(`[data-amm-ws="${id}"]`)?.getAttribute('data-runs') ?? 0) > n + 1, [ex.id, before] as const);
    // The Run button keeps the focus, so the next Run is one key away.
    await expect(s.page.evaluate(() => document.activeElement?.getAttribute('data-action'))).resolves.toBe('run');
  });

  it('in dark mode on a 375 px screen: nothing overflows sideways, text keeps its contrast, mismatches show on both sides', async () => {
    const ex02 = exercises.find((e) => e.id === '02')!;
    const offByOne = ex02.mistakes.find((m) => m.name === 'causal-off-by-one')!;
    await s.page.emulateMedia({ colorScheme: 'dark' });
    await s.page.setViewportSize({ width: 375, height: 800 });
    try {
      await open(ex02);
      await setCode(ex02, offByOne.code);
      await run(ex02);
      expect(await s.page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
      expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      // WCAG contrast of the results' text on the page background.
      const ratios = await ws(ex02).locator('[data-results]').evaluate((root) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => {
            const x = v / 255;
            return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const bg = (e: Element | null): string => {
          for (let x = e; x; x = x.parentElement) {
            const c = getComputedStyle(x).backgroundColor;
            if (!/rgba\(.*, 0\)$|transparent/.test(c)) return c;
          }
          return getComputedStyle(document.body).backgroundColor;
        };
        const texts = [...root.querySelectorAll('.amm-test__toggle, .amm-test__message, .amm-test__diagnosis, .amm-tensor td, summary')].slice(0, 60);
        return texts.map((e) => {
          const [a, b] = [lum(getComputedStyle(e).color), lum(bg(e))];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        });
      });
      expect(ratios.length).toBeGreaterThan(10);
      expect(Math.min(...ratios)).toBeGreaterThanOrEqual(4.5);
      // The off-by-one mask hides the diagonal: on a 3-token case both tables mark all three diagonal cells.
      const first = ws(ex02).locator('li[data-status="fail"]').first();
      const marked = await first.locator('table.amm-tensor').evaluateAll((tables) =>
        tables.map((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.classList.contains('is-diff') ? 1 : 0)).join('')).join('/')),
      );
      expect(marked).toEqual(['100/010/001', '100/010/001']);
    } finally {
      await s.page.emulateMedia({ colorScheme: 'light' });
      await s.page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('a file that imports something is told exercises are self-contained, without its source echoed back', async () => {
    await open(ex);
    for (const from of ['https://example.com/helpers.js', './helpers']) {
      await setCode(ex, `import { helper } from '${from}';\nexport const shapes = helper;\nexport const attention = helper;\n`);
      await run(ex);
      const said = (await ws(ex).locator('[data-live]').textContent()) ?? '';
      expect(said).toMatch(/your file threw while loading: .* exercises must be self-contained: only `import type` is allowed/);
      expect(said).not.toMatch(/data:|helper;/);
    }
  });

  it('runaway memory ends the call with a message about memory', async () => {
    await open(ex);
    const names = [...ex.starter.matchAll(/export function (\w+)/g)].map((m) => m[1]);
    const greedy = names.map((n) => `export function ${n}(): any { return new Float64Array(2 ** 33); }`).join('\n');
    await setCode(ex, greedy);
    await run(ex);
    await expect(ws(ex).locator('li[data-status="error"] .amm-test__message').first().textContent()).resolves.toMatch(/more memory than the browser allows/);
  });

  it('storage failures are shown, the code stays in memory and export is offered', async () => {
    await s.context.addInitScript(() => {
      if (location.search.includes('quota-test')) {
        // Only the course's own keys, so Starlight's theme storage is unaffected.
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key: string, value: string) {
          if (key.startsWith('amm.')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          return setItem.call(this, key, value);
        };
      }
    });
    await s.goto(`/exercises/${ex.slug}/?quota-test`);
    await ws(ex).scrollIntoViewIfNeeded();
    await ws(ex).locator('[data-editor="monaco"]').or(s.page.locator(`[data-amm-ws="${ex.id}"][data-editor="monaco"]`)).first().waitFor();
    const mine = `// unsaved ${Date.now()}\n${ex.starter}`;
    await setCode(ex, mine);
    const banner = ws(ex).locator('.amm-ws__storage');
    await banner.waitFor({ state: 'visible' });
    await expect(banner.textContent()).resolves.toMatch(/storage is full/);
    expect(await banner.locator('[data-action="export-now"]').isVisible()).toBe(true);
    expect(await getCode(ex)).toBe(mine);
  });

  it('shows the console lines of a Run that passes at once (they travel with its outcomes, not behind them)', async () => {
    await open(ex);
    await setCode(ex, `console.log('top-level line');\nconsole.warn('second line');\n${ex.solution}`);
    await run(ex);
    const out = (await ws(ex).locator('[data-console] pre').textContent()) ?? '';
    expect(out).toContain('top-level line');
    expect(out).toContain('second line');
  });

  it('a Run of code left alone for a moment was started ahead: the click takes it only for that exact code, with its console lines and stops', async () => {
    await open(ex);
    await ws(ex).locator(`[data-choice="${ex.correct}"] input`).check();
    const count = (name: string) => s.page.evaluate((n) => performance.getEntriesByName(n).length, name);
    /** Edits the code and waits until its Run started ahead has its first answers. */
    const editAndPause = async (code: string) => {
      const answered = await count('amm:ahead-answered');
      await setCode(ex, code);
      await s.page.waitForFunction(([n]) => performance.getEntriesByName('amm:ahead-answered').length > n, [answered] as const, { timeout: 30_000 });
    };
    await editAndPause(`console.log('line from ahead');\n${ex.solution}`);
    let taken = await count('amm:ran-ahead');
    await run(ex);
    expect(await count('amm:ran-ahead')).toBe(taken + 1);
    await expect(ws(ex).getAttribute('data-verdict')).resolves.toBe('pass');
    expect((await ws(ex).locator('[data-console] pre').textContent()) ?? '').toContain('line from ahead');
    expect((await statuses(ex, 'b')).filter((x) => !x.endsWith(':pass'))).toEqual([]);

    // Changed after it was started ahead: the click runs the code now in the editor (whether or not that code had
    // time to be started ahead itself), never the mistake.
    const mistake = ex.mistakes[0];
    await editAndPause(mistake.code);
    await setCode(ex, ex.solution);
    await run(ex);
    await expect(ws(ex).getAttribute('data-verdict')).resolves.toBe('pass');

    // Two pauses: the second code is run ahead in place of the first, and the click takes it.
    await editAndPause(ex.solution);
    await editAndPause(mistake.code);
    taken = await count('amm:ran-ahead');
    await run(ex);
    expect(await count('amm:ran-ahead')).toBe(taken + 1);
    await expect(ws(ex).getAttribute('data-verdict')).resolves.toBe('fail');
    expect(await ws(ex).locator(`[data-results] [data-mistake="${mistake.name}"]`).count()).toBeGreaterThan(0);

    // A loop met while running ahead is reported by the click like any stop.
    await editAndPause(ex.starter.replace(/throw new Error\(.*\);/g, 'while (true) {}'));
    await run(ex, 30_000);
    expect(await count('amm:ran-ahead')).toBe(taken + 2);
    await expect(ws(ex).locator('li[data-status="timeout"] .amm-test__message').first().textContent()).resolves.toMatch(/stopped after \d+ ms — is there an endless loop\?/);
  }, 120_000);

  it('learner code cannot reach fetch, localStorage, document, parent or the site storage', async () => {
    await open(ex);
    await s.page.evaluate(() => localStorage.setItem('amm.secret', 'site-only'));
    // Absolute URLs of the site itself (a relative one would not even parse in a data: worker), and a no-cors
    // fetch (a cross-origin one fails on CORS only after it has left): only the CSP stops these. Requests that get
    // past the browser's checks to the network are caught here.
    const site = s.baseUrl;
    const left: string[] = [];
    const catcher = (r: Route) => {
      left.push(r.request().url());
      return r.abort();
    };
    await s.context.route('**/probe-*', catcher);
    const probe = `
const g = globalThis as any;
const site = ${JSON.stringify(site)};
const report: string[] = [];
report.push('document:' + typeof g.document);
report.push('localStorage:' + typeof g.localStorage);
report.push('parent:' + typeof g.parent);
report.push('cookie:' + typeof g.document?.cookie);
try { await fetch(site + '/probe-fetch', { mode: 'no-cors' }); report.push('fetch:allowed'); } catch (e) { report.push('fetch:blocked'); }
try { const x = new g.XMLHttpRequest(); x.open('GET', site + '/probe-xhr', false); x.send(); report.push('xhr:allowed'); } catch (e) { report.push('xhr:blocked'); }
try { await new Promise((ok, ko) => { const w = new g.WebSocket(site.replace('http', 'ws') + '/probe-ws'); w.onopen = ok; w.onerror = ko; }); report.push('websocket:allowed'); } catch (e) { report.push('websocket:blocked'); }
try { await import(site + '/probe-import.js'); report.push('import:allowed'); } catch (e) { report.push('import:blocked'); }
try { await new Promise((ok, ko) => { const r = g.indexedDB.open('probe'); r.onsuccess = ok; r.onerror = ko; }); report.push('indexedDB:allowed'); } catch (e) { report.push('indexedDB:blocked'); }
console.log(report.join(' '));
export function shapes() { return report; }
export function attention() { return report; }
`;
    await setCode(ex, probe);
    await run(ex);
    const out = (await ws(ex).locator('[data-console] pre').textContent()) ?? '';
    expect(out).toContain('document:undefined');
    expect(out).toContain('localStorage:undefined');
    expect(out).toContain('parent:undefined');
    expect(out).toContain('fetch:blocked');
    expect(out).toContain('xhr:blocked');
    expect(out).toContain('websocket:blocked');
    expect(out).toContain('import:blocked');
    await s.context.unroute('**/probe-*', catcher);
    expect(left).toEqual([]);
    expect(out).toContain('indexedDB:blocked');
    expect(out).not.toContain('site-only');
    // The sandbox frame itself has an opaque origin: the page cannot see into it either.
    const frameOrigin = await s.page.evaluate(() => {
      const f = document.querySelector<HTMLIFrameElement>('iframe[sandbox]');
      try {
        return f?.contentWindow?.location.href ?? 'none';
      } catch {
        return 'opaque';
      }
    });
    expect(frameOrigin).toBe('opaque');
    expect(await s.page.locator('iframe[sandbox="allow-scripts"]').count()).toBe(1);
  });

  it('reload restores the code; reset can be undone; the solution is shown beside the code without changing it', async () => {
    await open(ex);
    const mine = `// my attempt ${Date.now()}\n${ex.starter}`;
    await setCode(ex, mine);
    await s.page.waitForTimeout(1000);
    await s.page.reload({ waitUntil: 'load' });
    // Before Monaco, the fallback textarea already holds the saved code.
    await expect(s.page.locator(`[data-amm-ws="${ex.id}"] textarea.amm-ws__fallback`).inputValue()).resolves.toBe(mine);
    await open(ex);
    expect(await getCode(ex)).toBe(mine);

    await ws(ex).locator('[data-action="reset"]').click();
    expect(await getCode(ex)).toBe(ex.starter);
    await ws(ex).locator('[data-action="undo-reset"]').click();
    expect(await getCode(ex)).toBe(mine);

    await run(ex);
    await ws(ex).locator('[data-action="reveal"]').click();
    await ws(ex).locator('[data-solution]:not([hidden]) .monaco-editor').waitFor();
    expect(await getCode(ex)).toBe(mine);
    await expect(ws(ex).getAttribute('data-solution')).resolves.toBe('shown');
    // Monaco renders spaces as no-break spaces.
    const shown = ((await ws(ex).locator('[data-solution-view]').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(shown).toContain('export function');
  });

  it('export then import round-trips; a malformed file changes nothing', async () => {
    await open(ex);
    const mine = `// exported ${Date.now()}\n${ex.solution}`;
    await setCode(ex, mine);
    await ws(ex).locator('[data-submission] summary').click();
    await ws(ex).locator('[data-learner]').fill('Ada Lovelace');
    const [download] = await Promise.all([s.page.waitForEvent('download'), ws(ex).locator('[data-action="export"]').click()]);
    const file = await download.path();
    const sub = JSON.parse(readFileSync(file, 'utf8'));
    expect(sub.format).toBe('attention-mechanism-math/submission');
    expect(sub.version).toBe(2);
    expect(sub.learner).toBe('Ada Lovelace');
    expect(sub.exercises[ex.id].code).toBe(mine);
    expect(sub.exercises[ex.id].browser.informational).toBe(true);

    await setCode(ex, '// something else');
    await ws(ex).locator('[data-import]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"attention-mechanism-math/submission","version":1}') });
    await ws(ex).locator('[data-submission-status]', { hasText: 'Nothing was changed' }).waitFor();
    expect(await getCode(ex)).toBe('// something else');

    await ws(ex).locator('[data-import]').setInputFiles(file);
    await s.page.waitForFunction(([id, c]) => window.__amm!.getCode(id) === c, [ex.id, mine] as const);
    await ws(ex).locator('[data-submission-status]', { hasText: 'Imported exercises' }).waitFor();
  });

  it('the home page counts passed exercises; the sidebar lists every exercise', async () => {
    await s.goto('/');
    await expect(s.page.locator('[data-count="exercises"]').textContent()).resolves.not.toBe('0');
    await s.goto(`/exercises/${exercises[0].slug}/`);
    for (const e of exercises) expect(await s.page.locator(`nav.sidebar a[href$="/exercises/${e.slug}/"]`).count()).toBe(1);
  });

  // Lessons embed exercises with <Exercise id="NN" />; the embed shares the saved code with the exercise page.
  const lessonDir = join(root, 'content', 'lessons');
  const embed = readdirSync(lessonDir)
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => ({ slug: f.replace(/\.mdx$/, ''), id: /<Exercise\s+id="(\d\d)"/.exec(readFileSync(join(lessonDir, f), 'utf8'))?.[1] }))
    .find((l) => l.id && exercises.some((e) => e.id === l.id));
  it.skipIf(!embed)('a lesson embeds an exercise workspace that shares the saved code', async () => {
    const e = exercises.find((x) => x.id === embed!.id)!;
    await open(e);
    const mine = `// shared ${Date.now()}\n${e.starter}`;
    await setCode(e, mine);
    await s.page.waitForTimeout(800);
    await s.goto(`/lessons/${embed!.slug}/`);
    const box = s.page.locator(`[data-amm-ws="${e.id}"]`);
    await box.scrollIntoViewIfNeeded();
    await expect(box.locator('textarea.amm-ws__fallback').inputValue()).resolves.toBe(mine);
  });

  it('exports only edited exercises with their history, shows the last results after a reload, and an import restores the history', async () => {
    const [untouched, other] = [exercises[0], exercises[1]];
    await open(untouched);
    await s.page.evaluate(() => localStorage.clear());
    await open(other);
    await ws(other).locator('[data-action="hint"]').click();
    await ws(other).locator(`[data-choice="${other.wrong}"] input`).check();
    await ws(other).locator(`[data-choice="${other.correct}"] input`).check();
    // The page still answers at once.
    await expect(ws(other).locator('[data-verdict]').textContent()).resolves.toBe('Part (c) passed.');
    await setCode(other, other.solution);
    await run(other);
    await ws(other).locator('[data-action="reveal"]').click();
    await ws(other).locator('[data-solution]:not([hidden])').waitFor();
    const summary = await ws(other).locator('[data-results] .amm-results__summary').textContent();

    // After a reload the last Run's results are shown again, not an empty panel.
    await s.page.reload({ waitUntil: 'load' });
    await open(other);
    await ws(other).locator('[data-results] .amm-results__summary').waitFor();
    await expect(ws(other).getAttribute('data-restored')).resolves.toBe('true');
    expect((await ws(other).locator('[data-results] .amm-results__summary').textContent())!.split(' (')[0]).toBe(summary!.split(' (')[0]);
    await openPassedLists(s.page, other.id);
    expect(await ws(other).locator('[data-results] li[data-status="pass"]').count()).toBeGreaterThan(0);

    // Exported from a page whose exercise was only opened: that exercise is not in the file.
    await open(untouched);
    await ws(untouched).locator('[data-submission] summary').click();
    await expect(ws(untouched).locator('[data-submission] .amm-ws__note').textContent()).resolves.toMatch(/hints you opened/);
    await ws(untouched).locator('[data-learner]').fill('Grace');
    const [download] = await Promise.all([s.page.waitForEvent('download'), ws(untouched).locator('[data-action="export"]').click()]);
    const file = await download.path();
    const sub = JSON.parse(readFileSync(file, 'utf8'));
    await expect(ws(untouched).locator('[data-submission-status]').textContent()).resolves.toMatch(new RegExp(`with exercise ${other.id}: your code .* part \\(c\\) choices in order`));
    expect(sub.version).toBe(2);
    expect(Object.keys(sub.exercises)).toEqual([other.id]);
    const h = sub.exercises[other.id].history;
    expect(h.runs).toBe(1);
    expect(h.firstRunAt).toBe(h.lastRunAt);
    expect(Date.parse(h.passedAt)).toBe(Date.parse(h.lastRunAt));
    expect(h.hints.map((x: { index: number }) => x.index)).toEqual([0]);
    expect(h.choices.map((x: { choice: string }) => x.choice)).toEqual([other.wrong, other.correct]);
    expect(Date.parse(h.choices[0].at)).toBeLessThanOrEqual(Date.parse(h.choices[1].at));
    expect(Date.parse(h.solutionRevealedAt)).toBeGreaterThanOrEqual(Date.parse(h.lastRunAt));

    // Another browser (empty storage): importing the file brings back the code, the run count and the history.
    await s.page.evaluate(() => localStorage.clear());
    await open(other);
    await ws(other).locator('[data-submission] summary').click();
    await ws(other).locator('[data-import]').setInputFiles(file);
    await ws(other).locator('[data-submission-status]', { hasText: 'Imported exercises' }).waitFor();
    const stored = await s.page.evaluate((id) => ({ work: JSON.parse(localStorage.getItem(`amm.workspace.v1.${id}`)!), progress: JSON.parse(localStorage.getItem('amm.progress.v1')!) }), other.id);
    expect(stored.work.history).toEqual(h);
    expect(stored.progress.exercises[other.id].attempts).toBe(1);
    expect(await getCode(other)).toBe(other.solution);
    await ws(other).locator('[data-results] .amm-results__summary').waitFor();
  }, 240_000);

  it('logged no console errors (besides the CSP refusals the probe provoked) and sent no request outside localhost', () => {
    const errors = s.errors.filter((e) => !/Content Security Policy|connect-src|Refused to connect/i.test(e));
    expect(errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
