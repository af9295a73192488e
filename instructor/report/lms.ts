// Gradebook files an LMS imports directly: canvas.csv (Canvas's gradebook layout — Student, ID, SIS User ID,
// SIS Login ID, Section, then one column per graded item) and moodle.csv (Moodle's CSV grade import, matched on
// "Email address" or "ID number"). Identities come from the roster (instructor/roster.ts); without one, each row
// is keyed by the learner id as typed. Every cell goes through csvCell (formula injection, quoting).
import { matchRoster } from '../roster';
import { csvCell } from './csv';
import type { ExerciseInfo, InstructorReport, LearnerReport, RosterEntry } from './schema';

const looksLikeEmail = (s: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s);
const rows = (cells: (string | number)[][]) => cells.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** One graded learner with the roster entry it matched (null without a roster). */
interface Row {
  learner: LearnerReport | null;
  entry: RosterEntry | null;
}

/** Learners and roster entries in gradebook order: with a roster, every entry (graded or not) and no stranger. */
function gradebookRows(r: InstructorReport): Row[] {
  const roster = r.lms?.rosterFile ? r.lms.roster : null;
  if (!roster) return r.learners.map((l) => ({ learner: l, entry: null }));
  const match = matchRoster(roster, r.learners);
  const byEntry = new Map(match.flatMap((m, i) => (m >= 0 ? [[m, r.learners[i]] as const] : [])));
  return roster.map((entry, i) => ({ learner: byEntry.get(i) ?? null, entry }));
}

/** An exercise's points for one learner; '' for a roster entry with no submission (the LMS then keeps its grade). */
function scores(exercises: ExerciseInfo[], l: LearnerReport | null): (string | number)[] {
  if (!l) return [...exercises.map(() => ''), ''];
  return [...exercises.map((ex) => l.exercises.find((e) => e.exerciseId === ex.id)?.result.total.points ?? 0), l.total.points];
}

const itemTitle = (r: InstructorReport, ex: ExerciseInfo) => `${r.provenance.course.name} ${ex.id}: ${ex.title}`;
const totalTitle = (r: InstructorReport) => `${r.provenance.course.name} total`;

/** canvas.csv: Canvas gradebook import layout, with the "Points Possible" row Canvas's own export has. */
export function canvasCsv(r: InstructorReport): string {
  const header = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', ...r.exercises.map((ex) => itemTitle(r, ex)), totalTitle(r)];
  const possible = ['Points Possible', '', '', '', '', ...r.exercises.map((e) => e.maxPoints), r.exercises.reduce((s, e) => s + e.maxPoints, 0)];
  const body = gradebookRows(r).map(({ learner, entry }) =>
    entry
      ? [entry.name || entry.learner || entry.email, entry.studentId, entry.sisUserId, entry.sisLoginId, entry.section, ...scores(r.exercises, learner)]
      : [learner!.learner, '', '', learner!.learner, '', ...scores(r.exercises, learner)],
  );
  return rows([header, possible, ...body]);
}

/** moodle.csv: one row per learner; map "Email address" or "ID number" to the Moodle user field on import. */
export function moodleCsv(r: InstructorReport): string {
  const header = ['Full name', 'Email address', 'ID number', ...r.exercises.map((ex) => itemTitle(r, ex)), totalTitle(r)];
  const body = gradebookRows(r).map(({ learner, entry }) =>
    entry
      ? [entry.name || entry.learner, entry.email, entry.sisUserId || entry.studentId, ...scores(r.exercises, learner)]
      : [learner!.learner, looksLikeEmail(learner!.learner.trim()) ? learner!.learner.trim() : '', learner!.learner.trim(), ...scores(r.exercises, learner)],
  );
  return rows([header, ...body]);
}
