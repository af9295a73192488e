// A class whose report.json is larger than V8's longest string (2^29 − 24 characters, ≈ 512 MB): 5,000 learners
// of ≈ 120 KB each, as two synthetic shard reports (no grading, so the test is quick), merged by `grade merge`.
// The bulk is in the values of failing tests, as in real reports (report.html quotes them shortened, so the
// test writes ≈ 1.2 GB, not twice that).
// The merge must read the shards and write the class report without ever holding one report as one string, and
// the result must be a valid report: every learner validated, in class order, with the overview, integrity
// findings, CSV gradebooks, results files and a report.html split into bounded learner pages.
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRADER_VERSION } from '../../graders/lib/version';
import { courseInfo, exerciseInfos } from '../../instructor/batch';
import { runBatch } from '../../instructor/cli';
import { LEARNERS_PER_PAGE, pageFile } from '../../instructor/report/html';
import { REPORT_FORMAT, REPORT_VERSION, type LearnerReport } from '../../instructor/report/schema';
import { readReportStream, ReportJsonWriter, type ReportHead } from '../../instructor/report/stream';

const N = 5000;
const V8_MAX_STRING = 2 ** 29 - 24;
const exercises = exerciseInfos();
const course = courseInfo();
const dir = mkdtempSync(join(tmpdir(), 'merge-large-'));
const file = (i: number) => `class/learner-${String(i).padStart(5, '0')}.json`;
const name = (i: number) => `learner ${i}`;

/** Points of learner i on exercise k's part (a); (b) and (c) are always full. */
const pointsA = (i: number, k: number) => ((i + k) % 3 === 0 ? 0 : exercises[k].points.a);
/** Learner 1 hands in learner 0's code for the first exercise (they are in different shards). */
const code = (i: number, k: number) => `// ${name(i === 1 && k === 0 ? 0 : i)} exercise ${exercises[k].id}\nexport const x = ${i === 1 && k === 0 ? 0 : i};\n`;
/** The expected value quoted by a failing test: ≈ 36 KB, so each learner's row (3–4 failing tests) is ≈ 120 KB. */
const bulk = (i: number) => `${i} `.padEnd(36_000, '0123456789');

/** Learner i's total points. */
const totalOf = (i: number) => exercises.reduce((s, ex, k) => s + pointsA(i, k) + ex.points.b + ex.points.c, 0);

function learner(i: number): LearnerReport {
  const exs = exercises.map((ex, k) => {
    const a = pointsA(i, k);
    const wrong = a === 0;
    const test = (part: 'a' | 'b', pass: boolean) => ({
      id: `${part}.t`, part, title: `test of part ${part}`, fn: 'f', status: pass ? ('pass' as const) : ('fail' as const), message: pass ? '' : 'wrong value',
      expected: pass ? null : bulk(i), actual: pass ? null : [2, 1], worst: null, leaks: [], seed: null, shrunk: null, alloc: null, durationMs: 1,
      diagnosis: pass ? null : { mistake: 'swapped', section: 'lesson 1', message: 'the two values are swapped', alsoMatches: [] },
    });
    const parts = { a: { points: a, maxPoints: ex.points.a, passed: wrong ? 0 : 1, total: 1 }, b: { points: ex.points.b, maxPoints: ex.points.b, passed: 1, total: 1 }, c: { points: ex.points.c, maxPoints: ex.points.c, passed: 1, total: 1 } };
    return {
      exerciseId: ex.id, submitted: true, code: code(i, k), logs: [], loadError: null, cpuMs: 1,
      result: {
        schemaVersion: 1 as const, exerciseId: ex.id, graderVersion: GRADER_VERSION, engineVersion: null, seed: 1, parts,
        total: { points: a + ex.points.b + ex.points.c, maxPoints: ex.maxPoints }, tests: [test('a', !wrong), test('b', true)],
        answers: { c: 'x', freeText: null }, diagnoses: wrong ? [{ mistake: 'swapped', section: 'lesson 1', count: 1 }] : [], allPassed: !wrong,
      },
    };
  });
  return {
    learner: name(i), file: file(i), exportedAt: '2026-11-20T10:00:00.000Z', courseVersion: course.version, submissionVersion: 1,
    total: { points: exs.reduce((s, e) => s + e.result.total.points, 0), maxPoints: exercises.reduce((s, e) => s + e.maxPoints, 0) },
    exercises: exs, issues: [], resultsFile: 'results/placeholder.json',
  };
}

function shardHead(index: number, learners: number): ReportHead {
  return {
    format: REPORT_FORMAT, version: REPORT_VERSION,
    provenance: {
      course, graderVersion: GRADER_VERSION, engineVersion: null, resultSchemaVersion: 1, submissionVersion: 2, seed: { value: 1, secret: false }, concept: 'first',
      generatedAt: '2026-12-06T00:00:00.000Z', durationMs: 1000, tool: 'synthetic', node: process.version,
      sandbox: { engine: 'synthetic', memoryMb: 32, stackKb: 1024, callTimeoutMs: 2000, testBudgetMs: 6000, exerciseBudgetMs: 12000, jobs: 1 },
      shard: { index, count: 2 },
    },
    exercises,
    // A shard's own overview is not reused by the merge (it recomputes the class's): a placeholder that validates.
    overview: { learners, filesRead: learners, filesRejected: 0, exercises: [], distribution: [], mistakes: [] },
    files: Array.from({ length: N }, (_, i) => i).filter((i) => i % 2 === index).map((i) => ({ file: file(i), status: 'graded' as const, learner: name(i), issues: [] })),
    integrity: [],
  };
}

describe('merging a class larger than one JavaScript string', () => {
  let code0: number;
  let stdout = '';
  const out = join(dir, 'class-report');
  beforeAll(async () => {
    // Shard 0 holds the even learners, shard 1 the odd ones: the merge interleaves them back into path order.
    for (const s of [0, 1]) {
      mkdirSync(join(dir, `shard-${s}`));
      const fd = openSync(join(dir, `shard-${s}`, 'report.json'), 'w');
      const w = new ReportJsonWriter(fd, shardHead(s, N / 2));
      for (let i = s; i < N; i += 2) w.add(learner(i));
      w.end();
      closeSync(fd);
    }
    code0 = await runBatch(['merge', join(dir, 'shard-1'), join(dir, 'shard-0'), '--out', out], { stdout: (s) => (stdout += s), stderr: (s) => (stdout += s) });
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

  it('the shard reports and the merged report.json exceed the longest string V8 can hold', () => {
    expect(code0, stdout).toBe(0);
    expect(statSync(join(dir, 'shard-0', 'report.json')).size + statSync(join(dir, 'shard-1', 'report.json')).size).toBeGreaterThan(V8_MAX_STRING);
    expect(statSync(join(out, 'report.json')).size).toBeGreaterThan(V8_MAX_STRING);
  });

  it('report.json is valid learner by learner, in class order, with every total', () => {
    let n = 0;
    const head = readReportStream(join(out, 'report.json'), (l) => {
      expect(l.file).toBe(file(n));
      expect(l.resultsFile).toBe(`results/${String(n + 1).padStart(4, '0')}-learner-${n}.json`);
      expect(l.total.points).toBe(totalOf(n));
      expect(l.exercises[0].code).toBe(code(n, 0));
      expect(l.exercises.find((e) => e.result.tests[0].status === 'fail')!.result.tests[0].expected).toBe(bulk(n));
      n++;
    });
    expect(n).toBe(N);
    expect(head.provenance.mergedFrom).toBe(2);
    expect(head.overview.learners).toBe(N);
    expect(head.overview.distribution.reduce((s, b) => s + b.count, 0)).toBe(N);
    // Every (learner, exercise) with part (a) wrong was diagnosed "swapped": counted over the whole class.
    const wrong = exercises.map((_, k) => Array.from({ length: N }, (_, i) => pointsA(i, k)).filter((p) => p === 0).length);
    expect(head.overview.mistakes.map((m) => [m.exerciseId, m.learners]).sort()).toEqual(exercises.map((ex, k) => [ex.id, wrong[k]]).sort());
    expect(head.overview.exercises[0].parts.a.passRate).toBeCloseTo(1 - wrong[0] / N, 4);
    // The same code in two shards is found in the merged class.
    const same = head.integrity.filter((f) => f.kind === 'identical-code');
    expect(same.map((f) => f.learners)).toEqual([[name(0), name(1)]]);
  });

  it('writes the gradebooks and one results file per learner', () => {
    const grades = readFileSync(join(out, 'grades.csv'), 'utf8').trimEnd().split('\r\n');
    expect(grades.length).toBe(N + 1);
    expect(grades[N]).toContain(`"${name(N - 1)}"`);
    expect(grades[N].endsWith(`"${totalOf(N - 1)}"`)).toBe(true);
    expect(readFileSync(join(out, 'canvas.csv'), 'utf8').trimEnd().split('\r\n').length).toBe(N + 2);
    expect(readdirSync(join(out, 'results')).length).toBe(N);
    const last = JSON.parse(readFileSync(join(out, 'results', `${String(N).padStart(4, '0')}-learner-${N - 1}.json`), 'utf8'));
    expect(last.score).toBe(totalOf(N - 1));
  });

  it('report.html stays small: the learners are on pages of bounded size, linked from the index', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.length).toBeLessThan(10 * 2 ** 20);
    expect(html).toContain(`${N} learners graded`);
    expect(html).toContain(`href="${pageFile(0)}#learner-0"`);
    const pages = readdirSync(join(out, 'learners'));
    expect(pages.length).toBe(Math.ceil(N / LEARNERS_PER_PAGE));
    for (const p of pages) expect(statSync(join(out, 'learners', p)).size).toBeLessThan(64 * 2 ** 20);
    const lastPage = readFileSync(join(out, pageFile(pages.length - 1)), 'utf8');
    expect(lastPage).toContain(`id="learner-${N - 1}"`);
    expect(lastPage).toContain('Content-Security-Policy');
  });

  it('reads a report.json written whole (the layout before streaming) as well', () => {
    const small = join(dir, 'old-report.json');
    writeFileSync(small, JSON.stringify({ ...shardHead(0, 2), learners: [learner(0), learner(2)] }, null, 2));
    const seen: string[] = [];
    readReportStream(small, (l, place) => seen.push(`${l.learner} ${place === null}`));
    expect(seen).toEqual([`${name(0)} true`, `${name(2)} true`]);
  });
});
