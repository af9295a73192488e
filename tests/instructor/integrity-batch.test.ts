// The command line end to end with version-2 files: a version-1 file and the same work as version 2 grade to the
// same scores; part (c) is scored from the first recorded choice unless --concept says otherwise; report.json
// carries the integrity list; --manual merges free-text points into report.json and grades.csv.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../instructor/cli';
import { manualCsv, parseManualCsv } from '../../instructor/report/manual';
import { parseReport, type InstructorReport } from '../../instructor/report/schema';
import { emptyHistory } from '../../src/workspace/submission';
import { exerciseFiles, submission } from './corpus';

const [e1, e2] = exerciseFiles();
const T = (m: number) => `2026-11-20T10:${String(m).padStart(2, '0')}:00.000Z`;
const dir = mkdtempSync(join(tmpdir(), 'amm-integrity-'));
const inDir = join(dir, 'class');

async function grade(out: string, ...extra: string[]): Promise<{ code: number; report: InstructorReport; stderr: string }> {
  const err: string[] = [];
  const code = await runBatch([inDir, '--out', join(dir, out), '--quiet', '--jobs', '1', ...extra], { stdout: () => {}, stderr: (s) => err.push(s) });
  const parsed = parseReport(readFileSync(join(dir, out, 'report.json'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return { code, report: parsed.value, stderr: err.join('') };
}

let first: Awaited<ReturnType<typeof grade>>;
let last: Awaited<ReturnType<typeof grade>>;

beforeAll(async () => {
  mkdirSync(inDir, { recursive: true });
  const work = { [e1.id]: { code: e1.solution, c: e1.correctC, freeText: 'because' }, [e2.id]: { code: Object.values(e2.mistakes)[0] ?? e2.starter, c: e2.wrongC } };
  writeFileSync(join(inDir, 'v1.json'), JSON.stringify(submission('Vera One', work)));
  // The same work as version 2, each final choice also the first.
  const once = (c: string) => ({ ...emptyHistory(), runs: 2, firstRunAt: T(1), lastRunAt: T(2), choices: [{ choice: c, at: T(1) }] });
  writeFileSync(join(inDir, 'v2.json'), JSON.stringify(submission('Vic Two', { [e1.id]: { ...work[e1.id], history: once(e1.correctC) }, [e2.id]: { ...work[e2.id], history: once(e2.wrongC) } })));
  // Tried the wrong choice first, opened a hint, had the solution shown before passing.
  const tries = { ...emptyHistory(), runs: 3, firstRunAt: T(1), lastRunAt: T(9), passedAt: T(9), hints: [{ index: 0, at: T(2) }], solutionRevealedAt: T(5), choices: [{ choice: e1.wrongC, at: T(3) }, { choice: e1.correctC, at: T(4) }] };
  writeFileSync(join(inDir, 'tries.json'), JSON.stringify(submission('Tess Tries', { [e1.id]: { code: `// mine\n${e1.solution}`, c: e1.correctC, freeText: 'softmax saturates', history: tries } })));
  first = await grade('first');
  writeFileSync(join(dir, 'scores.csv'), manualCsv([{ learner: 'Tess Tries', file: join(inDir, 'tries.json'), exercise: e1.id, points: 1.5 }]));
  last = await grade('last', '--concept', 'last', '--manual', join(dir, 'scores.csv'));
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const byName = (r: InstructorReport, name: string) => r.learners.find((l) => l.learner === name)!;
const exOf = (r: InstructorReport, name: string, id: string) => byName(r, name).exercises.find((e) => e.exerciseId === id)!;

describe('version-2 submissions on the command line', () => {
  it('grades a version-1 file and the same work as version 2 to the same scores, and says version 1 has no history', () => {
    expect(first.code).toBe(0);
    const [v1, v2] = [byName(first.report, 'Vera One'), byName(first.report, 'Vic Two')];
    expect(v1.exercises.map((e) => e.result.parts)).toEqual(v2.exercises.map((e) => e.result.parts));
    expect(v1.total.points).toBe(v2.total.points);
    expect(v1.submissionVersion).toBe(1);
    expect(v2.submissionVersion).toBe(2);
    expect(v1.issues.map((i) => i.message).join()).toMatch(/version-1 submission file: it carries no history/);
    expect(v2.issues.map((i) => i.message).join()).not.toMatch(/no history/);
    expect(exOf(first.report, 'Vera One', e1.id).history).toBeNull();
    expect(exOf(first.report, 'Vic Two', e1.id).history?.runs).toBe(2);
  });

  it('scores part (c) from the first recorded choice by default and from the last with --concept last', () => {
    expect(first.report.provenance.concept).toBe('first');
    expect(exOf(first.report, 'Tess Tries', e1.id).result.parts.c.points).toBe(0);
    expect(exOf(first.report, 'Tess Tries', e1.id).result.answers.c).toBe(e1.wrongC);
    expect(last.report.provenance.concept).toBe('last');
    expect(exOf(last.report, 'Tess Tries', e1.id).result.parts.c.points).toBe(exOf(last.report, 'Tess Tries', e1.id).result.parts.c.maxPoints);
  });

  it('lists the integrity findings in report.json', () => {
    const kinds = (who: string) => first.report.integrity.filter((f) => f.learners.includes(who)).map((f) => f.kind).sort();
    expect(kinds('Tess Tries')).toEqual(['concept-attempts', 'hints-used', 'identical-code', 'solution-revealed-before-pass']);
    // The two learners who handed in the same mistake file, and the reference solution handed in by three.
    const same = first.report.integrity.filter((f) => f.kind === 'identical-code');
    expect(same.find((f) => f.exercises[0] === e1.id)?.learners.sort()).toEqual(['Tess Tries', 'Vera One', 'Vic Two']);
    expect(same.find((f) => f.exercises[0] === e1.id)?.sentence).toMatch(/reference solution.*Tess Tries had it shown/);
    expect(same.find((f) => f.exercises[0] === e2.id)?.learners.sort()).toEqual(['Vera One', 'Vic Two']);
    // Every file claims every part passed; only the mistake in exercise 2 is not confirmed by the regrade.
    expect(first.report.integrity.filter((f) => f.kind === 'browser-claims-differ').flatMap((f) => f.exercises)).toEqual([e2.id, e2.id]);
    const html = readFileSync(join(dir, 'first', 'report.html'), 'utf8');
    expect(html).toContain('id="integrity"');
    expect(html).toContain('concept-attempts');
  });

  it('merges --manual scores into report.json and grades.csv', () => {
    expect(last.code).toBe(0);
    const tess = byName(last.report, 'Tess Tries');
    const auto = tess.exercises.reduce((s, e) => s + e.result.total.points, 0);
    expect(tess.exercises.find((e) => e.exerciseId === e1.id)!.manualPoints).toBe(1.5);
    expect(tess.total.manualPoints).toBe(1.5);
    expect(tess.total.points).toBeCloseTo(auto + 1.5, 6);
    expect(byName(last.report, 'Vera One').total.manualPoints).toBeUndefined();
    const csv = readFileSync(join(dir, 'last', 'grades.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toContain(`"${e1.id} free text (manual)"`);
    const row = csv.find((r) => r.startsWith('"Tess Tries"'))!;
    expect(row).toContain('"1.5"');
    expect(row.endsWith(`"${tess.total.points}"`)).toBe(true);
  });

  it('refuses a damaged scores file before grading; the scores file format round-trips hostile names', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'learner,file,exercise,points\r\nTess,tries.json,01,lots\r\n');
    const err: string[] = [];
    expect(await runBatch([inDir, '--out', join(dir, 'bad'), '--manual', join(dir, 'bad.csv')], { stdout: () => {}, stderr: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toMatch(/line 2 of the scores file: "lots" is not a number of points/);
    expect(parseManualCsv('learner,file\r\n')).toEqual({ ok: false, error: 'the scores file must start with the header learner,file,exercise,points' });
    const round = manualCsv([{ learner: '=HYPERLINK("x")', file: 'a,"b".json', exercise: '03', points: 2 }]);
    expect(parseManualCsv(round)).toEqual({ ok: true, scores: [{ learner: '=HYPERLINK("x")', file: 'a,"b".json', exercise: '03', points: 2 }] });
  });
});
