// Writes the report formats (and the LMS gradebook files) into the output folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradesCsv } from './csv';
import { failedResults, gradescopeResults } from './gradescope';
import { reportHtml } from './html';
import { canvasCsv, moodleCsv } from './lms';
import type { InstructorReport } from './schema';

/** Test seam: throws for a (stage, learner file) to simulate a failure while writing that learner's part. */
export type WriteFault = (stage: 'html' | 'results', file: string) => void;

/**
 * Writes report.json, report.html, grades.csv and results/<learner>.json; returns the paths written. A failure
 * rendering one learner's part becomes an error in that place; the other learners and files are still written.
 */
export function writeReports(out: string, r: InstructorReport, fault?: WriteFault): string[] {
  mkdirSync(join(out, 'results'), { recursive: true });
  const written: string[] = [];
  const put = (rel: string, text: string) => {
    const p = join(out, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(p);
  };
  put('report.json', JSON.stringify(r));
  put('report.html', reportHtml(r, fault && ((l) => fault('html', l.file))));
  put('grades.csv', gradesCsv(r.exercises, r.learners));
  put('canvas.csv', canvasCsv(r));
  put('moodle.csv', moodleCsv(r));
  for (const l of r.learners) {
    let text: string;
    try {
      fault?.('results', l.file);
      text = JSON.stringify(gradescopeResults(r.exercises, l, r.provenance.seed.secret), null, 1);
    } catch (e) {
      text = JSON.stringify(failedResults(l, e), null, 1);
    }
    put(l.resultsFile, text);
  }
  return written;
}
