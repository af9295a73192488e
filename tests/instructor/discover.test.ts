// Discovery and intake read only regular files and never block: a FIFO (directly or behind a symbolic link) is
// refused with a sentence, symbolic links leaving the class folder are refused, and the run always finishes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeBatch } from '../../instructor/batch';
import { discover } from '../../instructor/discover';
import { readSubmissionFile } from '../../instructor/intake';
import { exerciseFiles, submission } from './corpus';

const e01 = exerciseFiles().find((e) => e.id === '01')!;
const root = mkdtempSync(join(tmpdir(), 'instructor-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function hostileFolder(name: string): { dir: string; outside: string } {
  const dir = join(root, name, 'class');
  const outside = join(root, name, 'secret.json');
  mkdirSync(dir, { recursive: true });
  writeFileSync(outside, JSON.stringify(submission('Outsider', { '01': { code: e01.solution } })));
  writeFileSync(join(dir, 'ok.json'), JSON.stringify(submission('Ok', { '01': { code: e01.solution, c: e01.correctC } })));
  execFileSync('mkfifo', [join(dir, 'pipe.json')]);
  execFileSync('mkfifo', [join(root, name, 'elsewhere-pipe')]);
  symlinkSync(join(dir, 'pipe.json'), join(dir, 'to-pipe.json'));
  symlinkSync(outside, join(dir, 'leaves.json'));
  symlinkSync('/etc/passwd', join(dir, 'passwd.json'));
  // A link to a file kept in a hidden folder inside the class folder (hidden entries are not searched themselves).
  mkdirSync(join(dir, '.store'));
  writeFileSync(join(dir, '.store', 'real.json'), JSON.stringify(submission('Linked', { '01': { code: e01.solution, c: e01.correctC } })));
  symlinkSync(join(dir, '.store', 'real.json'), join(dir, 'inside-link.json'));
  symlinkSync(join(root, name, 'nowhere'), join(dir, 'dangling.json'));
  return { dir, outside };
}

describe('discovery', () => {
  it('keeps regular files and links to regular files inside the folder; refuses the rest with a sentence', () => {
    const { dir } = hostileFolder('unit');
    const { files, problems } = discover([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['inside-link.json', 'ok.json']);
    const why = (n: string) => problems.find((p) => p.path.endsWith(n))?.message ?? '';
    expect(why('pipe.json')).toMatch(/named pipe \(FIFO\), not a submission file/);
    expect(why('to-pipe.json')).toMatch(/symbolic link to a named pipe/);
    expect(why('leaves.json')).toMatch(/outside the class folder/);
    expect(why('passwd.json')).toMatch(/outside the class folder/);
    expect(why('dangling.json')).toMatch(/does not exist/);
  });

  it('never blocks opening a FIFO named directly', () => {
    const p = join(root, 'direct-pipe.json');
    execFileSync('mkfifo', [p]);
    const r = readSubmissionFile(p);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/not a regular file/);
    expect(discover([p]).problems[0].message).toMatch(/named pipe/);
  });
});

describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (kind) => {
  it('a class folder with FIFOs and escaping links finishes, grading the regular files', async () => {
    const { dir } = hostileFolder(kind);
    const { report, anyFileFailed } = await gradeBatch({ inputs: [dir], seed: 1, secretSeed: false, callTimeoutMs: 500, sandbox: kind, jobs: 1 });
    expect(anyFileFailed).toBe(true);
    expect(report.learners.map((l) => l.learner)).toEqual(['Linked', 'Ok']);
    expect(report.learners.map((l) => l.total.points)).toEqual([10, 10]);
    expect(report.files.filter((f) => f.status === 'rejected').length).toBe(5);
  }, 120_000);
});
