// First script of an exercise workspace (kept small: it ships before the editor is visible). It restores the
// saved code into the plain textarea, autosaves it, shows progress, hints and part (c), and loads the editor,
// sandbox and grader only when the workspace is about to be seen (or at once when the learner presses Run).
import { whenVisible } from '../components/demos/when-visible';
import { loadProgress } from '../progress/store';
import { $, readData, type WorkspaceData } from './data';
import { Work, pageWorks } from './saved';
import { showProgress } from './progress-view';
import { wireHints } from './hints';
import { wireConcept } from './concept';

/** A workspace before and after its controller (editor, runner) has loaded. */
export interface Booted {
  root: HTMLElement;
  data: WorkspaceData;
  work: Work;
  /** Shows (or clears) a storage problem. */
  storageStatus(error: string | null): void;
}

function bootOne(root: HTMLElement): void {
  const data = readData(root);
  const banner = $(root, '.amm-ws__storage');
  const storageStatus = (error: string | null) => {
    banner.hidden = !error;
    if (error) $(root, '.amm-ws__storage-text').textContent = `Your work is kept on this page but not saved: ${error}. Export it before leaving.`;
  };
  const work = new Work(data.id, data.starter, storageStatus);
  pageWorks.set(data.id, work);
  const booted: Booted = { root, data, work, storageStatus };

  const textarea = $<HTMLTextAreaElement>(root, '.amm-ws__fallback');
  textarea.value = work.value.code;
  textarea.addEventListener('input', () => work.update({ code: textarea.value }));

  const progress = loadProgress();
  showProgress(root, progress.value.exercises[data.id]);
  if (!progress.ok) storageStatus(progress.error);
  wireHints(root, work);
  wireConcept(root, data, work, storageStatus);
  const reveal = $<HTMLButtonElement>(root, '[data-action="reveal"]');
  reveal.disabled = !work.value.attempted;
  $(root, '[data-reveal-note]').hidden = work.value.attempted;

  // Everything heavier loads once, on first sight or first use.
  let controller: Promise<typeof import('./controller')> | null = null;
  const load = () => (controller ??= import('./controller').then(async (m) => (await m.mount(booted), m)));
  whenVisible($(root, '[data-editor]'), load);
  root.addEventListener('click', (e) => {
    const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action && action !== 'hint') void load().then((m) => m.act(root, action));
  });
  root.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target === textarea) {
      e.preventDefault();
      void load().then((m) => m.act(root, 'run'));
    }
  });
  $<HTMLInputElement>(root, '[data-import]').addEventListener('change', () => void load().then((m) => m.act(root, 'import')));
}

/** Boots every workspace on the page. */
export function boot(): void {
  for (const root of document.querySelectorAll<HTMLElement>('[data-amm-ws]')) bootOne(root);
}
