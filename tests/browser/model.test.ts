// The trained-model demo in a real browser: lazy weights, predictions and entropies equal to the engine run
// here in Node, ablation changes copy accuracy as Node measures it, keyboard use, text contrast in both themes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { copyBatch, evaluate, HELD_OUT_SEED } from '../../src/model';
import { shippedModel as model } from '../../src/model/shipped';
import { computeView, parseSequence, presets } from '../../src/components/demos/model-demo-view';
import { inductionHead, otherInductionHeads } from '../../src/lesson-data/model';
import { openSession, type Session } from './harness';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

const PAGE = '/lessons/07-diagnostics/';
const { layers, heads, vocab, maxSeqLen } = model.manifest;

async function openModelDemo(): Promise<Locator> {
  const demo = s.page.locator('[data-amm-model]').first();
  await demo.scrollIntoViewIfNeeded();
  await s.page.waitForSelector('[data-amm-model][data-ready="true"]', { timeout: 30_000 });
  return demo;
}

async function typeText(demo: Locator, text: string) {
  await demo.locator('[data-input="text"]').fill(text);
}

/** Predicted letters shown under each input letter. */
async function shownPredictions(demo: Locator): Promise<string> {
  return (await demo.locator('.mdl-tok i').allTextContents()).join('');
}

describe('trained-model demo', () => {
  it('fetches the weights only when the demo comes near the viewport', async () => {
    const requested: string[] = [];
    s.page.on('request', (r) => r.url().includes('copy-model') && requested.push(r.url()));
    await s.goto(PAGE);
    await s.page.waitForTimeout(300);
    expect(requested).toEqual([]);
    await openModelDemo();
    expect(requested).toHaveLength(1);
  });

  it('shows the engine predictions, one map and entropy per head, for the preset sequence', async () => {
    const demo = await openModelDemo();
    const text = await demo.locator('[data-input="text"]').inputValue();
    expect(text).toBe(presets(model)[0].text);
    const { tokens } = parseSequence(text, maxSeqLen);
    const v = computeView(model, tokens, []);
    expect(await shownPredictions(demo)).toBe(v.predicted.map((t) => vocab[t]).join(''));
    expect(await demo.locator('canvas').count()).toBe(layers * heads);
    for (let l = 0; l < layers; l++) {
      for (let h = 0; h < heads; h++) {
        const e = Number(await demo.locator(`[data-map="${l}.${h}"]`).getAttribute('data-entropy'));
        expect(Math.abs(e - v.entropy[l][h])).toBeLessThan(1e-9);
      }
    }
    const ms = Number(await demo.getAttribute('data-forward-ms'));
    expect(ms).toBeGreaterThan(0);
    console.log(`model demo: forward pass for T = ${tokens.length} took ${ms} ms on the page`);
  });

  // Every induction head: one alone leaves the other to copy (the model has two that back each other up).
  it('ablating the induction heads lowers held-out copy accuracy to what Node measures', async () => {
    await s.goto(PAGE);
    const demo = await openModelDemo();
    const held = copyBatch(HELD_OUT_SEED + 7, 100, model.manifest.task);
    const base = evaluate(model, held).copyAccuracy;
    await s.page.waitForFunction(() => document.querySelector('[data-amm-model]')?.getAttribute('data-copy-accuracy') !== null);
    expect(Number(await demo.getAttribute('data-copy-accuracy'))).toBeCloseTo(base, 12);
    const heads = [inductionHead, ...otherInductionHeads].map(({ layer, head }) => ({ layer, head }));
    const boxes = heads.map((h) => demo.locator(`[data-ablate][data-layer="${h.layer}"][data-head="${h.head}"]`));
    for (const box of boxes) {
      await box.focus();
      await s.page.keyboard.press('Space');
      expect(await box.isChecked()).toBe(true);
    }
    const want = evaluate(model, held, heads).copyAccuracy;
    await s.page.waitForFunction((w) => Number(document.querySelector('[data-amm-model]')?.getAttribute('data-copy-accuracy')) === w, want, { timeout: 30_000 });
    expect(want).toBeLessThan(base - 0.2);
    await expect.poll(() => demo.locator('[data-out="accuracy"]').textContent()).toContain('with the ablation');
    const text = await demo.locator('[data-input="text"]').inputValue();
    const v = computeView(model, parseSequence(text, maxSeqLen).tokens, heads);
    expect(await shownPredictions(demo)).toBe(v.predicted.map((t) => vocab[t]).join(''));
    for (const box of boxes) {
      await box.focus();
      await s.page.keyboard.press('Space');
      expect(await box.isChecked()).toBe(false);
    }
  });

  it('takes typed letters, ignores other characters with a note, and finds the repeat', async () => {
    await s.goto(PAGE);
    const demo = await openModelDemo();
    await typeText(demo, 'qwe rty 12 uiopqwert');
    await expect.poll(() => demo.locator('[data-out="note"]').textContent()).toContain('2 characters other than A–Z ignored');
    expect(await demo.locator('.mdl-tok').count()).toBe(15);
    expect(await demo.locator('[data-input="preset"]').inputValue()).toBe('custom');
    const v = computeView(model, parseSequence('qwertyuiopqwert', maxSeqLen).tokens, []);
    expect(await shownPredictions(demo)).toBe(v.predicted.map((t) => vocab[t]).join(''));
    expect(await demo.locator('.mdl-tok.is-repeat').count()).toBe(v.repeat.length);
    await typeText(demo, 'A'.repeat(maxSeqLen + 5));
    await expect.poll(() => demo.locator('[data-out="note"]').textContent()).toContain(`cut to the first ${maxSeqLen}`);
  });

  for (const theme of ['light', 'dark']) {
    it(`text in the demo has contrast ≥ 4.5:1 in the ${theme} theme`, async () => {
      await s.goto(PAGE);
      await s.page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      await openModelDemo();
      const worst = await s.page.evaluate(() => {
        const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (x: number) => ((x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const bgOf = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        let min = { ratio: 99, text: '' };
        const root = document.querySelector('[data-amm-model]')!;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement!;
          if (!n.textContent?.trim() || el.closest('option')) continue;
          const fg = parse(getComputedStyle(el).color).slice(0, 3);
          const [a, b] = [lum(fg), lum(bgOf(el))].sort((x, y) => y - x);
          const ratio = (a + 0.05) / (b + 0.05);
          if (ratio < min.ratio) min = { ratio, text: n.textContent.trim().slice(0, 40) };
        }
        return min;
      });
      expect(worst.ratio, `lowest contrast on "${worst.text}"`).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('raised no page errors', () => {
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
