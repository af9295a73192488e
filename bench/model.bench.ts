// The trained model: engine forward pass for T = 64 in Node and on the built page (the demo's own timing of
// computeView's forward call, read from data-forward-ms after each re-render), median of repeated runs.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/browser/chromium.ts';
import { serveStatic } from '../tests/browser/static-server.ts';
import { copyBatch, decodeWithCache, forward, HELD_OUT_SEED } from '../src/model/index.ts';
import { shippedModel as model } from '../src/model/shipped.ts';
import { median, timeRuns, type BenchRow } from './lib.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 20;
const TARGET_MS = 50;

export default async function (): Promise<BenchRow[]> {
  const T = model.manifest.maxSeqLen;
  const [s] = copyBatch(HELD_OUT_SEED, 1, model.manifest.task);
  const rows: BenchRow[] = [];
  const full = median(await timeRuns(() => forward(model, [s.tokens]), RUNS, 3));
  rows.push({ area: 'model', metric: `forward T=${T}, Node, median`, value: `${full.toFixed(2)} ms`, note: `${RUNS} runs; target on the page ≤ ${TARGET_MS} ms` });
  const dec = median(await timeRuns(() => decodeWithCache(model, s.tokens), 5, 1));
  rows.push({ area: 'model', metric: `decode ${T} tokens with KV cache, Node, median`, value: `${dec.toFixed(2)} ms`, note: '5 runs' });

  const dist = resolve(process.env.DIST_DIR ?? join(root, 'dist')) + '/';
  if (!existsSync(join(dist, 'lessons/07-diagnostics/index.html'))) {
    rows.push({ area: 'model', metric: 'forward on the page', value: 'n/a', note: 'build the site first' });
    return rows;
  }
  const { server, url } = await serveStatic(dist);
  const browser = await launchChromium();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${url}/lessons/07-diagnostics/`, { waitUntil: 'load' });
    const demo = page.locator('[data-amm-model]').first();
    await demo.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-amm-model][data-ready="true"]', { timeout: 60_000 });
    // The demo warms the engine with short passes while it loads; its first real pass comes after them.
    const first = Number(await demo.getAttribute('data-forward-ms'));
    const warmUp = Number(await demo.getAttribute('data-warm-up-ms'));
    const times: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      // Moving the query slider re-renders everything, one forward pass included.
      const ms = await page.evaluate((q) => {
        const root = document.querySelector<HTMLElement>('[data-amm-model]')!;
        const input = root.querySelector<HTMLInputElement>('[data-input="query"]')!;
        input.value = String(q);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        return Number(root.dataset.forwardMs);
      }, i % T);
      if (i >= 3) times.push(ms);
    }
    const Tpage = await page.evaluate(() => document.querySelectorAll('[data-amm-model] .mdl-tok').length);
    rows.push({ area: 'model', metric: `forward T=${Tpage} on the page (Chromium), first render after load`, value: `${first.toFixed(2)} ms`, note: `one run, after the demo's warm-up (24 passes on 12 letters while it loads: ${warmUp.toFixed(1)} ms)` });
    rows.push({ area: 'model', metric: `forward T=${Tpage} on the page (Chromium), median`, value: `${median(times).toFixed(2)} ms`, note: `${RUNS} re-renders after 3 warm-up; max ${Math.max(...times).toFixed(2)} ms; target ≤ ${TARGET_MS} ms` });
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
