// Lessons 02–04 in a real browser: every subsection heading, no KaTeX errors, and each live demo reacts to
// its controls with numbers that match the reference engine recomputed here in Node.
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attention2d,
  createRng,
  kvCacheBytes,
  multiHeadAttention,
  randomTensor,
  rowEntropy,
  softmax,
  tensor,
} from '../../src/engine';
import { fmt, fmtBytes } from '../../src/components/format';
import { TEMP_SCORES, DOT_SAMPLES, DOT_SEED } from '../../src/components/demos/temperature-model';
import { fmtSci } from '../../src/components/demos/stability-math';
import { openSession, type Session } from './harness';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});

const LESSONS = [
  { path: '/lessons/02-formal-definitions/', part: 2 },
  { path: '/lessons/03-core-mechanics/', part: 3 },
  { path: '/lessons/04-multi-head-attention/', part: 4 },
];

/** Scrolls a demo into view and waits until its client code has mounted. */
async function openDemo(name: string): Promise<Locator> {
  const demo = s.page.locator(`[data-demo="${name}"]`).first();
  await demo.scrollIntoViewIfNeeded();
  await s.page.waitForSelector(`[data-demo="${name}"][data-ready="true"]`, { timeout: 20_000 });
  return demo;
}

const text = async (l: Locator) => ((await l.textContent()) ?? '').trim();

describe('lessons 02–04', () => {
  for (const { path, part } of LESSONS) {
    it(`${path} has every subsection heading, rendered math and shape tables`, async () => {
      await s.goto(path);
      for (let m = 1; m <= 5; m++) {
        const n = `${part}\\.${m}`;
        expect(await s.page.locator('h2', { hasText: new RegExp(`^${n} `) }).count(), `heading ${part}.${m}`).toBe(1);
      }
      expect(await s.page.locator('.katex').count()).toBeGreaterThan(50);
      expect(await s.page.locator('.katex-error').count()).toBe(0);
      expect(await s.page.locator('table.shape-table').count()).toBe(5);
      expect(await s.page.locator('details').count()).toBeGreaterThanOrEqual(4);
      const body = await s.page.locator('main').textContent();
      expect(body).not.toContain('undefined');
    });
  }

  it('attention playground: editing Q and toggling the mask recomputes the engine numbers', async () => {
    await s.goto('/lessons/02-formal-definitions/');
    const demo = await openDemo('attention-playground');

    const readInputs = async () => {
      const m: Record<string, number[][]> = { Q: [[], [], []], K: [[], [], []], V: [[], [], []] };
      for (const el of await demo.locator('input[data-m]').all()) {
        const [name, i, j] = await Promise.all([el.getAttribute('data-m'), el.getAttribute('data-i'), el.getAttribute('data-j')]);
        m[name!][Number(i)][Number(j)] = Number(await el.inputValue());
      }
      return m;
    };
    const cells = async (id: string, rows: number, cols: number) => {
      const out: string[][] = [];
      for (let i = 0; i < rows; i++) {
        out.push([]);
        for (let j = 0; j < cols; j++) out[i].push(await text(demo.locator(`[data-cell="${id}-${i}-${j}"]`)));
      }
      return out;
    };
    const expectMatchesEngine = async () => {
      const { Q, K, V } = await readInputs();
      const causal = await demo.locator('input[data-opt="causal"]').isChecked();
      const scaled = await demo.locator('input[data-opt="scaled"]').isChecked();
      const scale = scaled ? 1 / Math.sqrt(2) : 1;
      const open = attention2d(Q, K, V, { scale });
      const r = attention2d(Q, K, V, { scale, causal });
      const f = (m: number[][]) => m.map((row) => row.map((x) => fmt(x, 3)));
      expect(await cells('scores', 3, 3)).toEqual(f(open.scores));
      expect(await cells('masked', 3, 3)).toEqual(f(r.scores));
      expect(await cells('weights', 3, 3)).toEqual(f(r.weights));
      expect(await cells('output', 3, 2)).toEqual(f(r.output));
      for (let i = 0; i < 3; i++) expect(await text(demo.locator(`[data-cell="rowsum-${i}"]`))).toBe(fmt(1, 3));
      return r;
    };

    const initial = await expectMatchesEngine();
    const before = await cells('weights', 3, 3);

    // Edit Q[0][1] and switch the causal mask on: the numbers change and still match the engine.
    await demo.locator('input[data-m="Q"][data-i="0"][data-j="1"]').fill('2');
    await demo.locator('input[data-opt="causal"]').check();
    const after = await expectMatchesEngine();
    expect(await cells('weights', 3, 3)).not.toEqual(before);
    expect(after.weights[0][1]).toBe(0);
    expect(after.output).not.toEqual(initial.output);
    expect(await text(demo.locator('[data-cell="masked-0-2"]'))).toBe('−∞');

    // Turning the scale off gives worked example 1 in row 0 when q0 = [1, 0] and there is no mask.
    await demo.locator('input[data-m="Q"][data-i="0"][data-j="1"]').fill('0');
    await demo.locator('input[data-opt="causal"]').uncheck();
    await demo.locator('input[data-opt="scaled"]').uncheck();
    const we1 = await expectMatchesEngine();
    expect(we1.weights[0][0]).toBeCloseTo(Math.E / (2 * Math.E + 1), 12);

    // Step buttons: step 2 highlights the mask formula and hides the later stages.
    await demo.locator('button[data-go="2"]').click();
    expect(await demo.locator('[data-formula="2"]').getAttribute('class')).toContain('is-current');
    expect(await demo.locator('[data-formula="4"]').getAttribute('class')).not.toContain('is-current');
    expect(await demo.locator('[data-stage="3"]').isHidden()).toBe(true);
    expect(await demo.locator('[data-stage="2"]').isVisible()).toBe(true);
    expect(await demo.locator('button[data-go="2"]').getAttribute('aria-pressed')).toBe('true');
    await demo.locator('button[data-go="4"]').click();
    expect(await demo.locator('[data-stage="4"]').isVisible()).toBe(true);
  });

  it('temperature demo: τ and d_k sliders update weights, entropy and sampled variances as the engine says', async () => {
    await s.goto('/lessons/03-core-mechanics/');
    const demo = await openDemo('temperature');
    const weightsShown = async () => Promise.all(TEMP_SCORES.map((_, j) => text(demo.locator(`[data-out="w-${j}"]`))));
    const expected = (tau: number) => {
      const w = softmax(TEMP_SCORES.map((x) => x / tau));
      return { w: w.map((x) => fmt(x, 3)), h: fmt(rowEntropy(tensor([w.length], w)).data[0], 3) };
    };
    expect(await weightsShown()).toEqual(expected(1).w);

    for (const tau of [0.3, 2.5]) {
      await demo.locator('[data-in="tau"]').fill(String(tau));
      expect(await text(demo.locator('[data-out="tau"]'))).toBe(fmt(tau, 2));
      expect(await weightsShown()).toEqual(expected(tau).w);
      expect(await text(demo.locator('[data-out="entropy"]'))).toBe(expected(tau).h);
    }
    expect(expected(0.3).w).not.toEqual(expected(2.5).w);

    // q·k variance by the same seeded sampling: q's d_k normals, then k's, for each pair.
    const variance = (dk: number) => {
      const rng = createRng(DOT_SEED);
      const dots: number[] = [];
      for (let n = 0; n < DOT_SAMPLES; n++) {
        const q = Array.from({ length: dk }, () => rng.normal());
        dots.push(q.reduce((a, x) => a + x * rng.normal(), 0));
      }
      const mean = dots.reduce((a, b) => a + b, 0) / dots.length;
      return dots.reduce((a, x) => a + (x - mean) ** 2, 0) / (dots.length - 1);
    };
    for (const exp of [2, 8]) {
      const dk = 2 ** exp;
      await demo.locator('[data-in="dkExp"]').fill(String(exp));
      expect(await text(demo.locator('[data-out="dk"]'))).toBe(String(dk));
      const v = variance(dk);
      expect(await text(demo.locator('[data-out="varUnscaled"]'))).toBe(fmt(v, 2));
      expect(await text(demo.locator('[data-out="varScaled"]'))).toBe(fmt(v / dk, 3));
    }
    // The unscaled variance grows with d_k; the scaled one stays near 1.
    expect(variance(256)).toBeGreaterThan(10 * variance(4));
  });

  it('stability demo: naive softmax breaks past ~710 while the stable one matches the engine', async () => {
    await s.goto('/lessons/03-core-mechanics/');
    const demo = await openDemo('stability');
    const shown = async (id: string) => (await text(demo.locator(`[data-out="${id}"]`))).split(', ');
    const setC = (c: number) => demo.locator('[data-in="c-number"]').fill(String(c));

    await setC(800);
    expect(await shown('naive-weights')).toEqual(['NaN', 'NaN', 'NaN']);
    expect(await shown('naive-exps')).toEqual(['∞', '∞', '∞']);
    expect(await shown('stable-weights')).toEqual(softmax([800, 799, 798]).map(fmtSci));
    expect(await demo.locator('[data-out="naive-verdict"]').getAttribute('data-ok')).toBe('false');
    expect(await demo.locator('[data-out="stable-verdict"]').getAttribute('data-ok')).toBe('true');
    expect(await demo.locator('[data-in="c"]').inputValue()).toBe('800');

    await setC(5);
    const small = softmax([5, 4, 3]).map(fmtSci);
    expect(await shown('naive-weights')).toEqual(small);
    expect(await shown('stable-weights')).toEqual(small);
    expect(await shown('naive-exps')).toEqual([5, 4, 3].map((x) => fmtSci(Math.exp(x))));

    await demo.locator('[data-in="c"]').fill('-900');
    expect(await shown('naive-sum')).toEqual(['0.0000']);
    expect(await shown('naive-weights')).toEqual(['NaN', 'NaN', 'NaN']);
    expect(await shown('stable-weights')).toEqual(softmax([-900, -901, -902]).map(fmtSci));

    await demo.locator('[data-in="masked"]').check();
    expect(await shown('stable-weights')).toEqual(softmax([-Infinity, -Infinity, -Infinity]).map(fmtSci));
    expect(await shown('stable-weights')).toEqual(['0.0000', '0.0000', '0.0000']);
    expect(await shown('naive-weights')).toEqual(['NaN', 'NaN', 'NaN']);
  });

  it('shape tracer: shapes and KV-cache bytes follow the inputs and match the engine; bad inputs explain themselves', async () => {
    await s.goto('/lessons/04-multi-head-attention/');
    const demo = await openDemo('shape-tracer');
    const set = async (k: string, v: number) => demo.locator(`[data-in="${k}"]`).fill(String(v));
    const shape = async (id: string) => text(demo.locator(`[data-shape="${id}"]`));
    const fmtShape = (a: number[]) => `(${a.join(', ')})`;

    const cfg = { B: 2, T: 5, dModel: 12, h: 6, hKv: 3, layers: 4 };
    for (const [k, v] of Object.entries(cfg)) await set(k, v);
    await demo.locator('[data-in="bytesPerElement"]').selectOption('4');

    // Run the real layer at these sizes and compare every shape the engine exposes.
    const rng = createRng(1);
    const dh = cfg.dModel / cfg.h;
    const r = multiHeadAttention({
      x: randomTensor(rng, [cfg.B, cfg.T, cfg.dModel]),
      wq: randomTensor(rng, [cfg.dModel, cfg.h * dh]),
      wk: randomTensor(rng, [cfg.dModel, cfg.hKv * dh]),
      wv: randomTensor(rng, [cfg.dModel, cfg.hKv * dh]),
      wo: randomTensor(rng, [cfg.h * dh, cfg.dModel]),
      heads: cfg.h,
      kvHeads: cfg.hKv,
      causal: true,
    });
    expect(await shape('x')).toBe(fmtShape([cfg.B, cfg.T, cfg.dModel]));
    expect(await shape('q-split')).toBe(fmtShape(r.q.shape));
    expect(await shape('kv-split')).toBe(fmtShape(r.k.shape));
    expect(await shape('kv-split')).toBe(fmtShape(r.v.shape));
    expect(await shape('scores')).toBe(fmtShape(r.weights.shape));
    expect(await shape('weights')).toBe(fmtShape(r.weights.shape));
    expect(await shape('heads')).toBe(fmtShape(r.heads.shape));
    expect(await shape('output')).toBe(fmtShape(r.output.shape));
    expect(await shape('q-reshape')).toBe(fmtShape([cfg.B, cfg.T, cfg.h, dh]));
    expect(await shape('concat')).toBe(fmtShape([cfg.B, cfg.T, cfg.h * dh]));
    expect(await text(demo.locator('[data-out="dh"]'))).toBe(String(dh));
    expect(await text(demo.locator('[data-out="group"]'))).toBe(String(cfg.h / cfg.hKv));

    const bytes = kvCacheBytes({ layers: cfg.layers, batch: cfg.B, seqLen: cfg.T, kvHeads: cfg.hKv, headDim: dh, bytesPerElement: 4 });
    const mha = kvCacheBytes({ layers: cfg.layers, batch: cfg.B, seqLen: cfg.T, kvHeads: cfg.h, headDim: dh, bytesPerElement: 4 });
    expect(await text(demo.locator('[data-out="cache-bytes"]'))).toBe(String(bytes));
    expect(await text(demo.locator('[data-out="cache"]'))).toBe(fmtBytes(bytes));
    expect(await text(demo.locator('[data-out="cache-mha"]'))).toBe(fmtBytes(mha));
    expect(await text(demo.locator('[data-out="cache-factor"]'))).toBe(String(cfg.h / cfg.hKv));

    // MQA: one kv head.
    await set('hKv', 1);
    expect(await shape('kv-split')).toBe(fmtShape([cfg.B, 1, cfg.T, dh]));
    expect(await text(demo.locator('[data-out="cache-factor"]'))).toBe(String(cfg.h));

    // Invalid: h does not divide d_model, then h_kv does not divide h.
    const error = demo.locator('[data-error]');
    await set('h', 5);
    expect(await error.isVisible()).toBe(true);
    expect(await text(error)).toContain('does not divide d_model');
    // No stale table or cache total while the configuration is invalid.
    expect(await demo.locator('.tracer__scroll').isHidden()).toBe(true);
    expect(await demo.locator('[data-out="cache"]').isHidden()).toBe(true);
    await set('layers', 8); // changed while invalid: must be used once the configuration is valid again
    await set('h', 6);
    await set('hKv', 4);
    expect(await text(error)).toContain('does not divide H');
    await set('hKv', 2);
    expect(await error.isHidden()).toBe(true);
    expect(await shape('kv-split')).toBe(fmtShape([cfg.B, 2, cfg.T, dh]));
    expect(await demo.locator('.tracer__scroll').isVisible()).toBe(true);
    const bytes8 = kvCacheBytes({ layers: 8, batch: cfg.B, seqLen: cfg.T, kvHeads: 2, headDim: dh, bytesPerElement: 4 });
    expect(await text(demo.locator('[data-out="cache-bytes"]'))).toBe(String(bytes8));
  });

  it('logged no console errors and sent no request outside localhost', () => {
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });
});
