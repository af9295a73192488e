// The instructor page: open a report.json (from `npm run grade -- … --out dir`) and see the class overview, or
// drop learners' submission files to grade them here in the browser's sandbox.
import { parseReport } from '../../instructor/report/schema';
import { gradeDropped, type CourseData } from './grade-dropped';
import { renderOverview } from './render';

const root = document.querySelector<HTMLElement>('[data-instructor]')!;
const course = JSON.parse(root.dataset.course ?? '{}') as CourseData;
const status = root.querySelector<HTMLElement>('[data-status]')!;
const view = root.querySelector<HTMLElement>('[data-view]')!;
const say = (t: string) => (status.textContent = t);

root.querySelector<HTMLInputElement>('[data-report]')!.addEventListener('change', async (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (!f) return;
  const r = parseReport(await f.text());
  if (!r.ok) return say(`${f.name}: ${r.error}`);
  say(`${f.name}: report opened.`);
  renderOverview(view, r.value);
});

async function gradeFiles(files: File[]) {
  if (!files.length) return;
  say(`grading ${files.length} file(s) in this browser…`);
  try {
    const report = await gradeDropped(files, course, 1, say);
    say(`graded ${report.overview.learners} learner(s); ${report.overview.filesRejected} file(s) rejected.`);
    renderOverview(view, report);
  } catch (err) {
    say(`grading stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
}

root.querySelector<HTMLInputElement>('[data-submissions]')!.addEventListener('change', (e) => void gradeFiles([...((e.target as HTMLInputElement).files ?? [])]));
const drop = root.querySelector<HTMLElement>('[data-drop]')!;
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('amm-drop-active');
});
drop.addEventListener('dragleave', () => drop.classList.remove('amm-drop-active'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('amm-drop-active');
  void gradeFiles([...(e.dataTransfer?.files ?? [])]);
});
