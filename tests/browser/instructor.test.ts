// The instructor page (/instructor/) in real Chromium: it opens a report.json written by the command line's batch
// grader and shows the same numbers, refuses damaged or other-version reports with a message, and grades dropped
// submission files in the learners' sandbox with the same scores as the command line (same seed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstructorReport } from '../../instructor/report/schema';
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
    'broken.json': '{ "format": "attention-mechanism-math/submission", ',
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
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
    expect(report.overview.learners).toBe(3);
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
    expect(await summary.getAttribute('data-learners')).toBe('3');
    expect(await summary.getAttribute('data-files-rejected')).toBe('1');
    expect(await shownScores()).toEqual(expectedScores(report));
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

  it('refuses a seed that is not a whole number', async () => {
    await openPage();
    await s.page.fill('[data-seed]', '1.5');
    await s.page.setInputFiles('[data-submissions]', [json('bob.json', files['bob.json'])]);
    await expect(s.page.locator('[data-error]').textContent()).resolves.toMatch(/seed must be a whole number/);
    expect(await s.page.locator('[data-summary]').count()).toBe(0);
  });
});
