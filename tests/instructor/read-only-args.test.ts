// Inputs changed in place are caught by the batch grader too, in both sandboxes: the arguments after each call
// must cross the sandbox boundary (a runner that dropped them made every read-only check pass silently).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeBatch } from '../../instructor/batch';
import { exerciseFiles, submission } from './corpus';

const ROOT = new URL('../../', import.meta.url).pathname;
const ex01 = exerciseFiles().find((e) => e.id === '01')!;
const inPlace = readFileSync(join(ROOT, 'tests/graders/adversarial/01/scales-q-in-place.ts'), 'utf8');

describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (sandbox) => {
  const dir = mkdtempSync(join(tmpdir(), 'read-only-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails code that changes Q in place and passes the solution, with the argument named', async () => {
    writeFileSync(join(dir, 'in-place.json'), JSON.stringify(submission('In Place', { '01': { code: inPlace, c: ex01.correctC } })));
    writeFileSync(join(dir, 'solution.json'), JSON.stringify(submission('Solver', { '01': { code: ex01.solution, c: ex01.correctC } })));
    const { report } = await gradeBatch({ inputs: [dir], seed: 1, secretSeed: false, callTimeoutMs: 2000, jobs: 1, sandbox });
    const of = (name: string) => report.learners.find((l) => l.learner === name)!.exercises.find((e) => e.exerciseId === '01')!.result;
    expect(of('Solver').allPassed).toBe(true);
    const bad = of('In Place');
    expect(bad.allPassed).toBe(false);
    const changed = bad.tests.filter((t) => t.status === 'fail' && /changed its argument Q/.test(t.message));
    expect(changed.length).toBeGreaterThan(0);
    // The read-only check is never skipped: no test reports that the runner dropped the arguments.
    expect(bad.tests.some((t) => /did not report whether the inputs changed/.test(t.message))).toBe(false);
  }, 180_000);
});
