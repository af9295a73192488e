// LMS gradebook files: --roster maps learner ids to LMS identities; canvas.csv and moodle.csv follow the import
// layouts of Canvas and Moodle; people on only one side of the roster are listed in report.json and report.html;
// without a roster both files are keyed by the learner id as typed; every cell is protected against formulas.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../instructor/cli';
import { parseReport, type InstructorReport } from '../../instructor/report/schema';
import { matchRoster, parseRoster, RosterError } from '../../instructor/roster';
import { exerciseFiles, submission } from './corpus';

const [e1] = exerciseFiles();
const dir = mkdtempSync(join(tmpdir(), 'lms-'));
const inDir = join(dir, 'class');
const quiet = { stdout: () => {}, stderr: () => {} };
const csv = (f: string) => parse(readFileSync(f, 'utf8'), { relax_column_count: true }) as string[][];
const report = (d: string): InstructorReport => {
  const r = parseReport(readFileSync(join(d, 'report.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

// A roster as Canvas exports it (with its "Points Possible" row), plus a learner-id column the instructor added.
const ROSTER = [
  'Student,ID,SIS User ID,SIS Login ID,Section,Learner',
  '    Points Possible,,,,,',
  '"Lovelace, Ada",101,S-001,ada,Section A,ada-42',
  '"=HYPERLINK(""http://evil"")",102,S-002,grace,Section B,',
  'Alan Turing,103,S-003,alan@example.org,Section A,',
].join('\r\n');

describe('roster', () => {
  it('reads Canvas, Moodle and semicolon rosters by their headers', () => {
    const canvas = parseRoster(ROSTER);
    expect(canvas.map((e) => e.name)).toEqual(['Lovelace, Ada', '=HYPERLINK("http://evil")', 'Alan Turing']);
    expect(canvas[0]).toEqual({ learner: 'ada-42', name: 'Lovelace, Ada', studentId: '101', sisUserId: 'S-001', sisLoginId: 'ada', email: '', section: 'Section A' });
    const moodle = parseRoster('\uFEFFFirst name;Last name;ID number;Email address\nGrace;Hopper;G-7;grace@example.org\n');
    expect(moodle[0]).toMatchObject({ name: 'Grace Hopper', sisUserId: 'G-7', email: 'grace@example.org' });
    expect(() => parseRoster('Name,Section\nX,A\n')).toThrow(RosterError);
    // Matching: learner column, then email / login / SIS / LMS id, case- and space-insensitively; one learner per entry.
    expect(matchRoster(canvas, [{ learner: ' ADA-42' }, { learner: 'alan@example.org' }, { learner: 'S-002' }, { learner: 'nobody' }, { learner: 'ada-42' }])).toEqual([0, 2, 1, -1, -1]);
  });
});

describe('canvas.csv and moodle.csv', () => {
  let withRoster: InstructorReport;
  beforeAll(async () => {
    mkdirSync(inDir, { recursive: true });
    const w = (f: string, learner: string, code: string) => writeFileSync(join(inDir, f), JSON.stringify(submission(learner, { [e1.id]: { code, c: e1.correctC } })));
    w('a.json', 'ada-42', e1.solution);
    w('b.json', 'Alan@Example.org', e1.starter);
    w('c.json', '@stranger', e1.solution);
    writeFileSync(join(dir, 'roster.csv'), ROSTER);
    expect(await runBatch([inDir, '--out', join(dir, 'with'), '--roster', join(dir, 'roster.csv'), '--quiet'], quiet)).toBe(0);
    expect(await runBatch([inDir, '--out', join(dir, 'without'), '--quiet'], quiet)).toBe(0);
    withRoster = report(join(dir, 'with'));
  }, 120_000);

  it('canvas.csv: the Canvas gradebook columns, every roster entry, no stranger, formulas neutralised', () => {
    const rows = csv(join(dir, 'with', 'canvas.csv'));
    const ex = withRoster.exercises;
    expect(rows[0].slice(0, 5)).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section']);
    expect(rows[0].length).toBe(5 + ex.length + 1);
    expect(rows[0][5]).toContain(`${e1.id}: ${ex[0].title}`);
    expect(rows[0].at(-1)).toMatch(/total$/);
    expect(rows[1].slice(0, 5)).toEqual(['Points Possible', '', '', '', '']);
    expect(rows[1].slice(5).map(Number)).toEqual([...ex.map((e) => e.maxPoints), ex.reduce((s, e) => s + e.maxPoints, 0)]);
    const ada = withRoster.learners.find((l) => l.learner === 'ada-42')!;
    const alan = withRoster.learners.find((l) => l.learner === 'Alan@Example.org')!;
    expect(rows[2]).toEqual(['Lovelace, Ada', '101', 'S-001', 'ada', 'Section A', String(ada.exercises[0].result.total.points), ...ex.slice(1).map(() => '0'), String(ada.total.points)]);
    expect(ada.total.points).toBeGreaterThan(alan.total.points);
    // No submission: empty grade cells, so the import leaves that person's grades alone; the name cannot run as a formula.
    expect(rows[3]).toEqual([`'=HYPERLINK("http://evil")`, '102', 'S-002', 'grace', 'Section B', ...ex.map(() => ''), '']);
    expect(rows[4].slice(0, 5)).toEqual(['Alan Turing', '103', 'S-003', 'alan@example.org', 'Section A']);
    expect(rows[4].at(-1)).toBe(String(alan.total.points));
    expect(rows.length).toBe(5);
  });

  it('moodle.csv: email address and ID number columns to map on import', () => {
    const rows = csv(join(dir, 'with', 'moodle.csv'));
    expect(rows[0].slice(0, 3)).toEqual(['Full name', 'Email address', 'ID number']);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([['Lovelace, Ada', '', 'S-001'], [`'=HYPERLINK("http://evil")`, '', 'S-002'], ['Alan Turing', '', 'S-003']]);
  });

  it('lists learners missing from the roster and roster entries with no submission', () => {
    expect(withRoster.lms).toMatchObject({ notInRoster: ['@stranger'], noSubmission: [1] });
    const html = readFileSync(join(dir, 'with', 'report.html'), 'utf8');
    expect(html).toContain('Graded but not in the roster (1)');
    expect(html).toContain('@stranger');
    expect(html).toContain('In the roster but no submission (1)');
    expect(html).toContain('=HYPERLINK(&#34;http://evil&#34;)');
  });

  it('without a roster, both files are keyed by the learner id as typed', () => {
    const canvas = csv(join(dir, 'without', 'canvas.csv'));
    expect(canvas.slice(2).map((r) => [r[0], r[3]])).toEqual([['ada-42', 'ada-42'], ['Alan@Example.org', 'Alan@Example.org'], ["'@stranger", "'@stranger"]]);
    const moodle = csv(join(dir, 'without', 'moodle.csv'));
    expect(moodle.slice(1).map((r) => r.slice(0, 3))).toEqual([['ada-42', '', 'ada-42'], ['Alan@Example.org', 'Alan@Example.org', 'Alan@Example.org'], ["'@stranger", '', "'@stranger"]]);
    expect(report(join(dir, 'without')).lms).toMatchObject({ rosterFile: null, notInRoster: [], noSubmission: [] });
  });

  it('refuses an unusable roster with exit code 2 before grading', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'Name,Section\nX,A\n');
    const err: string[] = [];
    expect(await runBatch([inDir, '--out', join(dir, 'bad'), '--roster', join(dir, 'bad.csv')], { stdout: () => {}, stderr: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toMatch(/no column to match learners by/);
  });
});
