// Sharded grading: the simulated Kubernetes Indexed Job (2 pods, JOB_COMPLETION_INDEX → --shard) and its merge
// give the same class report as one unsharded run; shards are a deterministic, disjoint split by learner id.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../instructor/cli';
import { mergeReports, MergeError } from '../../instructor/merge';
import { parseReport, type InstructorReport } from '../../instructor/report/schema';
import { parseShard, shardKeyOfLearner, shardOf } from '../../instructor/shard';
import { manifestCommand, simulate } from '../../scripts/simulate-indexed-job';
import { exerciseFiles, submission } from './corpus';

const ex = exerciseFiles();
const dir = mkdtempSync(join(tmpdir(), 'shard-'));
const inDir = join(dir, 'class');
const read = (d: string): InstructorReport => {
  const r = parseReport(readFileSync(join(d, 'report.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const quiet = { stdout: () => {}, stderr: () => {} };

describe('shards', () => {
  it('parses i/n and splits learners stably', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/2', 'a/b', '1', '']) expect(parseShard(bad)).toBeNull();
    // Same id however it was typed (case, surrounding spaces) → same shard; the split uses every shard.
    expect(shardOf(shardKeyOfLearner(' Ada@Example.org'), 7)).toBe(shardOf(shardKeyOfLearner('ada@example.org '), 7));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[shardOf(shardKeyOfLearner(`learner ${i}`), 4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });
});

describe('simulated Indexed Job', () => {
  let whole: InstructorReport;
  let merged: InstructorReport;
  let shards: InstructorReport[];
  beforeAll(async () => {
    mkdirSync(inDir, { recursive: true });
    const half = Math.ceil(ex.length / 2);
    const w = (name: string, data: unknown) => writeFileSync(join(inDir, name), typeof data === 'string' ? data : JSON.stringify(data));
    w('a-correct.json', submission('Ada Correct', Object.fromEntries(ex.map((e) => [e.id, { code: e.solution, c: e.correctC }]))));
    w('b-partial.json', submission('Ben Partial', Object.fromEntries(ex.map((e, i) => [e.id, i < half ? { code: e.solution, c: e.correctC } : { code: e.starter, c: e.wrongC }]))));
    const withMistake = ex.find((e) => Object.keys(e.mistakes).length)!;
    for (const [i, src] of Object.values(withMistake.mistakes).slice(0, 3).entries()) w(`c-mistake-${i}.json`, submission(`Mia Mistake ${i}`, { [withMistake.id]: { code: src, c: withMistake.wrongC } }));
    w('d-starter.json', submission('Sam Starter', { [ex[0].id]: { code: ex[0].starter } }));
    w('e-malformed.json', '{"format": ');
    w('f-dup-old.json', submission('Dup Dana', { [ex[0].id]: { code: ex[0].starter } }, '2026-11-01T09:00:00.000Z'));
    w('g-dup-new.json', submission('dup dana', { [ex[0].id]: { code: ex[0].solution, c: ex[0].correctC } }, '2026-11-02T09:00:00.000Z'));
    // The default per-call limit: a tighter one can time out under load in one run and not the other.
    const common = ['--secret-seed', 'shard-test'];
    expect(await runBatch([inDir, '--out', join(dir, 'whole'), '--jobs', '2', '--quiet', ...common], quiet)).toBe(1);
    await simulate({ input: inDir, out: join(dir, 'job'), pods: 2, jobsPerPod: 1, secretSeed: 'shard-test' }, () => {});
    whole = read(join(dir, 'whole'));
    merged = read(join(dir, 'job', 'class'));
    shards = [0, 1].map((i) => read(join(dir, 'job', `shard-${i}`)));
  }, 240_000);

  it('each pod graded its own shard, and together they cover the class once', () => {
    expect(shards.map((s) => s.provenance.shard)).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    expect(shards.every((s) => s.learners.length > 0)).toBe(true);
    expect(shards[0].learners.length + shards[1].learners.length).toBe(whole.learners.length);
    expect(shards[0].files.length + shards[1].files.length).toBe(whole.files.length);
    // Both exports of the duplicate learner id went to one shard, which graded and flagged both.
    const dana = shards.find((s) => s.learners.some((l) => l.learner === 'dup dana'))!;
    expect(dana.files.filter((f) => /dup-/.test(f.file)).length).toBe(2);
  });

  it('the merged report equals the unsharded one: totals, overview, files, CSVs and results files', () => {
    expect(merged.provenance.mergedFrom).toBe(2);
    expect(merged.overview).toEqual(whole.overview);
    expect(merged.learners.map((l) => [l.learner, l.total, l.resultsFile])).toEqual(whole.learners.map((l) => [l.learner, l.total, l.resultsFile]));
    expect(merged.learners.map((l) => l.exercises.map((e) => e.result.total))).toEqual(whole.learners.map((l) => l.exercises.map((e) => e.result.total)));
    expect(merged.files).toEqual(whole.files);
    // Integrity findings are recomputed over the whole class, not taken from one shard.
    expect(merged.integrity).toEqual(whole.integrity);
    expect(merged.integrity.some((f) => f.kind === 'duplicate-learner-id')).toBe(true);
    for (const f of ['grades.csv', 'canvas.csv', 'moodle.csv']) expect(readFileSync(join(dir, 'job', 'class', f), 'utf8')).toBe(readFileSync(join(dir, 'whole', f), 'utf8'));
    const results = readdirSync(join(dir, 'whole', 'results')).sort();
    expect(readdirSync(join(dir, 'job', 'class', 'results')).sort()).toEqual(results);
    for (const f of results) expect(readFileSync(join(dir, 'job', 'class', 'results', f), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'results', f), 'utf8'));
    expect(readFileSync(join(dir, 'job', 'class', 'report.html'), 'utf8')).toContain(`${whole.overview.learners} learners graded`);
  });

  it('runs the commands of the Kubernetes manifests: an Indexed Job whose index picks the shard', () => {
    const grade = manifestCommand('grade-job.yaml');
    expect(grade).toMatch(/--shard "\$JOB_COMPLETION_INDEX\/\$SHARDS"/);
    expect(readFileSync(new URL('../../deploy/k8s/grade-job.yaml', import.meta.url), 'utf8')).toMatch(/completionMode: Indexed/);
    expect(manifestCommand('merge-job.yaml')).toMatch(/ merge "\$OUT"\/shard-\*/);
  });

  it('refuses an incomplete or doubled set of shards, naming what is wrong', () => {
    const [s0, s1] = shards.map((report, i) => ({ dir: `shard-${i}`, report }));
    expect(() => mergeReports([s0])).toThrow(/shard 1\/2 missing/);
    expect(() => mergeReports([s0, s0])).toThrow(MergeError);
    expect(() => mergeReports([s0, { ...s1, report: { ...s1.report, provenance: { ...s1.report.provenance, graderVersion: 'other' } } }])).toThrow(/grader version/);
  });
});
