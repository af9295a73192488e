// The instructor page: open a report.json (from `npm run grade -- … --out dir`) and see the class overview, or
// drop learners' submission files to grade them here in the browser's sandbox (the one learners' runs use).
import { parseReport } from '../../instructor/report/schema';
import { gradeDropped, type CourseData } from './grade-dropped';
import { renderOverview } from './render';

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
    for (const i of [reportInput, subsInput, seedInput]) i.disabled = b;
    root.toggleAttribute('data-busy', b);
  };

  reportInput.addEventListener('change', async () => {
    const f = reportInput.files?.[0];
    reportInput.value = '';
    if (!f || busy) return;
    fail('');
    if (f.size > MAX_REPORT_BYTES) return fail(`${f.name}: the file is ${(f.size / 1048576).toFixed(0)} MB, too large for a report.json.`);
    let text: string;
    try {
      text = await f.text();
    } catch {
      return fail(`${f.name}: the file could not be read.`);
    }
    const r = parseReport(text);
    if (!r.ok) {
      view.replaceChildren();
      say('');
      return fail(`${f.name} could not be opened: ${r.error}.`);
    }
    renderOverview(view, r.value);
    say(`${f.name}: report opened — ${r.value.overview.learners} learners.`);
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
      const report = await gradeDropped(files, course, s, say);
      renderOverview(view, report);
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
