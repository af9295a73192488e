// Two files claiming one learner id (after trimming and case folding) are both graded and both flagged in
// report.json and report.html; one is set aside only when the instructor says which counts (--prefer). Both sandboxes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBatchArgs, runBatch } from '../../instructor/cli';
import { parseReport } from '../../instructor/report/schema';
import { exerciseFiles, submission } from './corpus';

const e01 = exerciseFiles().find((e) => e.id === '01')!;
const root = mkdtempSync(join(tmpdir(), 'instructor-dups-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('parses --prefer', () => {
  expect(parseBatchArgs(['a', '--out', 'o', '--prefer', 'newest']).duplicates).toEqual({ keep: 'newest' });
  expect(parseBatchArgs(['a', '--out', 'o', '--prefer', 'file:x.json', '--prefer', 'file:y.json']).duplicates).toEqual({ keep: 'files', files: ['x.json', 'y.json'] });
  expect(() => parseBatchArgs(['a', '--out', 'o', '--prefer', 'oldest'])).toThrow(/newest or file:/);
});

describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (kind) => {
  const d = join(root, kind);
  mkdirSync(d, { recursive: true });
  // The victim's honest work, and a later file by someone else claiming the same id to replace it.
  writeFileSync(join(d, 'victim.json'), JSON.stringify(submission('Vic Tim', { '01': { code: e01.solution, c: e01.correctC } }, '2026-11-01T09:00:00.000Z')));
  writeFileSync(join(d, 'impostor.json'), JSON.stringify(submission('  vic TIM ', { '01': { code: e01.starter } }, '2026-11-30T09:00:00.000Z')));
  const grade = async (out: string, extra: string[] = []) => {
    const code = await runBatch([d, '--out', join(d, out), '--sandbox', kind, '--jobs', '1', '--quiet', ...extra], { stdout: () => {}, stderr: () => {} });
    const r = parseReport(readFileSync(join(d, out, 'report.json'), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    return { code, r: r.value, html: readFileSync(join(d, out, 'report.html'), 'utf8') };
  };

  it('grades both files and flags both, in report.json and report.html', async () => {
    const { code, r, html } = await grade('all');
    expect(code).toBe(0);
    expect(r.learners.map((l) => [l.learner, l.total.points]).sort()).toEqual([['Vic Tim', 10], ['vic TIM', expect.any(Number)]].sort());
    for (const l of r.learners) expect(l.issues.map((i) => i.message).join()).toMatch(/duplicate learner id .*also claimed by/);
    for (const f of r.files) expect(f.issues.map((i) => i.message).join()).toMatch(/duplicate learner id/);
    expect(html.match(/duplicate learner id/g)!.length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('sets one aside only as the instructor says: --prefer newest, --prefer file:<path>', async () => {
    const newest = await grade('newest', ['--prefer', 'newest']);
    expect(newest.code).toBe(1);
    expect(newest.r.learners.map((l) => l.file.split('/').pop())).toEqual(['impostor.json']);
    expect(newest.r.files.find((f) => f.file.endsWith('victim.json'))!.issues[0].message).toMatch(/impostor\.json is the newest export/);
    const chosen = await grade('chosen', ['--prefer', `file:${join(d, 'victim.json')}`]);
    expect(chosen.r.learners.map((l) => [l.learner, l.total.points])).toEqual([['Vic Tim', 10]]);
    expect(chosen.r.files.find((f) => f.file.endsWith('impostor.json'))!.issues[0].message).toMatch(/victim\.json was chosen by the instructor/);
  }, 120_000);
});
