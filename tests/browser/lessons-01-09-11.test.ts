// Real-browser checks of lessons 01 (Intuition), 09 (Common mistakes) and 11 (Why it matters):
// headings, rendered math, numbers that match the engine, and the MistakeLab demo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attention, attention2d, createRng, randomTensor } from '../../src/engine';
import { fmt } from '../../src/components/format';
import { masks, pronoun } from '../../src/lesson-data/01-intuition';
import { MISTAKE_IDS, runMistake } from '../../src/lesson-data/mistakes/lab';
import { bridge } from '../../src/lesson-data/11-why-it-matters';
import { openSession, type Session } from './harness';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

/** Every `## N.M Title` heading is present exactly once, and math rendered without errors. */
async function expectSectionsAndMath(sections: string[]) {
  for (const n of sections) {
    const re = new RegExp(`^${n.replace('.', '\\.')} `);
    expect(await s.page.locator('main h2').filter({ hasText: re }).count(), `heading ${n}`).toBe(1);
  }
  expect(await s.page.locator('.katex').count()).toBeGreaterThan(0);
  expect(await s.page.locator('.katex-error').count()).toBe(0);
}

/** The TeX sources of every KaTeX formula on the page. */
async function texSources(): Promise<string[]> {
  return s.page.locator('annotation[encoding="application/x-tex"]').allTextContents();
}

/** Numbers of the first bmatrix after `prefix` in a TeX source, row by row. */
function parseMatrix(tex: string, prefix: string): number[][] {
  const at = tex.indexOf(prefix);
  const body = tex.slice(at + prefix.length).match(/\\begin\{bmatrix\}([\s\S]*?)\\end\{bmatrix\}/)![1];
  return body.split('\\\\').map((r) => r.split('&').map((x) => Number(x.trim())));
}

describe('lesson 01 — intuition', () => {
  it('has sections 1.1–1.5, rendered math and a filled shape table in every section', async () => {
    await s.goto('/lessons/01-intuition/');
    await expectSectionsAndMath(['1.1', '1.2', '1.3', '1.4', '1.5']);
    expect(await s.page.locator('table.shape-table').count()).toBeGreaterThanOrEqual(5);
    const emptyCells = await s.page.locator('table.shape-table td:empty').count();
    expect(emptyCells).toBe(0);
    expect(await s.page.locator('main details summary').count()).toBeGreaterThan(0);
  });

  it('has an accessible figure, and loads the query demo only when it scrolls into view; the demo recomputes with the engine', async () => {
    await s.goto('/lessons/01-intuition/');
    const fig = s.page.locator('.qkv-figure svg[role="img"]');
    expect(await fig.getAttribute('aria-labelledby')).toBe('qkv-title qkv-desc');
    expect(await s.page.locator('#qkv-desc').textContent()).toContain(`animal ${fmt(pronoun.weights[pronoun.top], 2)}`);
    const scripts = async (): Promise<string[]> =>
      s.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /query-demo/.test(n)));
    expect(await scripts()).toEqual([]);
    const demo = s.page.locator('[data-demo="query"]');
    await demo.scrollIntoViewIfNeeded();
    await s.page.waitForSelector('[data-demo="query"][data-ready="true"]', { timeout: 20_000 });
    // Ask for a place instead of an animate noun: the engine, run here, says where the weight goes.
    const query = [0, 3, 0, -1];
    const inputs = demo.locator('input[type="range"]');
    for (let c = 0; c < 4; c++) {
      await inputs.nth(c).evaluate((el, v) => {
        (el as HTMLInputElement).value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, query[c]);
    }
    const w = attention2d([query], pronoun.K, pronoun.V).weights[0];
    for (let j = 0; j < w.length; j++) expect(await demo.locator(`[data-out="w-${j}"]`).textContent()).toBe(fmt(w[j], 3));
    expect(await demo.locator('[data-out="top"]').textContent()).toBe(pronoun.tokens[w.indexOf(Math.max(...w))]);
  });

  it('records a quick-check answer in progress and gives immediate feedback', async () => {
    await s.goto('/lessons/01-intuition/');
    const check = s.page.locator('form[data-check="01-animal"]');
    await check.scrollIntoViewIfNeeded();
    await check.locator('input[name="answer"]').fill('0.1');
    await check.locator('button[type="submit"]').click();
    await expect.poll(() => check.locator('[data-feedback]').textContent()).toMatch(/Not quite/);
    await check.locator('input[name="answer"]').fill(fmt(pronoun.weights[pronoun.top], 2));
    await check.locator('button[type="submit"]').click();
    await expect.poll(() => check.locator('[data-feedback]').textContent()).toMatch(/Correct/);
    const saved = await s.page.evaluate(() => JSON.parse(localStorage.getItem('amm.progress.v1') ?? '{}'));
    expect(saved.checks['01-animal']).toEqual({ attempts: 2, correct: true });
  });

  it('prints the engine weights of "it" over the sentence, with most weight on "animal"', async () => {
    await s.goto('/lessons/01-intuition/');
    const expected = attention2d([pronoun.query], pronoun.K, pronoun.V).weights[0];
    const table = s.page.locator('main table').filter({ hasText: 'because' }).first();
    const rowsText = await table.locator('tbody tr').allInnerTexts();
    expect(rowsText).toHaveLength(pronoun.tokens.length);
    rowsText.forEach((text, j) => {
      const cells = text.split('\t').map((c) => c.trim());
      expect(cells[0]).toBe(pronoun.tokens[j]);
      expect(cells[cells.length - 1]).toBe(fmt(expected[j]));
    });
    const best = expected.indexOf(Math.max(...expected));
    expect(pronoun.tokens[best]).toBe('animal');
    expect(expected[best]).toBeGreaterThan(0.5);
  });

  it('shows causal weights equal to the engine, with the upper triangle exactly 0', async () => {
    await s.goto('/lessons/01-intuition/');
    const tex = (await texSources()).find((t) => t.includes('\\text{visible}') && t.includes('A ='))!;
    const shown = parseMatrix(tex, 'A =');
    const rng = createRng(masks.seed);
    const q = randomTensor(rng, [1, 1, masks.T, masks.dk]);
    const k = randomTensor(rng, [1, 1, masks.T, masks.dk]);
    const v = randomTensor(rng, [1, 1, masks.T, 2]);
    const w = attention(q, k, v, { causal: true }).weights.data;
    for (let i = 0; i < masks.T; i++) {
      for (let j = 0; j < masks.T; j++) {
        expect(shown[i][j]).toBeCloseTo(w[i * masks.T + j], 3);
        if (j > i) expect(w[i * masks.T + j]).toBe(0);
      }
    }
  });

  it('the scaling table shows Var(q·k) ≈ d_k unscaled and ≈ 1 scaled', async () => {
    await s.goto('/lessons/01-intuition/');
    const table = s.page.locator('main table').filter({ hasText: 'Sample variance' });
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const [dk, varRaw, varScaled, maxRaw, maxScaled, entRaw, entScaled] = r.split('\t').map((c) => Number(c.trim()));
      expect(varRaw / dk).toBeGreaterThan(0.9);
      expect(varRaw / dk).toBeLessThan(1.1);
      expect(Math.abs(varScaled - 1)).toBeLessThan(0.1);
      expect(maxScaled).toBeLessThan(maxRaw);
      expect(entScaled).toBeGreaterThan(entRaw);
    }
  });

  it('the complexity table gives an attention/recurrent ratio of T/d', async () => {
    await s.goto('/lessons/01-intuition/');
    await s.page.locator('details.deeper summary', { hasText: 'operation counts' }).click();
    const table = s.page.locator('main table').filter({ hasText: 'first-to-last path' });
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      const cells = r.split('\t').map((c) => c.trim());
      const T = Number(cells[0].replace(/,/g, ''));
      const d = Number(cells[1].replace(/,/g, ''));
      expect(Number(cells[4].replace('×', ''))).toBeCloseTo(T / d, 3);
      expect(cells[5]).toBe(`1 / ${T.toLocaleString('en-US')}`);
    }
  });
});

describe('lesson 09 — common mistakes', () => {
  it('has sections 9.1–9.10, rendered math, and code, a test and a Run panel for each mistake', async () => {
    await s.goto('/lessons/09-common-mistakes/');
    await expectSectionsAndMath(['9.1', '9.2', '9.3', '9.4', '9.5', '9.6', '9.7', '9.8', '9.9', '9.10']);
    expect(await s.page.locator('.mistake-lab').count()).toBe(10);
    expect(await s.page.locator('.mistake-code .expressive-code').count()).toBe(30); // bug, fix, test × 10
    expect(await s.page.locator('table.shape-table').count()).toBeGreaterThanOrEqual(10);
  });

  it('shows the real source of each bug and fix', async () => {
    await s.goto('/lessons/09-common-mistakes/');
    const code = await s.page.locator('.mistake-code').first().innerText();
    expect(code).toContain('export const attendBug');
    expect(code).toContain('export const attendFix');
    expect(code).toContain('export function passes');
  });

  it('Run executes every bug and fix on a new seed: the bug shows its symptom, the fix does not, as in Node', async () => {
    await s.goto('/lessons/09-common-mistakes/');
    for (const id of MISTAKE_IDS) {
      const lab = s.page.locator(`.mistake-lab[data-mistake="${id}"]`);
      await lab.scrollIntoViewIfNeeded();
      await lab.locator('[data-ready="true"], .mistake-lab__run:not([disabled])').first().waitFor();
      for (let click = 0; click < 2; click++) {
        const before = await lab.getAttribute('data-seed');
        await lab.locator('.mistake-lab__run').click();
        await expect.poll(() => lab.getAttribute('data-seed')).not.toBe(before);
        const seed = Number(await lab.getAttribute('data-seed'));
        const expected = runMistake(id, seed);
        const bug = lab.locator('[data-side="bug"]');
        const fix = lab.locator('[data-side="fix"]');
        expect(await bug.locator('[data-field="text"]').textContent(), `mistake ${id} seed ${seed}`).toBe(expected.bug.text);
        const fixText = (await fix.locator('[data-field="text"]').textContent())!;
        const note = (await lab.locator('[data-field="note"]').textContent())!;
        if (id === '09') {
          // Rounding-level differences (~1e-16) may differ in the last digit between Chromium's and Node's Math.exp.
          const tiny = (t: string) => Number(/([\d.]+)e−(\d+)/.exec(t)!.slice(1).join('e-'));
          expect(tiny(fixText)).toBeLessThan(1e-12);
          expect(tiny(note)).toBeLessThan(1e-12);
        } else {
          expect(fixText, `mistake ${id} seed ${seed}`).toBe(expected.fix.text);
          expect(note).toBe(expected.note);
        }
        expect(await bug.getAttribute('data-passes'), `bug ${id} seed ${seed}`).toBe('false');
        expect(await fix.getAttribute('data-passes'), `fix ${id} seed ${seed}`).toBe('true');
        expect(await bug.locator('[data-field="verdict"]').textContent()).toBe('test fails: caught');
        expect(await fix.locator('[data-field="verdict"]').textContent()).toBe('test passes');
        expect(expected.bug.value).not.toBe(expected.fix.value);
      }
    }
  });

  it('the Run button is keyboard operable', async () => {
    await s.goto('/lessons/09-common-mistakes/');
    const lab = s.page.locator('.mistake-lab[data-mistake="06"]');
    await lab.scrollIntoViewIfNeeded();
    const button = lab.locator('.mistake-lab__run');
    await expect.poll(() => button.isEnabled()).toBe(true);
    const before = await lab.getAttribute('data-seed');
    await button.focus();
    await s.page.keyboard.press('Enter');
    await expect.poll(() => lab.getAttribute('data-seed')).not.toBe(before);
    expect(await lab.locator('[aria-live="polite"]').count()).toBe(1);
  });
});

describe('lesson 11 — why it matters', () => {
  it('has sections 11.1–11.4 and rendered math', async () => {
    await s.goto('/lessons/11-why-it-matters/');
    await expectSectionsAndMath(['11.1', '11.2', '11.3', '11.4']);
  });

  it('draws the bridge as an accessible SVG whose shapes are the engine forward pass', async () => {
    await s.goto('/lessons/11-why-it-matters/');
    const svg = s.page.locator('figure.bridge svg[role="img"]');
    expect(await svg.count()).toBe(1);
    expect(await svg.locator('title').textContent()).toContain('transformer block');
    const text = (await svg.locator('text').allTextContents()).join(' | ');
    const tuple = (t: number[]) => `(${t.join(', ')})`;
    for (const key of ['ids', 'x', 'q', 'k', 'v', 'weights', 'heads', 'attnOut', 'hidden', 'y'] as const) {
      expect(text).toContain(tuple(bridge.shapes[key]));
    }
    expect(bridge.shapes.y).toEqual(bridge.shapes.x);
    expect(await svg.locator('rect').count()).toBeGreaterThanOrEqual(8);
  });

  it('links every reference without loading anything external', async () => {
    await s.goto('/lessons/11-why-it-matters/');
    for (const id of ['1706.03762', '1409.0473', '2205.14135', '2307.08691', '2108.12409', '2104.09864', '1902.10186', '1908.04626', '1911.02150', '2305.13245']) {
      expect(await s.page.locator(`main a[href="https://arxiv.org/abs/${id}"]`).count(), id).toBe(1);
    }
    expect(await s.page.locator('.sl-markdown-content script').count()).toBe(0);
  });
});

describe('no errors and nothing external', () => {
  it('logged no console errors and sent no request outside localhost', () => {
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
