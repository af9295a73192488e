// Lessons 05–08 in a real browser: every subsection heading, no KaTeX errors, and every live demo
// exercised — a control is moved, the numbers change, and they still match the engine run here in Node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import {
  alibiBias,
  alibiSlopes,
  applyRope,
  attention,
  attentionCost,
  flashAttention,
  headEntropy,
  kvCacheBytes,
  promptBoundaryMask,
  tensor,
  toNested,
  type Role,
} from '../../src/engine';
import { ropeK, ropeQ } from '../../src/components/demos/positional-view';
import { computeDiag, type MaskKind } from '../../src/components/demos/diagnostics-view';
import { rulesOf } from '../../src/components/demos/prompt-mask-view';
import { QC_D, inputs as qcInputs } from '../../src/components/demos/quadratic-cost-view';
import { openSession, type Session } from './harness';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

const LESSONS: [string, string[]][] = [
  ['/lessons/05-decoder-attention/', ['5.1', '5.2', '5.3', '5.4', '5.5']],
  ['/lessons/06-efficient-attention/', ['6.1', '6.2', '6.3', '6.4', '6.5']],
  ['/lessons/07-diagnostics/', ['7.1', '7.2', '7.3', '7.4', '7.5']],
  ['/lessons/08-ai-applications/', ['8.1', '8.2', '8.3', '8.4', '8.5']],
];

/** Scrolls a demo into view and waits until its island has mounted. */
async function openDemo(name: string): Promise<Locator> {
  const demo = s.page.locator(`[data-demo="${name}"]`);
  await demo.scrollIntoViewIfNeeded();
  await s.page.waitForSelector(`[data-demo="${name}"][data-ready="true"]`, { timeout: 20_000 });
  return demo;
}
/** Sets a control's value and fires input + change, as a user would. */
async function setValue(el: Locator, value: string) {
  await el.evaluate((node, v) => {
    const input = node as HTMLInputElement;
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}
const nums = (csv: string | null) => (csv ?? '').split(',').filter((x) => x !== '').map(Number);

describe('lessons 05–08', () => {
  for (const [path, sections] of LESSONS) {
    it(`${path} has every subsection heading and no KaTeX errors`, async () => {
      await s.goto(path);
      for (const n of sections) {
        expect(await s.page.locator('h2', { hasText: new RegExp(`^${n.replace('.', '\\.')} `) }).count(), n).toBe(1);
      }
      expect(await s.page.locator('.katex').count()).toBeGreaterThan(0);
      expect(await s.page.locator('.katex-error').count()).toBe(0);
      expect(await s.page.locator('table.shape-table').count()).toBeGreaterThanOrEqual(5);
    });
  }

  it('KV-cache calculator: bytes for MHA/GQA/MQA and the prefill/decode costs follow the inputs', async () => {
    await s.goto('/lessons/05-decoder-attention/');
    const demo = await openDemo('kv-cache');
    const before = await demo.locator('tr[data-variant="mha"]').getAttribute('data-bytes');
    await setValue(demo.locator('[data-input="layers"]'), '40');
    await setValue(demo.locator('[data-input="seqLen"]'), '8192');
    await demo.locator('[data-input="bytesPerElement"]').selectOption('1');
    const v = async (k: string) => Number(await demo.locator(`[data-input="${k}"]`).inputValue());
    const st = { layers: await v('layers'), heads: await v('heads'), kvHeads: await v('kvHeads'), headDim: await v('headDim'), seqLen: await v('seqLen'), batch: await v('batch'), bytesPerElement: await v('bytesPerElement') };
    expect(st.layers).toBe(40);
    const after = await demo.locator('tr[data-variant="mha"]').getAttribute('data-bytes');
    expect(after).not.toBe(before);
    for (const [variant, kv] of [['mha', st.heads], ['gqa', st.kvHeads], ['mqa', 1]] as const) {
      const row = demo.locator(`tr[data-variant="${variant}"]`);
      const want = kvCacheBytes({ layers: st.layers, batch: st.batch, seqLen: st.seqLen, kvHeads: kv, headDim: st.headDim, bytesPerElement: st.bytesPerElement });
      expect(Number(await row.getAttribute('data-bytes'))).toBe(want);
      const gib = want / 2 ** 30;
      const shown = (await row.locator('.kv-bytes').textContent()) ?? '';
      if (gib >= 1) expect(shown).toBe(`${Number(gib.toFixed(2))} GiB`);
    }
    const base = { batch: st.batch, heads: st.heads, kvHeads: st.kvHeads, seqLen: st.seqLen, headDim: st.headDim, layers: st.layers, bytesPerElement: st.bytesPerElement, cache: true };
    const pre = attentionCost({ ...base, phase: 'prefill' });
    const dec = attentionCost({ ...base, phase: 'decode' });
    const val = async (metric: string, phase: string) => Number(await demo.locator(`[data-metric="${metric}"] [data-phase="${phase}"]`).getAttribute('data-value'));
    expect(await val('flops', 'prefill')).toBeCloseTo(pre.flops / st.seqLen, 6);
    expect(await val('flops', 'decode')).toBe(dec.flops);
    expect(await val('bytes', 'decode')).toBe(dec.bytesRead + dec.bytesWritten);
    expect(await val('intensity', 'prefill')).toBeCloseTo(pre.arithmeticIntensity, 9);
    expect(await val('intensity', 'decode')).toBeCloseTo(dec.arithmeticIntensity, 9);
    expect(await demo.locator('[data-metric="intensity"] [data-phase="decode"]').textContent()).toBe(dec.arithmeticIntensity.toFixed(2));
  });

  it('ALiBi and RoPE demo: slopes, bias and rotated scores match the engine', async () => {
    await s.goto('/lessons/05-decoder-attention/');
    const demo = await openDemo('positional');
    const slopes0 = await demo.locator('[data-slopes]').getAttribute('data-slopes');
    await demo.locator('[data-input="heads"]').selectOption('6');
    await setValue(demo.locator('[data-input="head"]'), '4');
    expect(await demo.locator('[data-slopes]').getAttribute('data-slopes')).not.toBe(slopes0);
    expect(nums(await demo.locator('[data-slopes]').getAttribute('data-slopes'))).toEqual(alibiSlopes(6));
    const bias = alibiBias(6, 8, 8);
    const cell = demo.locator('.pos-grid td[data-i="7"][data-j="2"]');
    expect(Number(await cell.getAttribute('data-value'))).toBe(bias.data[(4 * 8 + 7) * 8 + 2]);
    expect(await cell.textContent()).toBe((bias.data[(4 * 8 + 7) * 8 + 2]).toFixed(2).replace('-', '−'));
    // RoPE: move the query position; the score is (R_m q)·(R_n k) and is unchanged by a common shift.
    const score0 = await demo.locator('[data-score]').getAttribute('data-score');
    await setValue(demo.locator('[data-input="m"]'), '7');
    await setValue(demo.locator('[data-input="n"]'), '3');
    const score = Number(await demo.locator('[data-score]').getAttribute('data-score'));
    expect(String(score)).not.toBe(score0);
    const rq = applyRope(ropeQ, [7]).data;
    const rk = applyRope(ropeK, [3]).data;
    const want = Array.from(rq).reduce((a, x, i) => a + x * rk[i], 0);
    expect(score).toBeCloseTo(want, 12);
    expect(await demo.locator('[data-score]').textContent()).toBe(want.toFixed(6).replace('-', '−'));
    expect(Number(await demo.locator('[data-shifted]').getAttribute('data-shifted'))).toBeCloseTo(want, 10);
  });

  it('FlashAttention step-through: keyboard and buttons step through the trace; the result equals naive attention', async () => {
    await s.goto('/lessons/06-efficient-attention/');
    const demo = await openDemo('flash');
    await demo.locator('[data-input="T"]').selectOption('12');
    await demo.locator('[data-input="d"]').selectOption('4');
    await demo.locator('[data-input="blockQ"]').selectOption('3');
    await demo.locator('[data-input="blockK"]').selectOption('5');
    const T = 12;
    const D = 4;
    const steps = Number(await demo.getAttribute('data-steps'));
    const trace = flashAttention(tensor([1, 1, T, D], new Float64Array(T * D)), tensor([1, 1, T, D], new Float64Array(T * D)), tensor([1, 1, T, D], new Float64Array(T * D)), { blockQ: 3, blockK: 5, trace: true }).trace!;
    // One step per tile, one normalisation per query block, one summary.
    expect(steps).toBe(trace.length + Math.ceil(T / 3) + 1);
    // Keyboard: focus the stage, → steps forward, ← back, space plays and pauses.
    await demo.locator('[data-stage]').focus();
    await s.page.keyboard.press('ArrowRight');
    await s.page.keyboard.press('ArrowRight');
    expect(await demo.getAttribute('data-step')).toBe('2');
    await s.page.keyboard.press('ArrowLeft');
    expect(await demo.getAttribute('data-step')).toBe('1');
    expect(await demo.locator('[data-desc]').getAttribute('aria-live')).toBe('polite');
    expect(await demo.locator('[data-desc]').textContent()).toContain('key tile 1');
    await demo.locator('[data-input="speed"]').selectOption('4');
    await demo.locator('[data-stage]').focus();
    await s.page.keyboard.press('Space');
    expect(await demo.locator('[data-action="play"]').getAttribute('aria-pressed')).toBe('true');
    await s.page.waitForFunction(() => Number(document.querySelector('[data-demo="flash"]')!.getAttribute('data-step')) > 1);
    await s.page.keyboard.press('Space');
    expect(await demo.locator('[data-action="play"]').getAttribute('aria-pressed')).toBe('false');
    // Jump to the end with the button and compare every output with the engine's naive attention.
    await demo.locator('[data-action="last"]').click();
    expect(Number(await demo.getAttribute('data-step'))).toBe(steps - 1);
    const read = async (attr: string) => {
      const m = Array.from({ length: T }, () => new Array<number>(D).fill(NaN));
      for (const [key, value] of await demo.locator(`[data-${attr}]`).evaluateAll((els, a) => els.map((e) => [e.getAttribute(`data-${a}`)!, e.getAttribute('data-value')!]), attr)) {
        const [i, e] = key.split(',').map(Number);
        m[i][e] = Number(value);
      }
      return m;
    };
    const [q, k, v, o] = [await read('q'), await read('k'), await read('v'), await read('o')];
    const t4 = (m: number[][]) => tensor([1, 1, T, D], m.flat());
    const naive = attention(t4(q), t4(k), t4(v)).output.data;
    o.flat().forEach((x, n) => expect(Math.abs(x - naive[n])).toBeLessThan(1e-12));
    const final = demo.locator('[data-final]');
    expect(Number(await final.getAttribute('data-max-diff'))).toBeLessThan(1e-12);
    expect(await final.locator('[data-never]').textContent()).toBe(String(T * T));
    expect(await final.locator('[data-tile]').textContent()).toBe(String(3 * 5));
    expect(Number(await final.locator('[data-scratch]').textContent())).toBe(flashAttention(t4(q), t4(k), t4(v), { blockQ: 3, blockK: 5, trace: true }).scratchElements);
    // Step back from the end leaves the summary.
    await demo.locator('[data-action="back"]').click();
    expect(await demo.locator('[data-final]').count()).toBe(0);
  });

  it('FlashAttention step-through at 375 px and maximum zoom: the grid scrolls inside its box, says so, and the page does not', async () => {
    await s.page.setViewportSize({ width: 375, height: 800 });
    try {
      await s.goto('/lessons/06-efficient-attention/');
      const demo = await openDemo('flash');
      await demo.locator('[data-input="T"]').selectOption('12');
      await setValue(demo.locator('[data-input="zoom"]'), '1.6');
      const box = demo.locator('.fs-scroll');
      const [scrollW, clientW] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(scrollW).toBeGreaterThan(clientW);
      expect(await demo.locator('[data-scroll-hint]').isVisible()).toBe(true);
      // The demo and its caption stay within the viewport; only the grid's own box scrolls.
      const right = await demo.evaluate((el) => el.getBoundingClientRect().right);
      expect(right).toBeLessThanOrEqual(375);
      const caption = demo.locator('.fs-caption');
      expect(await caption.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(375);
      await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      expect(await box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    } finally {
      await s.page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('quadratic-cost demo measures both kernels in the browser; memory matches the engine', async () => {
    await s.goto('/lessons/06-efficient-attention/');
    const demo = await openDemo('quadratic');
    await demo.locator('[data-input="block"]').selectOption('16');
    const t0 = Date.now();
    await demo.locator('[data-action="measure"]').click();
    await s.page.waitForSelector('[data-demo="quadratic"][data-state="done"]', { timeout: 30_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    const rows = demo.locator('tbody tr[data-t]');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    for (let r = 0; r < (await rows.count()); r++) {
      const row = rows.nth(r);
      const T = Number(await row.getAttribute('data-t'));
      const [q, k, v] = qcInputs(T);
      const n = attention(q, k, v, { causal: true });
      expect(Number(await row.getAttribute('data-naive-elements'))).toBe(n.scores.data.length + n.weights.data.length);
      expect(Number(await row.getAttribute('data-tiled-elements'))).toBe(flashAttention(q, k, v, { causal: true, blockQ: 16, blockK: 16 }).scratchElements);
      expect(Number(await row.getAttribute('data-naive-ms'))).toBeGreaterThanOrEqual(0);
      expect(Number(await row.getAttribute('data-tiled-ms'))).toBeGreaterThanOrEqual(0);
      expect(Number(await row.getAttribute('data-max-diff'))).toBeLessThan(1e-12);
      expect(q.shape[3]).toBe(QC_D);
    }
  });

  it('diagnostics demo: entropy, ablation and the perturbation test follow the controls and match the engine', async () => {
    await s.goto('/lessons/07-diagnostics/');
    const demo = await openDemo('diagnostics');
    const verdict = demo.locator('[data-probe-ok]');
    expect(await verdict.getAttribute('data-probe-ok')).toBe('true');
    // Ablate head 1 and sharpen the scores.
    await demo.locator('[data-ablate="1"]').check();
    await demo.locator('[data-input="temp"]').selectOption('4');
    let want = computeDiag({ mask: 'causal', temp: 4, ablate: [1], perturbFrom: 4 });
    expect(Number(await demo.locator('[data-ablation-change]').getAttribute('data-ablation-change'))).toBeCloseTo(want.change, 12);
    expect(await demo.locator('[data-ablation-change]').textContent()).toBe(want.change.toFixed(4));
    for (let h = 0; h < 4; h++) {
      expect(Number(await demo.locator(`.dg-map[data-head="${h}"]`).getAttribute('data-entropy'))).toBeCloseTo(want.entropy[h], 12);
    }
    // A leaky mask fails the perturbation test at the last protected position.
    await demo.locator('[data-input="mask"]').selectOption('leaky');
    await setValue(demo.locator('[data-input="perturbFrom"]'), '5');
    want = computeDiag({ mask: 'leaky' as MaskKind, temp: 4, ablate: [1], perturbFrom: 5 });
    expect(await verdict.getAttribute('data-probe-ok')).toBe('false');
    expect(nums(await verdict.getAttribute('data-leaked'))).toEqual(want.probe.leaked);
    expect(want.probe.leaked).toContain(4);
    nums(await verdict.getAttribute('data-changes')).forEach((c, i) => expect(c).toBeCloseTo(want.probe.maxAbsChange[i], 12));
    // The engine's own entropy for the unablated weights agrees with the dashboard.
    expect(want.entropy.length).toBe(headEntropy(tensor([1, 4, 1, 1], [1, 1, 1, 1])).data.length);
  });

  it('prompt-mask demo: the grid equals the engine promptBoundaryMask for the chosen roles and rules', async () => {
    await s.goto('/lessons/08-ai-applications/');
    const demo = await openDemo('prompt-mask');
    const grid = demo.locator('[data-mask]');
    const before = await grid.getAttribute('data-mask');
    await demo.locator('[data-input="isolateTool"]').uncheck();
    await demo.locator('[data-input="preset"]').selectOption('twoTools');
    await demo.locator('[data-role="3"]').selectOption('tool');
    const roles = (await demo.locator('[data-role]').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))) as Role[];
    expect(roles[3]).toBe('tool');
    const state = { roles, isolateTool: false, systemOnlySystem: true, toolOnlySystem: true };
    const want = (toNested(promptBoundaryMask(roles, rulesOf(state))) as number[][]).map((r) => r.join('')).join('|');
    const got = await grid.getAttribute('data-mask');
    expect(got).not.toBe(before);
    expect(got).toBe(want);
    expect(await demo.locator('td[data-keep="1"]').count()).toBe(want.split('').filter((c) => c === '1').length);
  });

  it('logged no console errors and sent no request outside localhost', () => {
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
