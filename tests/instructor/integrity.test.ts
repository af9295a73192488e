// Integrity findings, one kind at a time, on small hand-made classes (no grading needed: the findings read the
// graded report), plus the comment/whitespace normalisation, the part (c) policies and the submission versions.
import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMA_VERSION, type GradeResult } from '../../graders/lib/result';
import { findIntegrity, normalizeCode, type IntegrityInput } from '../../instructor/report/integrity';
import type { ExerciseInfo, IntegrityFinding, LearnerExercise, LearnerReport } from '../../instructor/report/schema';
import { conceptAnswer, emptyHistory, parseSubmission, type History } from '../../src/workspace/submission';
import { submission } from './corpus';

const EXS: ExerciseInfo[] = ['01', '02'].map((id) => ({ id, slug: `${id}-x`, title: `ex ${id}`, section: '1.1', points: { a: 2, b: 6, c: 2 }, maxPoints: 10 }));
const REF = {
  '01': { solution: 'export function f(x: number) {\n  return x * 2; // doubled\n}\n', starter: 'export function f(x: number) {\n  throw new Error("write me");\n}\n' },
  '02': { solution: 'export const g = () => "a  b";\n', starter: 'export const g = () => { throw new Error("todo"); };\n' },
};

/** A graded result with `a` and `b` tests passed out of 2 and 6. */
function result(id: string, a: number, b: number): GradeResult {
  const part = (passed: number, total: number, max: number) => ({ points: (max * passed) / total, maxPoints: max, passed, total });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION, exerciseId: id, graderVersion: 't', engineVersion: null, seed: 1,
    parts: { a: part(a, 2, 2), b: part(b, 6, 6), c: { points: 0, maxPoints: 2, passed: 0, total: 1 } },
    total: { points: 0, maxPoints: 10 }, tests: [], answers: { c: null, freeText: null }, diagnoses: [], allPassed: false,
  };
}

interface Ex {
  code?: string;
  a?: number;
  b?: number;
  history?: Partial<History> | null;
  claims?: { a: boolean; b: boolean; c: boolean };
}

function learner(name: string, file: string, exs: Record<string, Ex>, courseVersion = '1.0.0'): LearnerReport {
  const exercises: LearnerExercise[] = EXS.map((info) => {
    const e = exs[info.id];
    if (!e) return { exerciseId: info.id, submitted: false, code: null, result: result(info.id, 0, 0), logs: [], loadError: null, cpuMs: 0 };
    return {
      exerciseId: info.id, submitted: true, code: e.code ?? `// ${name}\nexport const own${name.length} = 1;`, result: result(info.id, e.a ?? 2, e.b ?? 6), logs: [], loadError: null, cpuMs: 1,
      history: e.history === null ? null : { ...emptyHistory(), ...e.history },
      browserPassed: e.claims ?? null,
    };
  });
  return { learner: name, file, exportedAt: '2026-11-20T10:00:00.000Z', courseVersion, total: { points: 0, maxPoints: 20 }, exercises, issues: [], resultsFile: '' };
}

function find(learners: LearnerReport[], extra: Partial<IntegrityInput> = {}): IntegrityFinding[] {
  return findIntegrity({ courseVersion: '1.0.0', exercises: EXS, learners, parsed: learners.map((l) => ({ file: l.file, learner: l.learner })), reference: REF, concept: 'first', ...extra });
}
const ofKind = (fs: IntegrityFinding[], kind: IntegrityFinding['kind']) => fs.filter((f) => f.kind === kind);
const T = (m: number) => `2026-11-20T10:${String(m).padStart(2, '0')}:00.000Z`;

describe('normalizeCode', () => {
  it('removes comments and whitespace but keeps string contents', () => {
    expect(normalizeCode('const a = 1; // one\n/* block\n */ const  b="x  y";')).toBe('consta=1;constb="x  y";');
    expect(normalizeCode('const s = "// not a comment"; const t = `a /* b */ c`;')).toBe('consts="// not a comment";constt=`a /* b */ c`;');
    expect(normalizeCode("const q = 'it\\'s'; // end")).toBe("constq='it\\'s';");
  });
  it('tells apart code that differs in more than layout', () => {
    expect(normalizeCode('return x*2')).not.toBe(normalizeCode('return x*3'));
  });
});

describe('integrity findings', () => {
  it('identical-code: the same code after removing comments and whitespace, across learners', () => {
    const shared = 'export function f(x: number) { return x + x; }';
    const fs = find([
      learner('Ann', 'ann.json', { '01': { code: shared } }),
      learner('Ben', 'ben.json', { '01': { code: `// mine!\n${shared.replace(/ /g, '   ')}\n` } }),
      learner('Cat', 'cat.json', { '01': { code: 'export function f(x: number) { return 2 * x; }' } }),
    ]);
    const found = ofKind(fs, 'identical-code');
    expect(found).toHaveLength(1);
    expect(found[0].learners).toEqual(['Ann', 'Ben']);
    expect(found[0].files).toEqual(['ann.json', 'ben.json']);
    expect(found[0].exercises).toEqual(['01']);
    expect(found[0].sentence).toMatch(/2 learners handed in the same code for exercise 01/);
  });

  it('identical-code: the reference solution is reported on its own, saying whose browser showed it; untouched starters are not', () => {
    const fs = find([
      learner('Ann', 'ann.json', { '01': { code: `${REF['01'].solution}\n// copied`, history: { solutionRevealedAt: T(5) } } }),
      learner('Ben', 'ben.json', { '01': { code: REF['01'].starter }, '02': { code: REF['02'].starter } }),
      learner('Cat', 'cat.json', { '02': { code: REF['02'].starter } }),
    ]);
    const found = ofKind(fs, 'identical-code');
    expect(found).toHaveLength(1);
    expect(found[0].learners).toEqual(['Ann']);
    expect(found[0].sentence).toMatch(/reference solution of exercise 01.*Ann had it shown in the browser \(as reported by the learner's browser, not proof\)/);
  });

  it('browser-claims-differ: the browser said a part passed, the regrade did not', () => {
    const fs = find([
      learner('Ann', 'ann.json', { '01': { b: 3, claims: { a: true, b: true, c: true } }, '02': { claims: { a: true, b: true, c: true } } }),
      learner('Ben', 'ben.json', { '01': { b: 3, claims: { a: true, b: false, c: false } } }),
    ]);
    const found = ofKind(fs, 'browser-claims-differ');
    expect(found).toHaveLength(1);
    expect(found[0].learners).toEqual(['Ann']);
    expect(found[0].exercises).toEqual(['01']);
    expect(found[0].sentence).toMatch(/exercise 01 part \(b\) \(regrade: 3 of 6 tests\)/);
  });

  it('solution-revealed-before-pass: shown before any passing Run, or with none; not after a pass', () => {
    const fs = find([
      learner('Ann', 'ann.json', { '01': { history: { solutionRevealedAt: T(5), passedAt: T(9) } }, '02': { history: { solutionRevealedAt: T(5) } } }),
      learner('Ben', 'ben.json', { '01': { history: { solutionRevealedAt: T(9), passedAt: T(5) } } }),
      learner('Cat', 'cat.json', { '01': { history: null } }),
    ]);
    const found = ofKind(fs, 'solution-revealed-before-pass');
    expect(found.map((f) => [f.learners, f.exercises])).toEqual([[['Ann'], ['01', '02']]]);
    expect(found[0].sentence).toMatch(/no passing Run recorded/);
    expect(found[0].sentence).toMatch(/not proof/);
  });

  it('hints-used: which hints, per learner', () => {
    const fs = find([
      learner('Ann', 'ann.json', { '02': { history: { hints: [{ index: 0, at: T(1) }, { index: 1, at: T(2) }] } } }),
      learner('Ben', 'ben.json', { '01': {} }),
    ]);
    const found = ofKind(fs, 'hints-used');
    expect(found).toHaveLength(1);
    expect(found[0].exercises).toEqual(['02']);
    expect(found[0].sentence).toMatch(/Ann opened hints in exercise 02 \(hints 1, 2\)/);
  });

  it('concept-attempts: the sequence of choices and which one was scored', () => {
    const choices = [{ choice: 'b', at: T(1) }, { choice: 'a', at: T(2) }, { choice: 'c', at: T(3) }];
    const ls = [learner('Ann', 'ann.json', { '01': { history: { choices } } }), learner('Ben', 'ben.json', { '01': { history: { choices: choices.slice(0, 1) } } })];
    const first = ofKind(find(ls), 'concept-attempts');
    expect(first).toHaveLength(1);
    expect(first[0].sentence).toMatch(/exercise 01: b → a → c; the first choice was scored/);
    expect(ofKind(find(ls, { concept: 'last' }), 'concept-attempts')[0].sentence).toMatch(/the last choice was scored/);
  });

  it('duplicate-learner-id: one id (trimmed, any case) in several files, even when only one was graded', () => {
    const ls = [learner('Ann', 'ann.json', { '01': {} })];
    const fs = find(ls, { parsed: [{ file: 'ann.json', learner: 'Ann' }, { file: 'ann-old.json', learner: ' ann ' }, { file: 'ben.json', learner: 'Ben' }] });
    const found = ofKind(fs, 'duplicate-learner-id');
    expect(found).toHaveLength(1);
    expect(found[0].files).toEqual(['ann-old.json', 'ann.json']);
  });

  it('course-version-differs: grouped by the version worked on', () => {
    const fs = find([learner('Ann', 'ann.json', { '01': {} }, '0.9.0'), learner('Ben', 'ben.json', { '01': {} }, '0.9.0'), learner('Cat', 'cat.json', { '01': {} })]);
    const found = ofKind(fs, 'course-version-differs');
    expect(found).toHaveLength(1);
    expect(found[0].learners).toEqual(['Ann', 'Ben']);
    expect(found[0].sentence).toMatch(/course version 0\.9\.0; the class was graded with 1\.0\.0/);
  });

  it('finds nothing in a clean class', () => {
    expect(find([learner('Ann', 'ann.json', { '01': {} }), learner('Ben', 'ben.json', { '02': {} })])).toEqual([]);
  });
});

describe('submission versions and the part (c) policy', () => {
  const v1 = submission('Ann', { '01': { code: 'x', c: 'b' } });
  const v2 = submission('Ann', { '01': { code: 'x', c: 'b', history: { ...emptyHistory(), choices: [{ choice: 'a', at: T(1) }, { choice: 'b', at: T(2) }] } } });

  it('reads version 1 and version 2 files and refuses others', () => {
    expect(parseSubmission(JSON.stringify(v1))).toMatchObject({ ok: true, value: { version: 1 } });
    expect(parseSubmission(JSON.stringify(v2))).toMatchObject({ ok: true, value: { version: 2 } });
    expect(parseSubmission(JSON.stringify({ ...v2, version: 3 }))).toEqual({ ok: false, error: 'this submission file has version 3; this course reads versions 1 and 2' });
    // A version-2 file must carry the history; a version-1 file must not.
    const noHistory = { ...v2, exercises: { '01': { ...v2.exercises['01'], history: undefined } } };
    expect(parseSubmission(JSON.stringify(noHistory))).toMatchObject({ ok: false, error: expect.stringMatching(/damaged: exercises\.01\.history/) });
    expect(parseSubmission(JSON.stringify({ ...v1, exercises: v2.exercises }))).toMatchObject({ ok: false });
  });

  it('scores the first recorded choice by default, the last on request, none when ignored', () => {
    expect(conceptAnswer(v2, '01', 'first')).toBe('a');
    expect(conceptAnswer(v2, '01', 'last')).toBe('b');
    expect(conceptAnswer(v2, '01', 'ignore')).toBeUndefined();
    // Version 1 has only its final choice.
    expect(conceptAnswer(v1, '01', 'first')).toBe('b');
  });
});
