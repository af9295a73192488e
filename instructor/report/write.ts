// Writes the report formats (and the LMS gradebook files) into the output folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradesCsv } from './csv';
import { gradescopeResults } from './gradescope';
import { reportHtml } from './html';
import { canvasCsv, moodleCsv } from './lms';
import type { InstructorReport } from './schema';

/** Writes report.json, report.html, grades.csv and results/<learner>.json; returns the paths written. */
export function writeReports(out: string, r: InstructorReport): string[] {
  mkdirSync(join(out, 'results'), { recursive: true });
  const written: string[] = [];
  const put = (rel: string, text: string) => {
    const p = join(out, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(p);
  };
  put('report.json', JSON.stringify(r));
  put('report.html', reportHtml(r));
  put('grades.csv', gradesCsv(r.exercises, r.learners));
  put('canvas.csv', canvasCsv(r));
  put('moodle.csv', moodleCsv(r));
  for (const l of r.learners) put(l.resultsFile, JSON.stringify(gradescopeResults(r.exercises, l, r.provenance.seed.secret), null, 1));
  return written;
}
