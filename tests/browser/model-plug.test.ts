// "Your attention runs the model" in real Chromium: locked until part (b) passes; the reference solution plugged
// into the trained model matches the engine; a known mistake shows the first differing logit that Node computes;
// a throwing function gets a clear message. The learner's code runs in the workspace sandbox.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBatch, HELD_OUT_SEED } from '../../src/model';
import { compareWithEngine, forwardWithLearner, type PlugOutcome } from '../../src/model/plug';
import { shippedModel as model } from '../../src/model/shipped';
import * as missingScale from '../../exercises/01-scaled-dot-product/mistakes/missing-scale';
import { openSession, type Session } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => readFileSync(root + p, 'utf8');

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

const ws = (id: string) => s.page.locator(`[data-amm-ws="${id}"]`);
const plug = (id: string) => s.page.locator(`[data-model-plug="${id}"]`);

async function open(id: string, slug: string) {
  await s.goto(`/exercises/${slug}/`);
  await ws(id).scrollIntoViewIfNeeded();
  await s.page.locator(`[data-amm-ws="${id}"][data-editor="monaco"]`).waitFor({ timeout: 30_000 });
}
const setCode = (id: string, code: string) => s.page.evaluate(([i, c]) => window.__amm!.setCode(i, c), [id, code] as const);
async function run(id: string) {
  const before = Number((await ws(id).getAttribute('data-runs')) ?? 0);
  await ws(id).locator('[data-action="run"]').click();
  await s.page.waitForFunction(([i, n]) => Number(document.querySelector(`[data-amm-ws="${i}"]`)?.getAttribute('data-runs') ?? 0) > n, [id, before] as const, { timeout: 30_000 });
}
/** Presses the plug's button and waits for its verdict (match, mismatch or error). */
async function plugRun(id: string): Promise<string> {
  // The click starts the run after a dynamic import, so the previous verdict could still be read as this one's:
  // clear it first, and only a verdict written by this run ends the wait.
  await s.page.evaluate((i) => delete document.querySelector<HTMLElement>(`[data-model-plug="${i}"]`)!.dataset.plug, id);
  await plug(id).locator('[data-plug-run]').click();
  await s.page.waitForFunction((i) => {
    const el = document.querySelector<HTMLElement>(`[data-model-plug="${i}"]`);
    return el && !el.dataset.running && el.dataset.plug;
  }, id, { timeout: 60_000 });
  return (await plug(id).getAttribute('data-plug'))!;
}

describe('your attention runs the model', () => {
  it('exercise 01: locked before part (b) passes; the solution matches; a missing √d_k shows the first differing logit', async () => {
    await open('01', '01-scaled-dot-product');
    await expect(plug('01').locator('[data-plug-run]').isDisabled()).resolves.toBe(true);
    await setCode('01', read('exercises/01-scaled-dot-product/solution.ts'));
    await run('01');
    // Part (b) passed (part (c) is not answered here, so the overall verdict is not a pass).
    await expect(ws('01').locator('[data-progress] [data-part="b"]').textContent()).resolves.toContain('passed');
    await s.page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-model-plug="01"] [data-plug-run]')!.disabled);
    expect(await plugRun('01')).toBe('match');
    await expect(plug('01').locator('.amm-plug__verdict').textContent()).resolves.toMatch(/^Match: .* equal the reference engine's/);

    // The learner edits the code after passing: the plug runs the code as it is now.
    await setCode('01', read('exercises/01-scaled-dot-product/mistakes/missing-scale.ts'));
    expect(await plugRun('01')).toBe('mismatch');
    const [seq] = copyBatch(HELD_OUT_SEED + 11, 1, model.manifest.task);
    const local = async (calls: { fn: string; args: unknown[] }[]) =>
      calls.map((c): PlugOutcome => ({ kind: 'return', value: (missingScale.attention as (...a: unknown[]) => unknown)(...c.args) }));
    const want = compareWithEngine(model, seq.tokens, await forwardWithLearner('01', model, seq.tokens, local)).firstDifference!;
    expect(await plug('01').locator('[data-plug-first]').getAttribute('data-plug-first')).toBe(`${want.position},${want.token},${want.logit}`);
    const { vocab } = model.manifest;
    await expect(plug('01').locator('[data-plug-first]').textContent()).resolves.toContain(
      `position ${want.position} (letter ${vocab[want.token]}), logit index ${want.logit} (next letter ${vocab[want.logit]}): yours ${want.yours.toPrecision(10)}, reference ${want.reference.toPrecision(10)}`,
    );

    // A throw inside the learner's function: a clear message naming where, and the page goes on.
    await setCode('01', 'export function attention(): AttentionResult { throw new Error("not today"); }\n');
    expect(await plugRun('01')).toBe('error');
    await expect(plug('01').locator('[data-plug-result]').textContent()).resolves.toMatch(/attention\(\) threw \(layer 0, head 0, query 0\): .*not today/);

    // A Run started ahead (the learner paused after an edit) gives way to the plug, and the next click runs afresh.
    const answered = await s.page.evaluate(() => performance.getEntriesByName('amm:ahead-answered').length);
    await setCode('01', read('exercises/01-scaled-dot-product/mistakes/missing-scale.ts'));
    await s.page.waitForFunction((n) => performance.getEntriesByName('amm:ahead-answered').length > n, answered, { timeout: 30_000 });
    expect(await plugRun('01')).toBe('mismatch');
    const taken = await s.page.evaluate(() => performance.getEntriesByName('amm:ran-ahead').length);
    await run('01');
    expect(await s.page.evaluate(() => performance.getEntriesByName('amm:ran-ahead').length)).toBe(taken);
    // Its failing tests were shrunk and diagnosed in a sandbox run of their own.
    expect(await ws('01').locator('[data-results] [data-mistake="missing-scale"]').count()).toBeGreaterThan(0);
    expect(s.errors).toEqual([]);
  });

  it('exercises 02 and 04: the reference solution plugged in matches the engine', async () => {
    for (const [id, slug] of [['02', '02-causal-mask'], ['04', '04-multi-head']]) {
      await open(id, slug);
      await setCode(id, read(`exercises/${slug}/solution.ts`));
      await run(id);
      await s.page.waitForFunction((i) => !document.querySelector<HTMLButtonElement>(`[data-model-plug="${i}"] [data-plug-run]`)!.disabled, id);
      expect(await plugRun(id), `exercise ${id}`).toBe('match');
    }
    expect(s.errors).toEqual([]);
  });
});
