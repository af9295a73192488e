// grades.csv: one row per learner, one column per exercise part, then the total — ready for a gradebook.
// Learner names are untrusted: a cell starting with = + - @ (or tab/CR) would run as a spreadsheet formula, so
// it is prefixed with a quote; every cell is quoted per RFC 4180.
import { displayText } from './display';
import type { ExerciseInfo, LearnerReport } from './schema';

/** One CSV cell: formula-neutralised and quoted. */
export function csvCell(value: string | number): string {
  let s = displayText(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value !== 'number') s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** The whole grades.csv text (CRLF line ends, as spreadsheets expect). */
export function gradesCsv(exercises: ExerciseInfo[], learners: LearnerReport[]): string {
  const header = ['learner', 'file'];
  // Free-text points given by hand (--manual) get a column per exercise, only when there are any.
  const manual = learners.some((l) => l.exercises.some((e) => e.manualPoints !== undefined));
  for (const ex of exercises) {
    for (const p of ['a', 'b', 'c'] as const) header.push(`${ex.id}${p} (max ${ex.points[p]})`);
    if (manual) header.push(`${ex.id} free text (manual)`);
  }
  header.push(`total (max ${exercises.reduce((s, e) => s + e.maxPoints, 0)})`);
  const rows = [header.map(csvCell).join(',')];
  for (const l of learners) {
    const cells: (string | number)[] = [l.learner, l.file];
    for (const ex of exercises) {
      const e = l.exercises.find((x) => x.exerciseId === ex.id);
      for (const p of ['a', 'b', 'c'] as const) cells.push(e ? e.result.parts[p].points : 0);
      if (manual) cells.push(e?.manualPoints ?? '');
    }
    cells.push(l.total.points);
    rows.push(cells.map(csvCell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
