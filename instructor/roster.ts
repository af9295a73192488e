// The LMS roster (`--roster roster.csv`): who each learner id is in the gradebook. Columns are found by their
// header, in any order and case; a roster exported from Canvas (Student, ID, SIS User ID, SIS Login ID, Section)
// or Moodle (First name, Last name, ID number, Email address) works as it is. A learner's submission is matched
// to the entry whose learner id, email, SIS user id, SIS login id or LMS id equals the id the learner typed
// (trimmed, case-insensitive, as duplicates are compared).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { LearnerReport, LmsInfo, RosterEntry } from './report/schema';

/** Header names (lower case, spaces collapsed) accepted for each field. */
const COLUMNS: Record<keyof RosterEntry | 'firstName' | 'lastName', string[]> = {
  learner: ['learner', 'learner id', 'course id', 'submission id'],
  name: ['name', 'student', 'full name', 'student name'],
  firstName: ['first name', 'firstname', 'given name'],
  lastName: ['last name', 'lastname', 'surname', 'family name'],
  studentId: ['id', 'student id', 'user id', 'canvas id', 'lms id'],
  sisUserId: ['sis user id', 'sis id', 'id number', 'idnumber', 'student number'],
  sisLoginId: ['sis login id', 'login id', 'login', 'username'],
  email: ['email', 'email address', 'e-mail'],
  section: ['section', 'sections', 'group', 'groups'],
};

/** A roster problem the instructor must fix (exit code 2). */
export class RosterError extends Error {}

const norm = (s: string) => s.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
/** The form learner ids are compared in (as newestPerLearner compares them). */
export const idKey = (s: string): string => s.trim().normalize('NFC').toLowerCase();

/** Parses roster CSV text (comma, semicolon or tab separated; UTF-8 with or without BOM). */
export function parseRoster(text: string): RosterEntry[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].sort((a, b) => first.split(b).length - first.split(a).length)[0];
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new RosterError(`the roster is not valid CSV: ${(e as Error).message}`);
  }
  if (!rows.length) throw new RosterError('the roster is empty');
  const header = rows[0].map(norm);
  const col = (k: keyof typeof COLUMNS) => header.findIndex((h) => COLUMNS[k].includes(h));
  const at = Object.fromEntries(Object.keys(COLUMNS).map((k) => [k, col(k as keyof typeof COLUMNS)])) as Record<keyof typeof COLUMNS, number>;
  const idCols = (['learner', 'studentId', 'sisUserId', 'sisLoginId', 'email'] as const).filter((k) => at[k] >= 0);
  if (!idCols.length) throw new RosterError(`the roster has no column to match learners by; give one of: ${[...COLUMNS.learner, ...COLUMNS.email, ...COLUMNS.sisUserId].map((c) => `"${c}"`).join(', ')}`);
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '');
  return rows
    .slice(1)
    // Canvas exports carry a "Points Possible" row (and sometimes a muted-assignments row) under the header.
    .filter((r) => !/^(points possible|muted)$/i.test(cell(r, at.name)))
    .map((r) => ({
      learner: cell(r, at.learner),
      name: cell(r, at.name) || [cell(r, at.firstName), cell(r, at.lastName)].filter(Boolean).join(' '),
      studentId: cell(r, at.studentId),
      sisUserId: cell(r, at.sisUserId),
      sisLoginId: cell(r, at.sisLoginId),
      email: cell(r, at.email),
      section: cell(r, at.section),
    }))
    .filter((e) => idCols.some((k) => e[k] !== ''));
}

/** Reads and parses a roster file. */
export function readRoster(file: string): RosterEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RosterError(`cannot read the roster ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseRoster(text);
}

/** For each learner (in order) the index of its roster entry, or -1; each roster entry matches at most one learner. */
export function matchRoster(roster: RosterEntry[], learners: Pick<LearnerReport, 'learner'>[]): number[] {
  const byId = new Map<string, number>();
  // Earlier keys win: the explicit learner column first, then email and the LMS ids.
  for (const k of ['learner', 'email', 'sisLoginId', 'sisUserId', 'studentId'] as const) {
    roster.forEach((e, i) => {
      const v = idKey(e[k]);
      if (v && !byId.has(v)) byId.set(v, i);
    });
  }
  const taken = new Set<number>();
  return learners.map((l) => {
    const i = byId.get(idKey(l.learner));
    if (i === undefined || taken.has(i)) return -1;
    taken.add(i);
    return i;
  });
}

/** The report's LMS block: the roster and who is on only one side of it. */
export function lmsInfo(rosterFile: string | null, roster: RosterEntry[], learners: Pick<LearnerReport, 'learner'>[]): LmsInfo {
  const match = matchRoster(roster, learners);
  const matched = new Set(match);
  return {
    rosterFile,
    roster,
    notInRoster: rosterFile === null ? [] : learners.filter((_, i) => match[i] < 0).map((l) => l.learner),
    noSubmission: roster.map((_, i) => i).filter((i) => !matched.has(i)),
  };
}
