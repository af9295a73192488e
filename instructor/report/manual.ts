// Manual scores of the free-text answers: the /instructor/ page writes them as a CSV (one row per learner and
// exercise), `npm run grade -- … --manual scores.csv` merges them into the report (and so into grades.csv and
// the other CSVs), and the page reads the same file back to restore the points boxes.
//   columns: learner, file, exercise, points   (file identifies the learner; the name is for people)
import { csvCell } from './csv';
import type { InstructorReport } from './schema';

/** Header of a scores file. */
export const MANUAL_HEADER = ['learner', 'file', 'exercise', 'points'] as const;
/** Most points one free-text answer can be given (a typo like 100 for 1.00 is refused, not merged). */
export const MAX_MANUAL_POINTS = 100;

/** One manual score. */
export interface ManualScore {
  learner: string;
  file: string;
  exercise: string;
  points: number;
}

/** The scores file text (CRLF, every cell quoted and formula-neutralised as in grades.csv). */
export function manualCsv(scores: ManualScore[]): string {
  const rows = [MANUAL_HEADER.map(csvCell).join(',')];
  for (const s of scores) rows.push([s.learner, s.file, s.exercise, s.points].map(csvCell).join(','));
  return rows.join('\r\n') + '\r\n';
}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const t = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quoted) {
      if (c === '"' && t[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && t[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x.trim() !== ''));
}

/** Undoes csvCell's formula guard (a leading quote before = + - @ tab or CR). */
const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

/** Reads a scores file: the scores, or one sentence naming the first bad line. */
export function parseManualCsv(text: string): { ok: true; scores: ManualScore[] } | { ok: false; error: string } {
  const rows = parseCsv(text);
  if (!rows.length) return { ok: false, error: 'the scores file is empty' };
  const head = rows[0].map((h) => h.trim().toLowerCase());
  if (MANUAL_HEADER.some((h, i) => head[i] !== h)) return { ok: false, error: `the scores file must start with the header ${MANUAL_HEADER.join(',')}` };
  const scores: ManualScore[] = [];
  for (const [i, r] of rows.slice(1).entries()) {
    const line = i + 2;
    const [learner, file, exercise, points] = r.map((x) => unguard(x.trim()));
    if (!file) return { ok: false, error: `line ${line} of the scores file has no file name` };
    if (!/^\d\d$/.test(exercise ?? '')) return { ok: false, error: `line ${line} of the scores file: "${exercise ?? ''}" is not an exercise id like 03` };
    if (points === undefined || points === '') continue; // not scored yet
    const p = Number(points);
    if (!/^\d+(\.\d+)?$/.test(points) || p > MAX_MANUAL_POINTS) return { ok: false, error: `line ${line} of the scores file: "${points}" is not a number of points from 0 to ${MAX_MANUAL_POINTS}` };
    scores.push({ learner: learner ?? '', file, exercise, points: p });
  }
  return { ok: true, scores };
}

/**
 * Merges manual scores into a report: each exercise's `manualPoints`, each learner's total (which then includes
 * them) and `total.manualPoints`. A score for a file or exercise the report does not have is an error, so no score
 * is silently lost; the report is left unchanged then.
 */
export function mergeManualScores(r: InstructorReport, scores: ManualScore[], source: string): { ok: true; report: InstructorReport } | { ok: false; error: string } {
  const byFile = new Map(r.learners.map((l) => [l.file, l]));
  for (const s of scores) {
    const l = byFile.get(s.file);
    if (!l) return { ok: false, error: `the scores file names ${s.file} (${s.learner}), which is not a graded file of this report` };
    if (!l.exercises.some((e) => e.exerciseId === s.exercise)) return { ok: false, error: `the scores file gives points for exercise ${s.exercise}, which this course does not have` };
  }
  const report: InstructorReport = structuredClone(r);
  for (const l of report.learners) {
    const mine = scores.filter((s) => s.file === l.file);
    if (!mine.length) continue;
    for (const e of l.exercises) {
      const s = mine.filter((x) => x.exercise === e.exerciseId).at(-1);
      if (s) e.manualPoints = s.points;
    }
    const auto = l.exercises.reduce((a, e) => a + e.result.total.points, 0);
    const manual = l.exercises.reduce((a, e) => a + (e.manualPoints ?? 0), 0);
    l.total = { ...l.total, points: Math.round((auto + manual) * 100) / 100, manualPoints: Math.round(manual * 100) / 100 };
  }
  report.provenance.manualScores = source;
  return { ok: true, report };
}
