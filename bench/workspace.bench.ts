// The exercise workspace in real Chromium (playwright-core, Debian's /usr/bin/chromium) against the built site, timed
// as the learner sees it:
// - Run → verdict painted: from the click on Run (the click event's timestamp) to the first frame after the results
//   reached the DOM (requestAnimationFrame, then a task: the frame has been painted). The editor's content is changed
//   before every Run, as a learner's is, and Run is clicked 250 ms later (by then the workspace has started that
//   code's Run ahead); the Runs cycle through the reference solution and every file in exercises/<slug>/mistakes/.
//   The solution is also clicked at once after the edit (nothing started ahead). First Runs after a fresh load are
//   timed separately.
// - Editor ready: navigation → editable Monaco editor, and → IntelliSense answering (the TypeScript worker has
//   checked the file), with a cold and a warm HTTP cache; keystroke latency while the TypeScript worker starts; and
//   the page's transfer size.
// A failing Run paints its verdict first; "complete feedback" is the time until its smallest failing cases and
// diagnoses are drawn too and the result is saved.
// Environment: DIST_DIR (a build other than dist/), WS_ONLY=07,08 (exercises), WS_ROUNDS, WS_FIRST_LOADS,
// WS_SKIP_EDITOR=1, WS_SKIP_RUNS=1, WS_BREAKDOWN=1 (one row per code: the median time of each of the Run's marks).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium } from '../tests/browser/chromium.ts';
import { serveStatic } from '../tests/browser/static-server.ts';
import { median, type BenchRow } from './lib.ts';
import { weighPage } from './page-weight.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
/** Warm Runs of each code (solution and every mistake), interleaved round-robin. */
const ROUNDS = Number(process.env.WS_ROUNDS ?? 10);
/** First Runs are timed on this many fresh loads of each exercise page (alternating solution and a mistake). */
const FIRST_LOADS = Number(process.env.WS_FIRST_LOADS ?? 4);
/** Pause between changing the code and clicking Run (a learner's hand moving from keyboard to button). */
const PAUSE_MS = 250;
/** The code's next Run is started ahead once the learner pauses this long (src/workspace/controller.ts). */
const AHEAD_AFTER_MS = 100;
const EDITOR_LOADS = { cold: 3, warm: 5 };
const TARGET = { solutionMs: 50, mistakeMs: 100, mistakeP90Ms: 200, firstMs: 300, jsKb: 60, warmEditableMs: 1000, coldEditableMs: 2500 };

/** Nearest-rank percentile. */
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const f0 = (x: number) => x.toFixed(0);

interface Timed {
  /** Click → the first frame painted after the verdict reached the DOM. */
  ms: number;
  domMs: number;
  /** Click → the Run finished: a failing Run's smallest cases and diagnoses are on screen and the result is saved. */
  completeMs: number;
  /** The Run's performance marks, ms after the click. */
  marks: Record<string, number>;
  verdict: string | null;
}

/** Puts `code` into exercise `id`'s editor, waits as a learner does, clicks Run and times click → painted verdict. */
async function clickRun(page: Page, id: string, code: string, pauseMs = PAUSE_MS): Promise<Timed> {
  await page.evaluate(([i, c]) => window.__amm!.setCode(i, c), [id, code] as const);
  if (pauseMs > 0) await page.waitForTimeout(pauseMs);
  await page.evaluate((i) => {
    const ws = document.querySelector<HTMLElement>(`[data-amm-ws="${i}"]`)!;
    const button = ws.querySelector('[data-action="run"]')!;
    const box = ws.querySelector('[data-results]')!;
    const runs = Number(ws.dataset.runs ?? 0);
    (window as unknown as { __bench: Promise<unknown> }).__bench = new Promise((done) => {
      let t0: number | null = null;
      button.addEventListener('click', (e) => (t0 = e.timeStamp), { capture: true, once: true });
      const mo = new MutationObserver(() => {
        if (t0 === null) return;
        mo.disconnect();
        const dom = performance.now();
        // rAF runs just before the frame is painted; a task posted from it runs after that paint.
        requestAnimationFrame(() => {
          const frame = performance.now();
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            const painted = performance.now();
            const finished = () => {
              if (Number(ws.dataset.runs ?? 0) <= runs) return void setTimeout(finished, 5);
              // Where the time went: the Run's own marks (page, frame and worker clocks share the epoch).
              const marks: Record<string, number> = {};
              for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('amm:') && m.startTime >= t0! && !(m.name in marks)) marks[m.name.slice(4)] = m.startTime - t0!;
              // The frame that paints the verdict starts (its requestAnimationFrame callbacks run) and has painted.
              marks['frame-start'] = frame - t0!;
              marks['frame-painted'] = painted - t0!;
              performance.clearMarks();
              done({ ms: painted - t0!, domMs: dom - t0!, completeMs: performance.now() - t0!, verdict: ws.dataset.verdict ?? null, marks });
            };
            finished();
          };
          ch.port2.postMessage(0);
        });
      });
      mo.observe(box, { childList: true, subtree: true, characterData: true });
    });
  }, id);
  await page.locator(`[data-amm-ws="${id}"] [data-action="run"]`).click();
  return (await page.evaluate(() => (window as unknown as { __bench: Promise<unknown> }).__bench)) as Timed;
}

/** Median and p90 of a list, as one cell. */
const mp = (xs: number[]) => `${f0(median(xs))}/${f0(pct(xs, 90))}`;

async function runRows(page: Page, url: string, slugs: string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const firstAll: number[] = [];
  for (const slug of slugs) {
    const id = slug.slice(0, 2);
    const dir = join(root, 'exercises', slug);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    const correct = meta.concept.choices.find((c: { correct: boolean }) => c.correct).id;
    const codes = [{ name: 'solution', text: readFileSync(join(dir, 'solution.ts'), 'utf8') }];
    for (const f of readdirSync(join(dir, 'mistakes')).filter((f) => f.endsWith('.ts')).sort()) {
      codes.push({ name: f.replace(/\.ts$/, ''), text: readFileSync(join(dir, 'mistakes', f), 'utf8') });
    }
    let edit = 0;
    // A different trailing comment each time: the code really changed, as when a learner edits it.
    const edited = (text: string) => `${text}\n// edit ${++edit}\n`;
    const open = async () => {
      await page.goto(`${url}/exercises/${slug}/`, { waitUntil: 'load' });
      await page.locator(`[data-amm-ws="${id}"]`).scrollIntoViewIfNeeded();
      await page.locator(`[data-amm-ws="${id}"][data-editor="monaco"]`).waitFor({ timeout: 60_000 });
      await page.locator(`[data-amm-ws="${id}"] [data-choice="${correct}"] input`).check();
    };
    const firsts: number[] = [];
    for (let k = 0; k < FIRST_LOADS; k++) {
      await open();
      const code = k % 2 === 0 ? codes[0] : codes[1 + ((k >> 1) % (codes.length - 1))];
      firsts.push((await clickRun(page, id, edited(code.text))).ms);
    }
    firstAll.push(...firsts);
    const times = new Map<string, number[]>(codes.map((c) => [c.name, []]));
    const dom = new Map<string, number[]>(codes.map((c) => [c.name, []]));
    const complete = new Map<string, number[]>(codes.map((c) => [c.name, []]));
    const marksOf = new Map<string, Record<string, number>[]>(codes.map((c) => [c.name, []]));
    const verdicts = new Map<string, Set<string | null>>(codes.map((c) => [c.name, new Set()]));
    for (let k = 0; k < ROUNDS; k++) {
      for (const c of codes) {
        const r = await clickRun(page, id, edited(c.text));
        times.get(c.name)!.push(r.ms);
        dom.get(c.name)!.push(r.domMs);
        complete.get(c.name)!.push(r.completeMs);
        marksOf.get(c.name)!.push(r.marks);
        verdicts.get(c.name)!.add(r.verdict);
      }
    }
    // Clicked at once after the edit (Ctrl+Enter while typing): no Run was started ahead, the click waits for the
    // learner's code.
    const atOnce: number[] = [];
    for (let k = 0; k < ROUNDS; k++) atOnce.push((await clickRun(page, id, edited(codes[0].text), 0)).ms);
    const sol = times.get('solution')!;
    if (process.env.WS_BREAKDOWN === '1') {
      for (const c of codes) {
        const all = marksOf.get(c.name)!;
        const names = [...new Set(all.flatMap((m) => Object.keys(m)))].filter((n) => all.filter((m) => n in m).length * 2 >= all.length);
        const med = names.map((n) => [n, median(all.filter((m) => n in m).map((m) => m[n]))] as const).sort((a, b) => a[1] - b[1]);
        rows.push({ area: 'workspace', metric: `Run breakdown ${slug} ${c.name}`, value: `${f0(median(times.get(c.name)!))} ms painted`, note: med.map(([n, v]) => `${n} ${f0(v)}`).join(', ') });
      }
    }
    const wrongVerdicts = [...verdicts].filter(([n, v]) => (n === 'solution' ? [...v].some((x) => x !== 'pass') : v.has('pass'))).map(([n]) => n);
    rows.push({
      area: 'workspace',
      metric: `Run → verdict painted ${slug} solution`,
      value: `${median(sol).toFixed(1)} ms median`,
      note: `target ≤ ${TARGET.solutionMs}; p90 ${f0(pct(sol, 90))} ms, DOM ${f0(median(dom.get('solution')!))} ms, ${sol.length} Runs clicked ${PAUSE_MS} ms after the edit (the Run is started ahead after ${AHEAD_AFTER_MS} ms); clicked at once after the edit: median ${f0(median(atOnce))} / p90 ${f0(pct(atOnce, 90))} ms; first Run after load median ${f0(median(firsts))} / max ${f0(Math.max(...firsts))} ms (${FIRST_LOADS} loads; target ≤ ${TARGET.firstMs})`,
    });
    const mistakes = codes.slice(1).map((c) => ({ name: c.name, xs: times.get(c.name)! }));
    const worstMedian = Math.max(...mistakes.map((m) => median(m.xs)));
    const worstP90 = Math.max(...mistakes.map((m) => pct(m.xs, 90)));
    rows.push({
      area: 'workspace',
      metric: `Run → verdict painted ${slug} mistakes (${mistakes.length})`,
      value: `worst median ${f0(worstMedian)} ms, worst p90 ${f0(worstP90)} ms`,
      note:
        `target median ≤ ${TARGET.mistakeMs}, p90 ≤ ${TARGET.mistakeP90Ms}; median/p90 ms of ${ROUNDS} Runs: ` +
        mistakes.map((m) => `${m.name} ${mp(m.xs)}`).join(', ') +
        `; complete feedback (smallest cases, diagnoses, saved) median/p90 ms: ` +
        mistakes.map((m) => `${m.name} ${mp(complete.get(m.name)!)}`).join(', ') +
        (wrongVerdicts.length ? `; UNEXPECTED VERDICTS: ${wrongVerdicts.join(', ')}` : ''),
    });
  }
  rows.push({
    area: 'workspace',
    metric: 'first Run after load, all exercises',
    value: `${f0(median(firstAll))} ms median`,
    note: `target ≤ ${TARGET.firstMs}; p90 ${f0(pct(firstAll, 90))}, max ${f0(Math.max(...firstAll))} ms over ${firstAll.length} loads (click → painted)`,
  });
  return rows;
}

interface Ready {
  editable: number;
  intellisense: number;
  keyMax: number;
  keys: number;
}

/** Loads the page scrolled to the workspace (a learner following a link to it) and times the editor's readiness. */
async function editorLoad(page: Page, url: string, slug: string, id: string): Promise<Ready> {
  await page.goto(`${url}/exercises/${slug}/#ws-${id}-title`, { waitUntil: 'commit' });
  await page.evaluate(() => {
    const w = window as unknown as { __keys: number[] };
    w.__keys = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => /key|input/.test(e.name) && w.__keys.push(e.duration))).observe({
      type: 'event',
      durationThreshold: 16,
    } as PerformanceObserverInit);
  });
  await page.locator(`[data-amm-ws="${id}"][data-editor="monaco"]`).waitFor({ timeout: 60_000 });
  // Typing as soon as the editor is there: does any keystroke wait for the TypeScript worker's start?
  await page.locator(`[data-amm-ws="${id}"] .monaco-editor textarea`).focus();
  const typed = 'const typing = 1;';
  await page.keyboard.type(typed, { delay: 30 });
  // Not ready in time counts as a failed load (reported), not as a crash of the whole bench.
  await page.locator(`[data-amm-ws="${id}"][data-intellisense="ready"]`).waitFor({ timeout: 120_000 }).catch(() => {});
  return page.evaluate((n) => {
    const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const keys = (window as unknown as { __keys: number[] }).__keys;
    return { editable: at('amm:editable'), intellisense: at('amm:intellisense'), keyMax: Math.max(0, ...keys), keys: n };
  }, typed.length);
}

async function editorRows(page: Page, url: string, dist: string, slug: string): Promise<BenchRow[]> {
  const id = slug.slice(0, 2);
  const cdp = await page.context().newCDPSession(page);
  // What the page fetches on a cold load, weighed from the build (the test server does not compress; gzip is what
  // a host would send).
  const urls = new Set<string>();
  const onRequest = (r: import('playwright-core').Request) => void urls.add(r.url());
  page.on('request', onRequest);
  const cold: Ready[] = [];
  const warm: Ready[] = [];
  for (let k = 0; k < EDITOR_LOADS.cold; k++) {
    await cdp.send('Network.clearBrowserCache');
    await page.goto('about:blank');
    cold.push(await editorLoad(page, url, slug, id));
    if (k === 0) {
      await page.waitForTimeout(500);
      page.off('request', onRequest);
    }
  }
  for (let k = 0; k < EDITOR_LOADS.warm; k++) {
    await page.goto('about:blank');
    warm.push(await editorLoad(page, url, slug, id));
  }
  await cdp.detach();
  const bodies = new Map<string, number[]>();
  for (const u of urls) {
    if (!u.startsWith(url)) continue;
    let file = join(dist, decodeURIComponent(new URL(u).pathname));
    if (file.endsWith('/')) file += 'index.html';
    if (existsSync(file)) {
      const b = readFileSync(file);
      bodies.set(u, [b.length, gzipSync(b).length]);
    }
  }
  const total = [...bodies.values()].reduce((s, [raw]) => s + raw, 0);
  const totalGz = [...bodies.values()].reduce((s, [, g]) => s + g, 0);
  const biggest = [...bodies].sort((a, b) => b[1][0] - a[1][0]).slice(0, 3);
  const stat = (xs: Ready[], k: 'editable' | 'intellisense') => {
    const ok = xs.map((x) => x[k]).filter((v) => !Number.isNaN(v));
    return ok.length ? f0(median(ok)) : 'never';
  };
  const missing = [...cold, ...warm].filter((x) => Number.isNaN(x.intellisense)).length;
  const keyMax = Math.max(...[...cold, ...warm].map((x) => x.keyMax));
  return [
    {
      area: 'workspace',
      metric: `editor editable /exercises/${slug}/ cold / warm cache`,
      value: `${stat(cold, 'editable')} / ${stat(warm, 'editable')} ms`,
      note: `targets ≤ ${TARGET.coldEditableMs} / ≤ ${TARGET.warmEditableMs}; navigation → Monaco editable, medians of ${EDITOR_LOADS.cold} cold and ${EDITOR_LOADS.warm} warm loads`,
    },
    {
      area: 'workspace',
      metric: `editor IntelliSense /exercises/${slug}/ cold / warm cache`,
      value: `${stat(cold, 'intellisense')} / ${stat(warm, 'intellisense')} ms`,
      note: `navigation → the TypeScript worker has checked the file${missing ? ` (NOT READY within 120 s in ${missing} loads)` : ''}; slowest keystroke while it starts ${keyMax ? `${f0(keyMax)} ms` : '< 16 ms'} (Event Timing, ${cold[0].keys} keys a load)`,
    },
    {
      area: 'workspace',
      metric: `transfer /exercises/${slug}/ (cold load, editor + IntelliSense)`,
      value: `${mb(total)} raw, ${mb(totalGz)} gz`,
      note: `${bodies.size} responses; largest: ${biggest.map(([u, [raw, g]]) => `${u.replace(url, '').replace(/^\/_astro\//, '')} ${kb(raw)} (${kb(g)} gz)`).join(', ')}`,
    },
  ];
}

export default async function (): Promise<BenchRow[]> {
  const dist = resolve(process.env.DIST_DIR ?? join(root, 'dist')) + '/';
  if (!existsSync(join(dist, 'exercises'))) {
    return [{ area: 'workspace', metric: 'Run → verdict', value: 'n/a', note: 'build the site first (no exercises/ in the build)' }];
  }
  const only = process.env.WS_ONLY?.split(',');
  const slugs = readdirSync(join(dist, 'exercises'))
    .filter((d) => /^\d\d-/.test(d) && (!only || only.some((o) => d.startsWith(o))))
    .sort();
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
  // Hashed build assets are immutable, as a static host serves them; pages are revalidated.
  server.prependListener('request', (req, res) => {
    if (req.url?.startsWith('/_astro/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  });
  const browser = await launchChromium();
  const { context } = browser;
  // esbuild (tsx) names the functions passed to page.evaluate through a helper the page lacks.
  await context.addInitScript('window.__name = (f) => f');
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    if (process.env.WS_SKIP_EDITOR !== '1') rows.push(...(await editorRows(page, url, dist, slugs[0])));
    if (process.env.WS_SKIP_RUNS !== '1') rows.push(...(await runRows(page, url, slugs)));
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
