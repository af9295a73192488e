// Lesson 10: the practice problems check answers on the page, and the exercise hub shows progress after an
// exercise is passed in the workspace.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attention2d, causalMask, createRng, toNested } from '../../src/engine/index';
import { openSession, type Session } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const folder = readdirSync(join(root, 'exercises')).find((d) => d.startsWith('01-'))!;
const meta = JSON.parse(readFileSync(join(root, 'exercises', folder, 'meta.json'), 'utf8'));
const solution = readFileSync(join(root, 'exercises', folder, 'solution.ts'), 'utf8');

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

const problem = (id: string) => s.page.locator(`[data-practice="${id}"]`);
const verdict = (id: string) => problem(id).locator('.practice__verdict').textContent();
const check = (id: string) => problem(id).getByRole('button', { name: 'Check my answer' }).click();

describe('lesson 10', () => {
  it('has its three subsections and no KaTeX errors', async () => {
    await s.goto('/lessons/10-exercises/');
    for (const n of ['10.1', '10.2', '10.3']) {
      expect(await s.page.locator('h2', { hasText: new RegExp(`^${n.replace('.', '\\.')} `) }).count()).toBe(1);
    }
    expect(await s.page.locator('.katex-error').count()).toBe(0);
  });

  it('the easy problem rejects wrong shapes and accepts the shapes the engine computes', async () => {
    await s.goto('/lessons/10-exercises/');
    const rng = createRng(1);
    const m = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
    const r = attention2d(m(5, 16), m(7, 16), m(7, 32));
    const shape = (x: number[][]) => `${x.length}×${x[0].length}`;
    const p = problem('practice-easy');
    await p.locator('input[name="S"]').fill('7×5');
    await p.locator('input[name="A"]').fill(shape(r.weights));
    await p.locator('input[name="O"]').fill(shape(r.output));
    await p.locator('input[value="keys"]').check();
    await check('practice-easy');
    await expect(verdict('practice-easy')).resolves.toMatch(/^Not yet — check: shape of S\./);
    await p.locator('input[name="S"]').fill(`(${r.scores.length}, ${r.scores[0].length})`);
    await check('practice-easy');
    await expect(verdict('practice-easy')).resolves.toBe('✓ Correct.');
  });

  it('the medium problem accepts exactly the keys the causal mask keeps', async () => {
    const row = (toNested(causalMask(4, 4)) as number[][])[2];
    const p = problem('practice-medium');
    await p.locator('input[value="3"]').check();
    await check('practice-medium');
    await expect(verdict('practice-medium')).resolves.toMatch(/^Not yet/);
    await p.locator('input[value="3"]').uncheck();
    for (let j = 0; j < 4; j++) if (row[j]) await p.locator(`input[value="${j}"]`).check();
    await check('practice-medium');
    await expect(verdict('practice-medium')).resolves.toBe('✓ Correct.');
  });

  it('the hard problem checks its choice and shows the solution on request', async () => {
    const p = problem('practice-hard');
    await p.locator('input[value="same"]').check();
    await check('practice-hard');
    await expect(verdict('practice-hard')).resolves.toMatch(/^Not yet/);
    await p.locator('input[value="per-key"]').check();
    await check('practice-hard');
    await expect(verdict('practice-hard')).resolves.toBe('✓ Correct.');
    await p.locator('.practice__solution summary').click();
    expect(await p.locator('.practice__solution').getAttribute('open')).not.toBeNull();
  });

  it('the hub starts empty and reflects progress after exercise 01 is passed', async () => {
    await s.goto('/lessons/10-exercises/');
    const row = s.page.locator(`.exercise-hub tr[data-exercise="${meta.id}"]`);
    await expect(row.locator('[data-part="a"]').textContent()).resolves.toBe('·');

    await s.goto(`/exercises/${meta.slug}/`);
    const ws = s.page.locator(`[data-amm-ws="${meta.id}"]`);
    await ws.scrollIntoViewIfNeeded();
    await s.page.locator(`[data-amm-ws="${meta.id}"][data-editor="monaco"]`).waitFor({ timeout: 30_000 });
    await ws.locator(`[data-choice="${meta.concept.choices.find((c: { correct: boolean }) => c.correct).id}"] input`).check();
    await s.page.evaluate(([id, code]) => window.__amm!.setCode(id, code), [meta.id, solution] as const);
    await ws.locator('[data-action="run"]').click();
    await s.page.waitForFunction((id) => Number(document.querySelector(`[data-amm-ws="${id}"]`)?.getAttribute('data-runs') ?? 0) > 0, meta.id, { timeout: 20_000 });

    await s.goto('/lessons/10-exercises/');
    for (const part of ['a', 'b', 'c']) await expect(row.locator(`[data-part="${part}"]`).textContent()).resolves.toBe('✓');
    await expect(row.locator('[data-attempts]').textContent()).resolves.toBe('1');
    await expect(s.page.locator('.exercise-hub [data-summary]').textContent()).resolves.toMatch(/^1 of 10 exercises complete/);
  });

  it('logged no console errors and sent no request outside localhost', () => {
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
