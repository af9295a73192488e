// Writes the report formats (and the LMS gradebook files) into the output folder, one learner at a time: no file's
// whole text is ever one string (report/stream.ts), and only the slim rows (report/slim.ts) are kept for the
// gradebooks and report.html's index, so a class of any size can be written.
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradesCsv } from './csv';
import { failedResults, gradescopeResults } from './gradescope';
import { learnerPageHtml, LEARNERS_PER_PAGE, pageFile, reportPageHtml, safeLearnerSection, sectionContext } from './html';
import { canvasCsv, moodleCsv } from './lms';
import type { InstructorReport, LearnerReport } from './schema';
import { slimLearner } from './slim';
import { ReportJsonWriter, type ReportHead } from './stream';

/** Test seam: throws for a (stage, learner file) to simulate a failure while writing that learner's part. */
export type WriteFault = (stage: 'html' | 'results', file: string) => void;

/**
 * Writes report.json, report.html (with learner pages beyond LEARNERS_PER_PAGE learners), grades.csv, canvas.csv,
 * moodle.csv and results/<learner>.json from a report's head and its learners, read once in report order (`count`
 * of them, as in the head's overview). A failure rendering one learner's part becomes an error in that place; the
 * other learners and files are still written. Returns the paths written.
 */
export function writeReportStream(out: string, head: ReportHead, learners: Iterable<LearnerReport>, count: number, fault?: WriteFault): string[] {
  mkdirSync(join(out, 'results'), { recursive: true });
  const written: string[] = [];
  const put = (rel: string, text: string) => {
    const p = join(out, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(p);
  };
  const paged = count > LEARNERS_PER_PAGE;
  const ctx = sectionContext(head, paged);
  const htmlFault = fault && ((l: LearnerReport) => fault('html', l.file));
  const slim: LearnerReport[] = [];
  const inline: string[] = [];
  let pageSections: string[] = [];
  const flushPage = () => {
    const p = Math.floor((slim.length - 1) / LEARNERS_PER_PAGE);
    put(pageFile(p), learnerPageHtml(head, p, Math.ceil(count / LEARNERS_PER_PAGE), count, pageSections.join('\n')));
    pageSections = [];
  };
  const jsonPath = join(out, 'report.json');
  const fd = openSync(jsonPath, 'w');
  try {
    const json = new ReportJsonWriter(fd, head);
    for (const l of learners) {
      json.add(l);
      const i = slim.length;
      slim.push(slimLearner(l));
      const section = safeLearnerSection(ctx, l, i, htmlFault);
      if (!paged) inline.push(section);
      else {
        pageSections.push(section);
        if (pageSections.length === LEARNERS_PER_PAGE) flushPage();
      }
      let text: string;
      try {
        fault?.('results', l.file);
        text = JSON.stringify(gradescopeResults(head.exercises, l, head.provenance.seed.secret), null, 1);
      } catch (e) {
        text = JSON.stringify(failedResults(l, e), null, 1);
      }
      put(l.resultsFile, text);
    }
    if (pageSections.length) flushPage();
    json.end();
  } finally {
    closeSync(fd);
  }
  written.unshift(jsonPath);
  const r: InstructorReport = { ...head, learners: slim };
  put('report.html', reportPageHtml(r, paged ? null : inline.join('\n')));
  put('grades.csv', gradesCsv(r.exercises, slim));
  put('canvas.csv', canvasCsv(r));
  put('moodle.csv', moodleCsv(r));
  return written;
}

/** Writes every report file of a report held in memory (see writeReportStream). */
export function writeReports(out: string, r: InstructorReport, fault?: WriteFault): string[] {
  const { learners, ...head } = r;
  return writeReportStream(out, head, learners, learners.length, fault);
}
