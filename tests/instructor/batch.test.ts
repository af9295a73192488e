// End to end: a generated class (correct, partial, every known mistake, hostile code, bad files) graded by the
// batch CLI into the four report formats, with the scores asserted. Scores of non-hostile code must equal the
// grading library's in-process reference run (the sandbox may not change any grade).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { grade, inProcessHost } from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';
import { runBatch } from '../../instructor/cli';
import { csvCell } from '../../instructor/report/csv';
import { esc } from '../../instructor/report/html';
import { InstructorReport, parseReport, type LearnerReport } from '../../instructor/report/schema';
import { badFiles, exerciseFiles, hostileCodes, submission, type Work } from './corpus';

const ex = exerciseFiles();
const allSolutions = (): Record<string, Work> => Object.fromEntries(ex.map((e) => [e.id, { code: e.solution, c: e.correctC, freeText: 'Scaling keeps <script>alert("x")</script> softmax sensitive' }]));
// The whole class is graded once per engine: both must give the same, asserted, scores.
describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'instructor-'));
  const inDir = join(dir, 'class');
  const out = join(dir, 'out');
  const TIMEOUT = 300;
  let report: InstructorReport;
  let code = -1;
  const stderr: string[] = [];

  const learner = (name: string): LearnerReport => {
    const l = report.learners.find((x) => x.learner === name);
    if (!l) throw new Error(`no learner ${name}`);
    return l;
  };
  const exOf = (l: LearnerReport, id: string) => l.exercises.find((e) => e.exerciseId === id)!;
  const write = (name: string, data: unknown) => writeFileSync(join(inDir, name), typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));

  beforeAll(async () => {
    mkdirSync(join(inDir, 'nested', '.hidden'), { recursive: true });
    write('correct.json', submission('=cmd|"/c calc"!A1', allSolutions()));
    // Partial: the first half solved, the rest still the starter; concept answers wrong for the starters.
    const half = Math.ceil(ex.length / 2);
    write('partial.json', submission('Pat <b>Partial</b>', Object.fromEntries(ex.map((e, i) => [e.id, i < half ? { code: e.solution, c: e.correctC } : { code: e.starter, c: e.wrongC }]))));
    for (const e of ex) for (const [m, src] of Object.entries(e.mistakes)) write(`nested/mistake-${e.id}-${m}.json`, submission(`mistake ${e.id} ${m}`, { [e.id]: { code: src, c: e.correctC } }));
    for (const [h, src] of Object.entries(hostileCodes(ex[0].solution))) write(`hostile-${h}.json`, submission(`hostile ${h}`, { '01': { code: src, c: ex[0].correctC } }));
    for (const [name, content] of Object.entries(badFiles(submission('bad', allSolutions())))) write(`bad-${name}`, content);
    // Duplicate learner: the newer export wins and the older file is rejected.
    write('dup-old.json', submission('Dana Dup', { '01': { code: ex[0].starter } }, '2026-11-01T09:00:00.000Z'));
    write('dup-new.json', submission('dana dup ', { '01': { code: ex[0].solution, c: ex[0].correctC } }, '2026-11-02T09:00:00.000Z'));
    write('extra-exercise.json', { ...submission('Eve Extra', { '01': { code: ex[0].solution, c: ex[0].correctC } }), exercises: { ...submission('x', { '01': { code: ex[0].solution, c: ex[0].correctC } }).exercises, '42': submission('x', { '42': { code: '' } }).exercises['42'] } });
    write('nested/.hidden/ignored.json', 'not read: hidden folders are skipped');
    write('notes.txt', 'not a .json file: skipped when searching folders');
    // A 100 MB file, made sparse so the test stays fast; the size check must refuse it before reading.
    const big = join(inDir, 'huge-100mb.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 100 * 1024 * 1024);
    closeSync(fd);

    code = await runBatch([inDir, '--out', out, '--timeout', String(TIMEOUT), '--jobs', '2', '--sandbox', kind, '--quiet'], { stdout: () => {}, stderr: (s) => stderr.push(s) });
    const parsed = parseReport(readFileSync(join(out, 'report.json'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    report = parsed.value;
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('batch grading of a generated class', () => {
    it('grades in the sandbox asked for', () => {
      expect(report.provenance.sandbox.engine).toMatch(kind === 'isolate' ? /isolated-vm/ : /QuickJS/);
    });

    it('exits 1 because some files failed, and names each bad file on stderr', () => {
      expect(code).toBe(1);
      const err = stderr.join('');
      for (const name of ['bad-malformed.json', 'bad-unknown-version.json', 'bad-binary-garbage.json', 'bad-empty.json', 'bad-other-format.json', 'bad-damaged.json', 'huge-100mb.json', 'dup-old.json']) {
        expect(err).toContain(name);
      }
    });

    it('rejects each bad file with a clear reason and still grades the rest of the class', () => {
      const f = (name: string) => report.files.find((x) => x.file.endsWith(name))!;
      expect(f('bad-malformed.json').issues[0].message).toMatch(/not JSON/);
      expect(f('bad-unknown-version.json').issues[0].message).toMatch(/version 2/);
      expect(f('bad-binary-garbage.json').issues[0].message).toMatch(/binary/);
      expect(f('bad-empty.json').issues[0].message).toMatch(/empty/);
      expect(f('bad-other-format.json').issues[0].message).toMatch(/not a submission file/);
      expect(f('bad-damaged.json').issues[0].message).toMatch(/damaged: exercises\.01\.code/);
      expect(f('huge-100mb.json').issues[0].message).toMatch(/100\.0 MB/);
      expect(f('dup-old.json').status).toBe('rejected');
      expect(f('dup-old.json').issues[0].message).toMatch(/duplicate learner id/);
      expect(f('dup-new.json').status).toBe('graded');
      expect(f('extra-exercise.json').issues.map((i) => i.message).join()).toMatch(/42 is not part of this course/);
      expect(report.files.some((x) => x.file.includes('.hidden') || x.file.endsWith('.txt'))).toBe(false);
      expect(report.overview.filesRejected).toBe(8);
      expect(exOf(learner('dana dup'), '01').result.total.points).toBe(10);
    });

    it('gives the correct submission full marks everywhere, whatever the browser claimed', () => {
      const l = learner('=cmd|"/c calc"!A1');
      expect(l.total.points).toBe(l.total.maxPoints);
      for (const e of l.exercises) expect(e.result.allPassed, e.exerciseId).toBe(true);
    });

    it('scores the partial submission exactly as the in-process reference run does', async () => {
      const l = learner('Pat <b>Partial</b>');
      const half = Math.ceil(ex.length / 2);
      for (const [i, e] of ex.entries()) {
        const r = exOf(l, e.id).result;
        if (i < half) expect(r.total.points, e.id).toBe(r.total.maxPoints);
        else {
          const ref = await grade(graders[e.id], inProcessHost(loadLearner(e.starter)), { seed: 1, answers: { c: e.wrongC } });
          expect(r.parts, e.id).toEqual(ref.parts);
          expect(r.total.points).toBeLessThan(r.total.maxPoints);
        }
      }
    });

    it('diagnoses every known mistake by name, with the same points as the in-process reference', async () => {
      let checked = 0;
      for (const e of ex) {
        for (const [m, src] of Object.entries(e.mistakes)) {
          const r = exOf(learner(`mistake ${e.id} ${m}`), e.id).result;
          expect(r.diagnoses.map((d) => d.mistake), `${e.id}/${m}`).toContain(m);
          expect(r.total.points, `${e.id}/${m}`).toBeLessThan(r.total.maxPoints);
          const ref = await grade(graders[e.id], inProcessHost(loadLearner(src)), { seed: 1, answers: { c: e.correctC } });
          expect(r.parts, `${e.id}/${m}`).toEqual(ref.parts);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(ex.length);
      // The class overview lists each mistake once, with one learner.
      for (const e of ex) for (const m of Object.keys(e.mistakes)) expect(report.overview.mistakes.find((x) => x.exerciseId === e.id && x.mistake === m)?.learners, `${e.id}/${m}`).toBe(1);
    });

    it('contains every hostile submission: no host failure, no points it did not earn', () => {
      const h = (name: string) => exOf(learner(`hostile ${name}`), '01').result;
      const partB = (name: string) => h(name).tests.filter((t) => t.part === 'b');
      const partA = (name: string) => h(name).tests.filter((t) => t.part === 'a');
      // Only attention() is hostile in these: shapes() still passes, so one bad function does not sink the file.
      // (A memory bomb can grind in native code until the wall-clock watchdog ends the whole job, so its shapes
      // results may be lost with it; that case is checked for part (b) only.)
      expect(h('memory-bomb').parts.b.points).toBe(0);
      for (const name of ['infinite-loop', 'deep-recursion', 'reads-files-env-network', 'throws-non-errors', 'throws-primitive', 'never-settles', 'async-never-settles', 'huge-output', 'cheats-with-getter']) {
        expect(partA(name).every((t) => t.status === 'pass'), name).toBe(true);
        expect(h(name).parts.b.points, name).toBe(0);
      }
      expect(partB('infinite-loop').every((t) => t.status === 'timeout')).toBe(true);
      expect(partB('deep-recursion')[0].message).toMatch(/stack overflow|call stack size/);
      expect(partB('memory-bomb').map((t) => t.message).join()).toMatch(/out of memory|time budget|stopped/);
      expect(partB('throws-primitive')[0].message).toMatch(/non-Error value: 42/);
      expect(partB('never-settles')[0].message).toMatch(/Promise/);
      expect(partB('async-never-settles')[0].message).toMatch(/Promise/);
      // The file-reading learner found nothing: its own console output says so, and no file content leaked.
      const logs = exOf(learner('hostile reads-files-env-network'), '01').logs.join('\n');
      expect(logs).toContain('no-fs');
      expect(logs).toContain('no-env');
      expect(logs).toContain('no-fetch');
      expect(logs).toContain('no-std');
      expect(logs).not.toMatch(/root:|fs:|env:|net:|qjs:/);
      // Output is capped.
      expect(exOf(learner('hostile huge-output'), '01').logs.length).toBeLessThanOrEqual(201);
      // Whole-file failures: a loop at the top level, a syntax error.
      for (const name of ['top-level-loop', 'syntax-error']) {
        expect(h(name).parts.a.points + h(name).parts.b.points, name).toBe(0);
        expect(exOf(learner(`hostile ${name}`), '01').loadError, name).toBeTruthy();
      }
      // Tampering with built-ins hurts only the tamperer.
      expect(h('tamper-builtins').parts.b.points).toBe(0);
      expect(learner('=cmd|"/c calc"!A1').total.points).toBe(learner('=cmd|"/c calc"!A1').total.maxPoints);
    });

    it('writes report.html self-contained with every untrusted string escaped', () => {
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain("Content-Security-Policy");
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain('<b>Partial</b>');
      expect(html).toContain(esc('Pat <b>Partial</b>'));
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(html).toContain('Misconceptions to re-teach');
    });

    it('writes grades.csv with one row per learner, a column per part, and formula cells neutralised', () => {
      const csv = readFileSync(join(out, 'grades.csv'), 'utf8').trim().split('\r\n');
      expect(csv.length).toBe(report.learners.length + 1);
      expect(csv[0].split('","').length).toBe(2 + 3 * ex.length + 1);
      expect(csv.some((row) => row.startsWith(`"'=cmd|`))).toBe(true);
      expect(csvCell('-2+3')).toBe(`"'-2+3"`);
      expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
      expect(csvCell(2.5)).toBe('"2.5"');
    });

    it('writes a Gradescope results.json per learner', () => {
      const files = readdirSync(join(out, 'results'));
      expect(files.length).toBe(report.learners.length);
      const l = learner('=cmd|"/c calc"!A1');
      const r = JSON.parse(readFileSync(join(out, l.resultsFile), 'utf8'));
      expect(r.score).toBe(l.total.maxPoints);
      expect(r.max_score).toBe(l.total.maxPoints);
      expect(r.tests.length).toBeGreaterThan(ex.length);
      for (const t of r.tests) expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'output_format', 'score', 'status', 'visibility']);
    });

    it('records provenance in a versioned report.json', () => {
      expect(report.format).toBe('attention-mechanism-math/instructor-report');
      expect(report.provenance.graderVersion).toMatch(/\d/);
      expect(report.provenance.seed).toEqual({ value: 1, secret: false });
      expect(report.exercises.map((e) => e.id)).toEqual(ex.map((e) => e.id));
    });
  });
});

describe('the secret seed', () => {
  it('changes the random cases and keeps their seeds out of the learners\' results', async () => {
    const d = mkdtempSync(join(tmpdir(), 'instructor-secret-'));
    try {
      writeFileSync(join(d, 'a.json'), JSON.stringify(submission('Sam', { [ex[0].id]: { code: ex[0].mistakes[Object.keys(ex[0].mistakes)[0]], c: ex[0].correctC } })));
      const o = join(d, 'out');
      expect(await runBatch([join(d, 'a.json'), '--out', o, '--secret-seed', 'correct horse battery', '--quiet'], { stdout: () => {}, stderr: () => {} })).toBe(0);
      const r = parseReport(readFileSync(join(o, 'report.json'), 'utf8'));
      if (!r.ok) throw new Error(r.error);
      expect(r.value.provenance.seed.secret).toBe(true);
      const seeds = r.value.learners[0].exercises[0].result.tests.map((t) => t.seed).filter((s) => s !== null);
      const publicSeeds = graders[ex[0].id].tests(1).map((t) => t.seed).filter((s) => s !== null);
      expect(seeds.length).toBeGreaterThan(0);
      expect(seeds.some((s) => publicSeeds.includes(s))).toBe(false);
      const gs = readFileSync(join(o, r.value.learners[0].resultsFile), 'utf8');
      expect(gs).not.toMatch(/case seed/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses bad usage with exit code 2', async () => {
    const err: string[] = [];
    expect(await runBatch(['x.json'], { stdout: () => {}, stderr: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toMatch(/--out/);
    expect(await runBatch(['x.json', '--out', '/tmp/x', '--jobs', '0'], { stdout: () => {}, stderr: () => {} })).toBe(2);
  });
});
