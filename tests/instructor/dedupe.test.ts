// Identical (exercise, code) pairs are graded once, but only a clean result is shared: a timeout, a memory or
// engine stop, a crash or a watchdog kill belongs to the learner it happened to, never to others with the same code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { gradeBatch } from '../../instructor/batch';
import { budgetsFor, gradeExercise } from '../../instructor/grade-exercise';
import { guestScript } from '../../instructor/sandbox/bundle';
import { isolateFactory } from '../../instructor/sandbox/isolate';
import { quickjsFactory } from '../../instructor/sandbox/quickjs';
import { exerciseFiles, hostileCodes, submission } from './corpus';

const ex = exerciseFiles();
const e01 = ex.find((e) => e.id === '01')!;
const root = mkdtempSync(join(tmpdir(), 'instructor-dedupe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let guest = '';
beforeAll(async () => {
  guest = await guestScript();
});

describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (kind) => {
  const factory = () => (kind === 'isolate' ? isolateFactory(guest) : quickjsFactory(guest));

  it('marks a run clean only when nothing was cut short', async () => {
    const g = graders['01'];
    const ok = await gradeExercise(g, e01.solution, { seed: 1, budgets: budgetsFor(500), sandboxes: factory() });
    expect(ok.clean).toBe(true);
    const loop = await gradeExercise(g, hostileCodes(e01.solution)['infinite-loop'], { seed: 1, budgets: budgetsFor(100), sandboxes: factory() });
    expect(loop.clean).toBe(false);
    const top = await gradeExercise(g, hostileCodes(e01.solution)['top-level-loop'], { seed: 1, budgets: budgetsFor(100), sandboxes: factory() });
    expect(top.clean).toBe(false);
    // A deterministic failure (a syntax error, a thrown error) is still clean: anyone with this code gets the same.
    const syntax = await gradeExercise(g, hostileCodes(e01.solution)['syntax-error'], { seed: 1, budgets: budgetsFor(100), sandboxes: factory() });
    expect(syntax.clean).toBe(true);
  }, 60_000);

  it('grades again, for each other learner, code whose first grading failed', async () => {
    const d = join(root, kind);
    mkdirSync(d, { recursive: true });
    // Three learners hand in the revealed reference solution, byte for byte; the first one's group fails.
    for (const name of ['a-first', 'b-second', 'c-third']) writeFileSync(join(d, `${name}.json`), JSON.stringify(submission(name, { '01': { code: e01.solution, c: e01.correctC } })));
    const { report } = await gradeBatch({
      inputs: [d], seed: 1, secretSeed: false, callTimeoutMs: 500, sandbox: kind, jobs: 1,
      fault: (stage, file) => {
        if (stage === 'grade' && file.endsWith('a-first.json')) throw new Error('the grading worker was killed');
      },
    });
    const pts = (n: string) => report.learners.find((l) => l.learner === n)!.total.points;
    expect(pts('a-first')).toBe(0);
    expect(pts('b-second')).toBe(10);
    expect(pts('c-third')).toBe(10);
  }, 120_000);
});
