// The instructor page (/instructor/) in real Chromium: it opens a report.json written by the command line's batch
// grader and shows the same numbers, refuses damaged or other-version reports with a message, and grades dropped
// submission files in the learners' sandbox with the same scores as the command line (same seed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeManualScores, parseManualCsv } from '../../instructor/report/manual';
import type { InstructorReport } from '../../instructor/report/schema';
import { emptyHistory } from '../../src/workspace/submission';
import { exerciseFiles, submission, type Work } from '../instructor/corpus';
import { openSession, type Session } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 7;

/** A small class: everything right, one known mistake per exercise, a partial one with starters, a hostile name. */
function makeClass(): Record<string, string> {
  const ex = exerciseFiles();
  const all = (f: (e: (typeof ex)[number]) => Work) => Object.fromEntries(ex.map((e) => [e.id, f(e)]));
  return {
    'ada.json': JSON.stringify(submission('Ada <img src=x onerror="window.__pwned=1">', all((e) => ({ code: e.solution, c: e.correctC, freeText: '<b>not bold</b>' })))),
    'bob.json': JSON.stringify(submission('Bob', all((e) => ({ code: Object.values(e.mistakes)[0] ?? e.solution, c: e.wrongC })))),
    'cy.json': JSON.stringify(submission('Cy', Object.fromEntries(ex.slice(0, 3).map((e) => [e.id, { code: e.starter, c: e.correctC }])))),
    // Version 2: Ada's code, a hint, the wrong choice first, the solution shown before any passing Run.
    'dee.json': JSON.stringify(submission('Dee', { [ex[0].id]: { code: `// my own work\n${ex[0].solution}`, c: ex[0].correctC, freeText: 'Dee explains', history: {
      ...emptyHistory(), runs: 2, firstRunAt: '2026-11-20T09:00:00.000Z', lastRunAt: '2026-11-20T09:30:00.000Z', passedAt: '2026-11-20T09:30:00.000Z',
      hints: [{ index: 0, at: '2026-11-20T09:05:00.000Z' }], solutionRevealedAt: '2026-11-20T09:10:00.000Z',
      choices: [{ choice: ex[0].wrongC, at: '2026-11-20T09:01:00.000Z' }, { choice: ex[0].correctC, at: '2026-11-20T09:02:00.000Z' }],
    } } })),
    'broken.json': '{ "format": "attention-mechanism-math/submission", ',
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const ex0 = () => exerciseFiles()[0];
const pts = (x: number) => String(Math.round(x * 100) / 100);

let s: Session;
let dir: string;
let files: Record<string, string>;
let report: InstructorReport;
let reportText: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amm-instructor-'));
  files = makeClass();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // The command line, exactly as an instructor runs it (exit code 1: one file was rejected).
  const cli = spawnSync(process.execPath, [join(root, 'node_modules/.bin/tsx'), join(root, 'scripts/grade.ts'), dir, '--out', join(dir, 'out'), '--seed', String(SEED), '--quiet'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(cli.status, cli.stderr).toBe(1);
  reportText = readFileSync(join(dir, 'out', 'report.json'), 'utf8');
  report = JSON.parse(reportText) as InstructorReport;
  s = await openSession();
}, 180_000);

afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const json = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

async function openPage() {
  await s.goto('/instructor/');
  await s.page.waitForSelector('[data-instructor][data-ready]');
}

/** Every per-learner total and per-exercise score shown in the learners table, by learner name. */
async function shownScores(): Promise<Record<string, { total: string; ex: Record<string, string> }>> {
  return s.page.$$eval('[data-learner-row]', (rows) =>
    Object.fromEntries(rows.map((r) => [
      r.querySelector('a')!.textContent,
      {
        total: (r.querySelector('[data-total]') as HTMLElement).dataset.total!,
        ex: Object.fromEntries([...r.querySelectorAll<HTMLElement>('[data-ex]')].map((c) => [c.dataset.ex!, c.textContent!])),
      },
    ])),
  );
}

function expectedScores(r: InstructorReport) {
  return Object.fromEntries(r.learners.map((l) => [
    l.learner,
    { total: pts(l.total.points), ex: Object.fromEntries(l.exercises.map((e) => [e.exerciseId, e.submitted ? pts(e.result.total.points) : '—'])) },
  ]));
}

describe('instructor page', () => {
  it('the CLI report is what the test expects', () => {
    expect(report.overview.learners).toBe(4);
    expect(report.overview.filesRejected).toBe(1);
    expect(report.provenance.seed.value).toBe(SEED);
    const totals = Object.fromEntries(report.learners.map((l) => [l.learner.slice(0, 3), l.total.points]));
    expect(totals.Ada).toBe(report.learners[0].total.maxPoints);
    expect(totals.Bob).toBeGreaterThan(0);
    expect(totals.Bob).toBeLessThan(report.learners[0].total.maxPoints);
  });

  it('opens a report.json and shows the same overview numbers as the report', async () => {
    await openPage();
    await s.page.setInputFiles('[data-report]', json('report.json', reportText));
    await s.page.waitForSelector('[data-summary]');
    const o = report.overview;
    const summary = s.page.locator('[data-summary]');
    expect(await summary.getAttribute('data-learners')).toBe(String(o.learners));
    expect(await summary.getAttribute('data-files-read')).toBe(String(o.filesRead));
    expect(await summary.getAttribute('data-files-rejected')).toBe(String(o.filesRejected));
    for (const e of o.exercises) {
      const row = s.page.locator(`[data-exercise-row="${e.id}"]`);
      expect(await row.locator('[data-submitted]').textContent()).toBe(String(e.submitted));
      expect(await row.locator('[data-pass]').first().getAttribute('data-pass')).toBe(pct(e.passRate));
      expect(await row.locator('[data-mean]').textContent()).toBe(`${pts(e.meanPoints)} / ${pts(e.maxPoints)}`);
      for (const p of ['a', 'b', 'c'] as const) {
        expect(await row.locator(`[data-part="${p}"]`).textContent()).toBe(`${pct(e.parts[p].passRate)} pass (mean ${pct(e.parts[p].meanScore)})`);
      }
    }
    for (const b of o.distribution) expect(await s.page.locator(`[data-bin="${b.fromPercent}"] [data-count]`).textContent()).toBe(String(b.count));
    expect(o.mistakes.length).toBeGreaterThan(0);
    for (const m of o.mistakes.slice(0, 30)) {
      expect(await s.page.locator(`[data-mistake="${m.exerciseId}/${m.mistake}"] [data-learners]`).getAttribute('data-learners')).toBe(String(m.learners));
    }
    expect(await shownScores()).toEqual(expectedScores(report));
    // Per-learner detail: untrusted text stays text.
    expect(await s.page.locator('[data-learner-detail]').count()).toBe(report.learners.length);
    await s.page.locator('[data-learner-row] a').first().click();
    expect(await s.page.locator('[data-learner-detail="0"]').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await expect(s.page.locator('[data-learner-detail="0"]').textContent()).resolves.toContain('<b>not bold</b>');
    expect(await s.page.locator('[data-view] img, [data-view] b').count()).toBe(0);
    expect(await s.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await s.page.locator('[data-rejected$="broken.json"]').count()).toBe(1);
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  });

  it('refuses malformed, foreign and other-version reports with a clear message', async () => {
    await openPage();
    const cases: [string, string, RegExp][] = [
      ['garbage.json', '\u0000\u0001 not json', /not JSON/],
      ['other.json', JSON.stringify({ hello: 1 }), /not an instructor report/],
      ['v2.json', JSON.stringify({ ...report, version: 2 }), /version 2; this page reads version 1/],
      ['damaged.json', JSON.stringify({ ...report, overview: { ...report.overview, learners: 'three' } }), /damaged: overview\.learners/],
    ];
    for (const [name, text, re] of cases) {
      await s.page.setInputFiles('[data-report]', json(name, text));
      const err = s.page.locator('[data-error]');
      await err.waitFor({ state: 'visible' });
      await expect(err.textContent()).resolves.toMatch(re);
      await expect(err.textContent()).resolves.toContain(name);
      expect(await s.page.locator('[data-summary]').count()).toBe(0);
    }
    // A good report afterwards clears the message.
    await s.page.setInputFiles('[data-report]', json('report.json', reportText));
    await s.page.waitForSelector('[data-summary]');
    expect(await s.page.locator('[data-error]').isHidden()).toBe(true);
    expect(s.errors).toEqual([]);
  });

  it('grades dropped submission files in the browser sandbox with the same scores as the command line', async () => {
    await openPage();
    await s.page.fill('[data-seed]', String(SEED));
    await s.page.setInputFiles('[data-submissions]', Object.entries(files).map(([n, t]) => json(n, t)));
    await s.page.waitForFunction(() => /^Graded \d+ learner/.test(document.querySelector('[data-status]')?.textContent ?? ''), null, { timeout: 170_000 });
    const summary = s.page.locator('[data-summary]');
    expect(await summary.getAttribute('data-learners')).toBe('4');
    expect(await summary.getAttribute('data-files-rejected')).toBe('1');
    expect(await shownScores()).toEqual(expectedScores(report));
    // The same part (c) policy and integrity findings as the command line.
    expect(await s.page.locator('[data-finding]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-finding')))).toEqual(report.integrity.map((f) => f.kind));
    // The same class statistics as the command line.
    for (const e of report.overview.exercises) {
      const row = s.page.locator(`[data-exercise-row="${e.id}"]`);
      expect(await row.locator('[data-mean]').textContent()).toBe(`${pts(e.meanPoints)} / ${pts(e.maxPoints)}`);
    }
    // The malformed file gets its own message; the others were graded.
    await expect(s.page.locator('[data-rejected$="broken.json"]').textContent()).resolves.toContain('not JSON');
    await expect(s.page.locator('[data-error]').textContent()).resolves.toContain('1 file was not graded');
    expect(await s.page.locator('[data-view] img').count()).toBe(0);
    expect(s.errors).toEqual([]);
    expect(s.external).toEqual([]);
  }, 180_000);

  it('uses the full width of the window', async () => {
    await openPage();
    const width = await s.page.locator('[data-instructor]').evaluate((e) => e.getBoundingClientRect().width);
    const viewport = await s.page.evaluate(() => window.innerWidth);
    expect(viewport).toBeGreaterThan(1000);
    expect(width).toBeGreaterThan(viewport * 0.85);
  });

  /** Learner names of the visible rows, in table order. */
  const rowNames = () => s.page.$$eval('[data-learner-row]:not([hidden]) a', (as) => as.map((a) => a.textContent!));

  it('sorts the learners table by name, total and each exercise, and filters and searches it', async () => {
    await openPage();
    await s.page.setInputFiles('[data-report]', json('report.json', reportText));
    await s.page.waitForSelector('[data-summary]');
    const names = report.learners.map((l) => l.learner);
    const by = (f: (l: InstructorReport['learners'][number]) => number) => [...report.learners].sort((a, b) => f(a) - f(b) || report.learners.indexOf(a) - report.learners.indexOf(b)).map((l) => l.learner);
    expect(await rowNames()).toEqual(names);
    await s.page.click('[data-sort="total"]');
    expect(await rowNames()).toEqual([...by((l) => -l.total.points)]);
    expect(await s.page.locator('th:has([data-sort="total"])').getAttribute('aria-sort')).toBe('descending');
    await s.page.click('[data-sort="total"]');
    expect(await rowNames()).toEqual(by((l) => l.total.points));
    await s.page.click('[data-sort="name"]');
    expect(await rowNames()).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    const ex2 = report.exercises[1].id;
    await s.page.click(`[data-sort="${ex2}"]`);
    const exPoints = (l: InstructorReport['learners'][number]) => { const e = l.exercises.find((x) => x.exerciseId === ex2)!; return e.submitted ? e.result.total.points : -1; };
    expect(await rowNames()).toEqual(by((l) => -exPoints(l)));

    await s.page.fill('[data-search]', 'bo');
    expect(await rowNames()).toEqual(['Bob']);
    expect(await s.page.locator('[data-shown]').getAttribute('data-shown')).toBe('1');
    await s.page.fill('[data-search]', '');
    await s.page.selectOption('[data-filter]', 'incomplete');
    expect((await rowNames()).sort()).toEqual(['Cy', 'Dee']);
    await s.page.selectOption('[data-filter]', 'findings');
    const flagged = new Set(report.integrity.flatMap((f) => f.learners));
    expect((await rowNames()).sort()).toEqual(names.filter((n) => flagged.has(n)).sort());
    await s.page.selectOption('[data-filter]', 'all');
    expect((await rowNames()).length).toBe(names.length);
  });

  it('shows the integrity findings as a table linked to each learner, and per-test statistics', async () => {
    await openPage();
    await s.page.setInputFiles('[data-report]', json('report.json', reportText));
    await s.page.waitForSelector('[data-summary]');
    const kinds = report.integrity.map((f) => f.kind);
    for (const k of ['identical-code', 'browser-claims-differ', 'solution-revealed-before-pass', 'hints-used', 'concept-attempts'] as const) expect(kinds).toContain(k);
    expect(await s.page.locator('[data-finding]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-finding')))).toEqual(kinds);
    const row = s.page.locator('[data-finding="concept-attempts"]');
    await expect(row.textContent()).resolves.toContain(`${ex0().wrongC} → ${ex0().correctC}`);
    await expect(row.textContent()).resolves.toContain("not proof");
    const dee = report.learners.findIndex((l) => l.learner === 'Dee');
    await row.locator('a').first().click();
    expect(await s.page.locator(`[data-learner-detail="${dee}"]`).evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await expect(s.page.locator(`[data-learner-detail="${dee}"] [data-history="${ex0().id}"]`).textContent()).resolves.toMatch(/reported by the learner's browser, not proof.*part \(c\) choices in order/);
    // Per-test statistics: the shown counts are the report's.
    const id = report.exercises[0].id;
    const failedOf = (testId: string) => report.learners.filter((l) => l.exercises.some((e) => e.exerciseId === id && e.submitted && e.result.tests.some((t) => t.id === testId && t.status !== 'pass'))).length;
    const cells = await s.page.locator(`[data-test-stats="${id}"] [data-failed]`).evaluateAll((tds) => tds.map((t) => [t.getAttribute('data-test')!, Number(t.getAttribute('data-failed'))] as const));
    expect(cells.length).toBeGreaterThan(0);
    for (const [t, n] of cells) expect(n, t).toBe(failedOf(t));
  });

  it('scores free-text answers side by side; the scores file restores them and merges into the report', async () => {
    await openPage();
    await s.page.setInputFiles('[data-report]', json('report.json', reportText));
    await s.page.waitForSelector('[data-summary]');
    const id = ex0().id;
    await s.page.selectOption('[data-review-exercise]', id);
    const cards = s.page.locator('[data-review-card]');
    expect(await cards.count()).toBe(report.learners.filter((l) => l.exercises.some((e) => e.exerciseId === id && e.submitted)).length);
    // Untrusted answers stay text.
    await expect(s.page.locator('[data-review-grid]').textContent()).resolves.toContain('<b>not bold</b>');
    const file = (name: string) => report.learners.find((l) => l.learner.startsWith(name))!.file;
    await s.page.locator(`[data-points][data-file="${file('Ada')}"]`).fill('1.5');
    await s.page.locator(`[data-points][data-file="${file('Dee')}"]`).fill('0.5');
    // Switching exercises keeps the points.
    await s.page.selectOption('[data-review-exercise]', report.exercises[1].id);
    await s.page.selectOption('[data-review-exercise]', id);
    expect(await s.page.locator(`[data-points][data-file="${file('Ada')}"]`).inputValue()).toBe('1.5');
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-download-scores]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const parsed = parseManualCsv(csv);
    expect(parsed.ok && parsed.scores.map((x) => [x.file, x.exercise, x.points])).toEqual([[file('Ada'), id, 1.5], [file('Dee'), id, 0.5]]);

    // Opened again together with the report, the boxes hold the points.
    await openPage();
    await s.page.setInputFiles('[data-report]', [json('report.json', reportText), { name: 'scores.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
    await s.page.waitForSelector('[data-summary]');
    await expect(s.page.locator('[data-status]').textContent()).resolves.toContain('2 manual scores restored from scores.csv');
    await s.page.selectOption('[data-review-exercise]', id);
    expect(await s.page.locator(`[data-points][data-file="${file('Dee')}"]`).inputValue()).toBe('0.5');

    // The command line's --manual merge (the same function) adds them to the totals.
    const merged = mergeManualScores(report, parsed.ok ? parsed.scores : [], 'scores.csv');
    expect(merged.ok).toBe(true);
    if (merged.ok) {
      const ada = merged.report.learners.find((l) => l.learner.startsWith('Ada'))!;
      expect(ada.total.points).toBe(report.learners.find((l) => l.learner.startsWith('Ada'))!.total.points + 1.5);
      // Opening the merged report shows the manual points in its totals and boxes.
      await openPage();
      await s.page.setInputFiles('[data-report]', json('report.json', JSON.stringify(merged.report)));
      await s.page.waitForSelector('[data-summary]');
      expect((await shownScores())[ada.learner].total).toBe(pts(ada.total.points));
      await s.page.selectOption('[data-review-exercise]', id);
      expect(await s.page.locator(`[data-points][data-file="${file('Ada')}"]`).inputValue()).toBe('1.5');
    }
    expect(s.errors).toEqual([]);
  });

  it('refuses a seed that is not a whole number', async () => {
    await openPage();
    await s.page.fill('[data-seed]', '1.5');
    await s.page.setInputFiles('[data-submissions]', [json('bob.json', files['bob.json'])]);
    await expect(s.page.locator('[data-error]').textContent()).resolves.toMatch(/seed must be a whole number/);
    expect(await s.page.locator('[data-summary]').count()).toBe(0);
  });
});
