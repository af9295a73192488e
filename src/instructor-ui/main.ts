// The instructor page: open a report.json (from `npm run grade -- … --out dir`) and see the class overview, or
// drop learners' submission files to grade them here in the browser's sandbox (the one learners' runs use).
import { parseReport, type InstructorReport } from '../../instructor/report/schema';
import type { ConceptPolicy } from '../workspace/submission';
import { gradeDropped, type CourseData } from './grade-dropped';
import { renderOverview } from './render';
import { Scores } from './review';

/** Largest report.json opened (reports carry every learner's code). */
const MAX_REPORT_BYTES = 200 * 1024 * 1024;

const root = document.querySelector<HTMLElement>('[data-instructor]');
if (root) setUp(root);

function setUp(root: HTMLElement) {
  const course = JSON.parse(root.dataset.course ?? '{}') as CourseData;
  const status = root.querySelector<HTMLElement>('[data-status]')!;
  const error = root.querySelector<HTMLElement>('[data-error]')!;
  const view = root.querySelector<HTMLElement>('[data-view]')!;
  const reportInput = root.querySelector<HTMLInputElement>('[data-report]')!;
  const subsInput = root.querySelector<HTMLInputElement>('[data-submissions]')!;
  const seedInput = root.querySelector<HTMLInputElement>('[data-seed]')!;
  const scoresInput = root.querySelector<HTMLInputElement>('[data-scores]')!;
  const conceptInput = root.querySelector<HTMLSelectElement>('[data-concept]')!;
  /** The report on the page and its manual scores (for a scores file opened later). */
  let current: { report: InstructorReport; scores: Scores } | null = null;
  const drop = root.querySelector<HTMLElement>('[data-drop]')!;
  let busy = false;

  const say = (t: string) => {
    status.textContent = t;
  };
  const fail = (t: string) => {
    error.textContent = t;
    error.hidden = !t;
  };
  const setBusy = (b: boolean) => {
    busy = b;
    for (const i of [reportInput, subsInput, seedInput, scoresInput, conceptInput]) i.disabled = b;
    root.toggleAttribute('data-busy', b);
  };

  /** Reads a chosen file's text, or says why not. */
  async function read(f: File, max: number): Promise<string | null> {
    if (f.size > max) {
      fail(`${f.name}: the file is ${(f.size / 1048576).toFixed(0)} MB, too large.`);
      return null;
    }
    try {
      return await f.text();
    } catch {
      fail(`${f.name}: the file could not be read.`);
      return null;
    }
  }

  /** Shows a report, with the manual scores it holds and those of a scores file (if one was opened with it). */
  function show(report: InstructorReport, scoresFile: { name: string; text: string } | null, what: string): void {
    const scores = new Scores(report);
    let note = '';
    if (scoresFile) {
      const restored = scores.restore(scoresFile.text);
      if (restored.ok) note = ` ${restored.count} manual score${restored.count === 1 ? '' : 's'} restored from ${scoresFile.name}.`;
      else fail(`${scoresFile.name} was not applied: ${restored.error}.`);
    }
    current = { report, scores };
    renderOverview(view, report, scores);
    say(`${what}${note}`);
  }

  // A report.json, optionally chosen together with a scores file (CSV) that restores the free-text points.
  reportInput.addEventListener('change', async () => {
    const chosen = [...(reportInput.files ?? [])];
    reportInput.value = '';
    if (!chosen.length || busy) return;
    fail('');
    const csv = chosen.find((f) => /\.csv$/i.test(f.name));
    const f = chosen.find((x) => x !== csv);
    if (!f) return fail(`${csv!.name} is a scores file; choose it together with its report.json (or open the report first).`);
    const text = await read(f, MAX_REPORT_BYTES);
    if (text === null) return;
    const r = parseReport(text);
    if (!r.ok) {
      view.replaceChildren();
      current = null;
      say('');
      return fail(`${f.name} could not be opened: ${r.error}.`);
    }
    const scoresText = csv ? await read(csv, 20 * 1024 * 1024) : null;
    show(r.value, csv && scoresText !== null ? { name: csv.name, text: scoresText } : null, `${f.name}: report opened — ${r.value.overview.learners} learners.`);
  });

  // A scores file on its own applies to the report on the page.
  scoresInput.addEventListener('change', async () => {
    const f = scoresInput.files?.[0];
    scoresInput.value = '';
    if (!f || busy) return;
    fail('');
    if (!current) return fail(`Open a report first: ${f.name} holds scores for a report's learners.`);
    const text = await read(f, 20 * 1024 * 1024);
    if (text !== null) show(current.report, { name: f.name, text }, 'Report shown again with the scores file.');
  });

  /** Reads the seed field: a whole number 0 … 2³¹−1 (the command line's --seed), or null with a message. */
  function seed(): number | null {
    const v = seedInput.value.trim();
    if (!/^\d{1,10}$/.test(v) || Number(v) > 2 ** 31 - 1) {
      fail(`The seed must be a whole number from 0 to ${2 ** 31 - 1} (the command line's --seed; 1 unless you chose another).`);
      seedInput.focus();
      return null;
    }
    return Number(v);
  }

  async function gradeFiles(files: File[]) {
    if (!files.length || busy) return;
    fail('');
    const s = seed();
    if (s === null) return;
    setBusy(true);
    view.replaceChildren();
    say(`Grading ${files.length} file${files.length > 1 ? 's' : ''} in this browser…`);
    try {
      const report = await gradeDropped(files, course, s, say, conceptInput.value as ConceptPolicy);
      current = { report, scores: new Scores(report) };
      renderOverview(view, report, current.scores);
      const rej = report.overview.filesRejected;
      say(`Graded ${report.overview.learners} learner${report.overview.learners === 1 ? '' : 's'} with seed ${s}; ${rej} file${rej === 1 ? '' : 's'} rejected.`);
      if (rej) fail(`${rej} file${rej === 1 ? ' was' : 's were'} not graded — see "Rejected files" below.`);
    } catch (err) {
      say('');
      fail(`Grading stopped: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }

  subsInput.addEventListener('change', () => {
    const files = [...(subsInput.files ?? [])];
    subsInput.value = '';
    void gradeFiles(files);
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    drop.classList.add('amm-drop-active');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('amm-drop-active'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('amm-drop-active');
    void gradeFiles([...(e.dataTransfer?.files ?? [])]);
  });
  // A file dropped elsewhere on the page must not navigate away from it.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  root.dataset.ready = '';
}
