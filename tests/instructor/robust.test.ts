// One learner's file can cost only that learner: learner-controlled numbers are checked where they enter the
// trusted side, a failure at any stage of one learner's grading becomes an error on their row, and a class run
// always writes its reports. Both sandboxes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeBatch, type Stage } from '../../instructor/batch';
import { writeReports } from '../../instructor/report/write';
import { parseReport } from '../../instructor/report/schema';
import { readAlloc } from '../../instructor/sandbox/sandbox';
import { exerciseFiles, submission } from './corpus';

const ex = exerciseFiles();
const e01 = ex.find((e) => e.id === '01')!;
const e09 = ex.find((e) => e.id === '09')!;
const root = mkdtempSync(join(tmpdir(), 'instructor-robust-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Exercise 09's solution whose tiledAttention, after computing the right answer, makes the probe see Float64Array(Infinity). */
const infiniteAlloc = e09.solution.replace('export function tiledAttention(', 'function tiledOriginal(') + `
export function tiledAttention(Q: Matrix, K: Matrix, V: Matrix, blockQ: number, blockK: number, causal = false): Matrix {
  const r = tiledOriginal(Q, K, V, blockQ, blockK, causal);
  Object.defineProperty(Object.getPrototypeOf(Float64Array.prototype), 'length', { get() { return Infinity; }, configurable: true });
  new Float64Array(2);
  return r;
}
`;

function classDir(name: string, files: Record<string, unknown>): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  for (const [f, v] of Object.entries(files)) writeFileSync(join(d, f), JSON.stringify(v));
  return d;
}

describe('the allocation probe report (learner-controlled)', () => {
  it('is clipped or refused where it enters the host', () => {
    expect(readAlloc({ peakElements: Infinity, peakWhat: 'x' })).toEqual({ peakElements: Number.MAX_SAFE_INTEGER, peakWhat: 'x' });
    expect(readAlloc({ peakElements: 12.4, peakWhat: 'x' })).toEqual({ peakElements: 12, peakWhat: 'x' });
    for (const bad of [{ peakElements: NaN, peakWhat: 'x' }, { peakElements: -1, peakWhat: 'x' }, { peakElements: 1 }, Object.create({ peakElements: 1, peakWhat: 'x' }), [1], null]) {
      expect(readAlloc(bad)).toBeNull();
    }
  });
});

describe.each(['isolate', 'quickjs'] as const)('%s sandbox: one learner cannot void the class', (kind) => {
  it('grades a class where one learner makes the allocation probe report Infinity (prototype pollution)', async () => {
    const d = classDir(`alloc-${kind}`, {
      'evil.json': submission('Evil', { '09': { code: infiniteAlloc, c: e09.correctC } }),
      'good.json': submission('Good', { '09': { code: e09.solution, c: e09.correctC } }),
    });
    const { report } = await gradeBatch({ inputs: [d], seed: 1, secretSeed: false, callTimeoutMs: 500, sandbox: kind, jobs: 1 });
    const out = join(d, 'out');
    writeReports(out, report);
    expect(parseReport(readFileSync(join(out, 'report.json'), 'utf8')).ok).toBe(true);
    const good = report.learners.find((l) => l.learner === 'Good')!;
    const evil = report.learners.find((l) => l.learner === 'Evil')!;
    expect(good.exercises.find((e) => e.exerciseId === '09')!.result.allPassed).toBe(true);
    const probed = evil.exercises.find((e) => e.exerciseId === '09')!.result.tests.filter((t) => t.alloc);
    expect(probed.length).toBeGreaterThan(0);
    expect(probed.every((t) => t.status === 'fail' && t.alloc!.peakElements === Number.MAX_SAFE_INTEGER)).toBe(true);
  }, 120_000);

  const stages: Stage[] = ['read', 'grade', 'assemble', 'html', 'results'];
  it.each(stages)('a failure at stage "%s" for one learner is an error on that learner only; every report is written', async (stage) => {
    const d = classDir(`fault-${kind}-${stage}`, {
      'a.json': submission('Ann', { '01': { code: e01.solution, c: e01.correctC } }),
      'victim.json': submission('Victim', { '01': { code: e01.solution + '\n// victim', c: e01.correctC } }),
      'c.json': submission('Cy', { '01': { code: e01.solution + '\n// mine', c: e01.correctC } }),
    });
    const boom = (s: string, file: string) => {
      if (s === stage && file.endsWith('victim.json')) throw new Error(`injected failure at ${s}`);
    };
    const { report, anyFileFailed } = await gradeBatch({ inputs: [d], seed: 1, secretSeed: false, callTimeoutMs: 500, sandbox: kind, jobs: 1, fault: boom });
    const out = join(d, 'out');
    writeReports(out, report, boom);
    for (const f of ['report.json', 'report.html', 'grades.csv']) expect(existsSync(join(out, f)), f).toBe(true);
    const parsed = parseReport(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(parsed.ok).toBe(true);
    for (const name of ['Ann', 'Cy']) {
      const l = report.learners.find((x) => x.learner === name)!;
      expect(l.exercises.find((e) => e.exerciseId === '01')!.result.total.points, name).toBe(10);
      expect(existsSync(join(out, l.resultsFile))).toBe(true);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const victimFile = report.files.find((f) => f.file.endsWith('victim.json'))!;
    if (stage === 'read') {
      expect(victimFile.status).toBe('rejected');
      expect(victimFile.issues[0].message).toMatch(/could not be read \(injected failure at read\)/);
      expect(report.learners.some((l) => l.learner === 'Victim')).toBe(false);
      expect(anyFileFailed).toBe(true);
    } else if (stage === 'grade' || stage === 'assemble') {
      const v = report.learners.find((l) => l.learner === 'Victim')!;
      expect(v.total.points).toBe(0);
      expect(v.issues.map((i) => i.message).join()).toMatch(new RegExp(`grading this file failed \\(injected failure at ${stage}\\)`));
      expect(victimFile.status).toBe('rejected');
      expect(anyFileFailed).toBe(true);
      expect(readFileSync(join(out, 'grades.csv'), 'utf8')).toContain('"Victim"');
    } else if (stage === 'html') {
      expect(html).toContain("this learner's section could not be rendered");
      expect(html).toContain('injected failure at html');
    } else {
      const v = report.learners.find((l) => l.learner === 'Victim')!;
      const r = JSON.parse(readFileSync(join(out, v.resultsFile), 'utf8'));
      expect(r.output).toMatch(/could not be written in full/);
      expect(r.score).toBe(v.total.points);
    }
  }, 120_000);
});
