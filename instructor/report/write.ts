// Writes the report formats (and the LMS gradebook files) into the output folder, one learner at a time: no file's
// whole text is ever one string (report/stream.ts; learner pages and report.html are written section by section),
// and only the slim rows (report/slim.ts) are kept for the gradebooks and report.html's index, so a class of any
// size can be written.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradesCsv } from './csv';
import { failedResults, gradescopeResults } from './gradescope';
import { learnerPage, LEARNERS_PER_PAGE, pageFile, reportPage, safeLearnerSection, sectionContext, type PageParts } from './html';
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
  const folders = new Set<string>();
  /** The path of `rel` in the output folder, its folder made (once per folder). */
  const place = (rel: string) => {
    const p = join(out, rel);
    const dir = dirname(p);
    if (!folders.has(dir)) {
      mkdirSync(dir, { recursive: true });
      folders.add(dir);
    }
    return p;
  };
  const put = (rel: string, text: string) => {
    const p = place(rel);
    writeFileSync(p, text);
    written.push(p);
  };
  /** Writes a page around learner sections, each written as it is: a page of them is never joined into one string. */
  const openPage = (rel: string, parts: PageParts) => {
    const path = place(rel);
    const fd = openSync(path, 'w');
    writeSync(fd, parts.before);
    let first = true;
    return {
      fd,
      add(section: string) {
        if (!first) writeSync(fd, '\n');
        first = false;
        writeSync(fd, section);
      },
      close() {
        try {
          writeSync(fd, parts.after);
        } finally {
          closeSync(fd);
        }
        written.push(path);
      },
    };
  };
  const paged = count > LEARNERS_PER_PAGE;
  const pages = Math.ceil(count / LEARNERS_PER_PAGE);
  const ctx = sectionContext(head, paged);
  const htmlFault = fault && ((l: LearnerReport) => fault('html', l.file));
  const slim: LearnerReport[] = [];
  const inline: string[] = [];
  let page: ReturnType<typeof openPage> | null = null;
  /** Finishes the open learner page; it is no longer open even if finishing it throws. */
  const endPage = () => {
    const p = page;
    page = null;
    p?.close();
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
        page ??= openPage(pageFile(Math.floor(i / LEARNERS_PER_PAGE)), learnerPage(head, Math.floor(i / LEARNERS_PER_PAGE), pages, count));
        page.add(section);
        if ((i + 1) % LEARNERS_PER_PAGE === 0) endPage();
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
    endPage();
    json.end();
  } finally {
    closeSync(fd);
    if (page) closeSync(page.fd);
  }
  written.unshift(jsonPath);
  const r: InstructorReport = { ...head, learners: slim };
  const html = openPage('report.html', reportPage(r, paged));
  try {
    for (const section of inline) html.add(section);
  } finally {
    html.close();
  }
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
