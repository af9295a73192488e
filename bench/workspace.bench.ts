// The exercise workspace in real Chromium (playwright-core, Debian's /usr/bin/chromium) against the built site:
// Run → verdict for every exercise's reference solution (first Run after load, then warm medians: Runs spaced as a
// learner's are, and back-to-back), and the JS an exercise page ships before its editor is visible. Set DIST_DIR to bench a build other than dist/.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/browser/chromium.ts';
import { serveStatic } from '../tests/browser/static-server.ts';
import { median, type BenchRow } from './lib.ts';
import { weighPage } from './page-weight.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const WARM_RUNS = 15;
/** First Runs are timed on this many fresh loads of the page. */
const FIRST_RUNS = 5;
/** Pause before each spaced warm Run. */
const SPACING_MS = 250;
const TARGET = { warmMs: 50, firstMs: 300, jsKb: 60 };

export default async function (): Promise<BenchRow[]> {
  const dist = resolve(process.env.DIST_DIR ?? join(root, 'dist')) + '/';
  if (!existsSync(join(dist, 'exercises'))) {
    return [{ area: 'workspace', metric: 'Run → verdict', value: 'n/a', note: 'build the site first (no exercises/ in the build)' }];
  }
  const slugs = readdirSync(join(dist, 'exercises')).filter((d) => /^\d\d-/.test(d)).sort();
  const rows: BenchRow[] = [];

  const w = weighPage(dist, `exercises/${slugs[0]}/index.html`, join(root, 'src'));
  const js = w.starlightJsGz + w.courseJsGz + w.inlineJsGz;
  rows.push({
    area: 'workspace',
    metric: `JS before the editor is visible (/exercises/${slugs[0]}/)`,
    value: `${kb(js)} gz`,
    note: `target ≤ ${TARGET.jsKb} KB; Starlight ${kb(w.starlightJsGz)}, course ${kb(w.courseJsGz)}, inline ${kb(w.inlineJsGz)}; CSS ${kb(w.cssGz)} (Monaco's CSS is hoisted)`,
  });

  const { server, url } = await serveStatic(dist);
  const browser = await launchChromium();
  const { context } = browser;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    for (const slug of slugs) {
      const id = slug.slice(0, 2);
      const solution = readFileSync(join(root, 'exercises', slug, 'solution.ts'), 'utf8');
      const meta = JSON.parse(readFileSync(join(root, 'exercises', slug, 'meta.json'), 'utf8'));
      const correct = meta.concept.choices.find((c: { correct: boolean }) => c.correct).id;
      /** Loads the exercise page, waits for Monaco, puts the solution in and picks the right choice. */
      const open = async () => {
        await page.goto(`${url}/exercises/${slug}/`, { waitUntil: 'load' });
        await page.locator(`[data-amm-ws="${id}"]`).scrollIntoViewIfNeeded();
        await page.locator(`[data-amm-ws="${id}"][data-editor="monaco"]`).waitFor({ timeout: 60_000 });
        await page.locator(`[data-amm-ws="${id}"] [data-choice="${correct}"] input`).check();
        await page.evaluate(([i, c]) => window.__amm!.setCode(i, c), [id, solution] as const);
      };
      // Timed inside the page: from Run to the verdict rendered (results and summary in the DOM).
      const timeRun = () =>
        page.evaluate(async (i) => {
          performance.clearMarks();
          const t0 = performance.now();
          await window.__amm!.run(i);
          const total = performance.now() - t0;
          // The verdict is on screen at this mark; saving the result and progress follow it.
          const mark = performance.getEntriesByName('amm:verdict')[0];
          const v = document.querySelector(`[data-amm-ws="${i}"]`)?.getAttribute('data-verdict');
          // Breakdown: the learner's calls in the sandbox worker (cold code in a fresh worker) vs everything else.
          // (No helper functions here: tsx would wrap them in a helper the page does not have.)
          const m = Object.fromEntries(performance.getEntriesByType('mark').map((e) => [e.name, e.startTime]));
          const calls = m['amm:workerBatchDone'] - m['amm:workerBatch'];
          const load = m['amm:workerLoaded'] - m['amm:workerLoad'];
          return { ms: mark ? mark.startTime - t0 : total, total, verdict: v, calls, load };
        }, id);
      const firsts: number[] = [];
      for (let k = 0; k < FIRST_RUNS; k++) {
        await open();
        firsts.push((await timeRun()).ms);
      }
      // Warm Runs spaced as a learner's are (the verdict is read before the next Run) — the target — and
      // back-to-back, where each Run also shares the CPU with the previous one's clean-up (its worker replaced).
      const spaced: number[] = [];
      const backToBack: number[] = [];
      const totals: number[] = [];
      const calls: number[] = [];
      const loads: number[] = [];
      const verdicts = new Set<string | null | undefined>();
      for (let k = 0; k < WARM_RUNS; k++) {
        await page.waitForTimeout(SPACING_MS);
        const r = await timeRun();
        spaced.push(r.ms);
        totals.push(r.total);
        if (!Number.isNaN(r.calls)) calls.push(r.calls);
        if (!Number.isNaN(r.load)) loads.push(r.load);
        verdicts.add(r.verdict);
      }
      for (let k = 0; k < WARM_RUNS; k++) {
        const r = await timeRun();
        backToBack.push(r.ms);
        verdicts.add(r.verdict);
      }
      rows.push({
        area: 'workspace',
        metric: `Run → verdict ${slug} (solution)`,
        value: `${median(spaced).toFixed(1)} ms warm`,
        note:
          `target ≤ ${TARGET.warmMs}; median of ${WARM_RUNS} Runs ${SPACING_MS} ms apart (${median(totals).toFixed(1)} ms incl. saving; ` +
          `learner calls ${calls.length ? median(calls).toFixed(1) : '?'} ms and module load ${loads.length ? median(loads).toFixed(1) : '?'} ms in the fresh worker); ` +
          `back-to-back ${median(backToBack).toFixed(1)} ms; first Run after load ${median(firsts).toFixed(0)} ms (median of ${FIRST_RUNS} loads, ` +
          `max ${Math.max(...firsts).toFixed(0)}; target ≤ ${TARGET.firstMs}); verdicts ${[...verdicts].join(', ')}`,
      });
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
