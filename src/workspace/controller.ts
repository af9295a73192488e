// The workspace once it is about to be seen: Monaco replaces the textarea, the sandbox and the grader warm up,
// and the toolbar's actions (Run, reset and its undo, solution, export, import) come alive.
import { recordExerciseRun } from '../progress/store';
import type { Booted } from './boot';
import { textareaEditor, type CodeEditor } from './code-editor';
import { $ } from './data';
import { refreshProgress } from './progress-view';
import { appendLog, clearLog, renderReport } from './results';
import { checkResult, prewarm, runAhead, runExercise, type RunReport } from './runner';
import { GradeResult } from '../../graders/lib/result';
import { transpile } from '../sandbox/transpile';
import { exportSubmission, importSubmission } from './transfer';

const solutions = import.meta.glob<string>('../../exercises/*/solution.ts', { query: '?raw', import: 'default' });

/** A mounted workspace. */
interface Mounted extends Booted {
  editor: CodeEditor;
  running: boolean;
  beforeReset: string | null;
  lastReport: RunReport | null;
}

const mounted = new Map<HTMLElement, Mounted>();

/** Test and debugging hook: set or read a workspace's code by exercise id (the editor auto-closes brackets when typed). */
declare global {
  interface Window {
    __amm?: { setCode(id: string, text: string): void; getCode(id: string): string; run(id: string): Promise<void> };
  }
}
const byId = (id: string) => [...mounted.values()].find((m) => m.data.id === id);
window.__amm ??= {
  setCode: (id, text) => byId(id)?.editor.setValue(text),
  getCode: (id) => byId(id)?.editor.getValue() ?? '',
  run: async (id) => {
    const m = byId(id);
    if (m) await run(m);
  },
};

/** Creates the editor (Monaco, or the textarea if Monaco fails) and warms the sandbox and the grader. */
export async function mount(b: Booted): Promise<void> {
  if (mounted.has(b.root)) return;
  const textarea = $<HTMLTextAreaElement>(b.root, '.amm-ws__fallback');
  const m: Mounted = { ...b, editor: textareaEditor(textarea), running: false, beforeReset: null, lastReport: null };
  mounted.set(b.root, m);
  prewarm(b.data.id, b.data.starter);
  try {
    const { createMonacoEditor } = await import('./monaco-editor');
    const label = `Your code for exercise ${b.data.id}`;
    const editor = await createMonacoEditor($(b.root, '[data-editor]'), b.data.slug, b.work.value.code, label, () => void run(m));
    textarea.hidden = true;
    m.editor = editor;
    b.root.dataset.editor = 'monaco';
    performance.mark('amm:editable');
    editor.languageReady
      ?.then(() => {
        performance.mark('amm:intellisense');
        b.root.dataset.intellisense = 'ready';
      })
      .catch(() => {});
  } catch (e) {
    b.root.dataset.editor = 'textarea';
    $(b.root, '[data-live]').textContent = `The code editor could not load (${e instanceof Error ? e.message : String(e)}); the plain text box works too.`;
  }
  let ahead: ReturnType<typeof setTimeout> | undefined;
  m.editor.onChange(() => {
    b.work.update({ code: m.editor.getValue() });
    // While the learner pauses, the code is transpiled and its next Run started (a Run of this code then only
    // grades the answers already there).
    clearTimeout(ahead);
    ahead = setTimeout(() => {
      const code = m.editor.getValue();
      void transpile(code);
      runAhead(b.data.id, code, b.data.timeLimitMs);
    }, AHEAD_AFTER_MS);
    if (m.beforeReset !== null && m.editor.getValue() !== b.data.starter) hideUndo(m);
  });
  showSavedResult(m);
  // Another workspace (or an import) changed the saved work: follow it.
  b.work.onChange(() => {
    if (b.work.value.code !== m.editor.getValue()) m.editor.setValue(b.work.value.code);
    if (!m.running && b.work.value.lastResult !== shownResult.get(m)) {
      m.lastReport = null;
      showSavedResult(m);
    }
  });
}

/** The saved result each workspace shows (or its own Run's), so a change elsewhere re-renders only a new one. */
const shownResult = new WeakMap<Mounted, unknown>();

/** After a reload (or an import) the last Run's saved result is shown again instead of an empty panel. */
function showSavedResult(m: Mounted): void {
  shownResult.set(m, m.work.value.lastResult);
  const saved = GradeResult.safeParse(m.work.value.lastResult);
  if (!saved.success || m.lastReport) return;
  renderReport(m.root, { result: saved.data, loadFailure: null, logs: [], ms: 0 }, m.data);
  const at = m.work.value.history.lastRunAt;
  const when = at ? ` from ${new Date(at).toLocaleString()}` : '';
  const time = m.root.querySelector('[data-results] .amm-results__time');
  if (time) time.textContent = ` (your last Run${when}, seed ${saved.data.seed}; press Run to check your code again)`;
  m.root.dataset.verdict = saved.data.allPassed ? 'pass' : 'fail';
  m.root.dataset.restored = 'true';
}

/** The pause after an edit before the code's next Run is started ahead of its click. */
const AHEAD_AFTER_MS = 100;

/** A Run still going after this long shows "Running your code…" (and the Run button is marked busy). */
const BUSY_AFTER_MS = 150;

/** Resolves after the next frame has been painted (or soon, in a hidden tab that paints no frames). */
function nextPaint(): Promise<void> {
  return new Promise((done) => {
    requestAnimationFrame(() => setTimeout(done, 0));
    setTimeout(done, 100);
  });
}

function hideUndo(m: Mounted): void {
  m.beforeReset = null;
  $(m.root, '[data-action="undo-reset"]').hidden = true;
}

async function run(m: Mounted): Promise<void> {
  if (m.running) return;
  m.running = true;
  const { root, data, work } = m;
  const button = $<HTMLButtonElement>(root, '[data-action="run"]');
  const status = $(root, '[data-live]');
  root.dataset.running = 'true';
  // Most Runs answer within a blink: "Running…" appears only for one that does not, so a quick Run paints (and
  // announces) its verdict alone, without a busy state flashing first and a frame drawn for it on the way.
  const busy = setTimeout(() => {
    button.setAttribute('aria-busy', 'true');
    status.textContent = 'Running your code…';
  }, BUSY_AFTER_MS);
  clearLog(root);
  m.editor.clearError();
  const code = m.editor.getValue();
  try {
    work.update({ code }, true);
    const answers = { c: work.value.choice ?? undefined, freeText: work.value.freeText || undefined };
    let verdictShown = false;
    const report = await runExercise(data.id, code, answers, {
      timeLimitMs: data.timeLimitMs,
      onLog: (l) => appendLog(root, l),
      // A failing Run's verdict is painted first; the smallest failing cases and known mistakes follow.
      onVerdict: (early) => {
        clearTimeout(busy);
        status.textContent = renderReport(root, early, data, { pending: true });
        performance.mark('amm:verdict');
        verdictShown = true;
        return nextPaint();
      },
    });
    clearTimeout(busy);
    m.lastReport = report;
    const summary = renderReport(root, report, data);
    if (status.textContent !== summary) status.textContent = summary;
    performance.mark(verdictShown ? 'amm:complete' : 'amm:verdict');
    if (report.loadFailure?.line) m.editor.showError(report.loadFailure.line, report.loadFailure.column ?? 1, report.loadFailure.message);
    // The verdict is painted before the result is checked and saved (the code itself was saved before the Run).
    await nextPaint();
    const r = report.result;
    const full = (p: 'a' | 'b' | 'c') => Boolean(r && r.parts[p].total > 0 && r.parts[p].passed === r.parts[p].total);
    const saved = recordExerciseRun(data.id, { a: full('a'), b: full('b'), c: full('c') });
    refreshProgress(saved.value);
    if (!saved.ok) m.storageStatus(saved.error);
    // The result and the history are saved with the next autosave (a fraction of a second later, or when the page
    // is left): writing a large result at once would hold the page's thread just after the verdict is painted.
    work.update({ attempted: true, lastResult: r ? checkResult(r) : work.value.lastResult });
    shownResult.set(m, work.value.lastResult);
    const now = new Date().toISOString();
    work.record((h) => {
      h.runs += 1;
      h.firstRunAt ??= now;
      h.lastRunAt = now;
      if (full('a') && full('b')) h.passedAt ??= now;
    }, false);
    delete root.dataset.restored;
    $<HTMLButtonElement>(root, '[data-action="reveal"]').disabled = false;
    $(root, '[data-reveal-note]').hidden = true;
    root.dataset.verdict = r ? (r.allPassed ? 'pass' : 'fail') : 'load-error';
  } catch (e) {
    status.textContent = `The Run could not finish: ${e instanceof Error ? e.message : String(e)}`;
    root.dataset.verdict = 'error';
  } finally {
    clearTimeout(busy);
    m.running = false;
    // Edits made during the Run were not run ahead.
    const now = m.editor.getValue();
    if (now !== code) runAhead(data.id, now, data.timeLimitMs);
    button.removeAttribute('aria-busy');
    delete root.dataset.running;
    root.dataset.runs = String(Number(root.dataset.runs ?? 0) + 1);
  }
}

function reset(m: Mounted): void {
  const current = m.editor.getValue();
  if (current === m.data.starter) return;
  m.editor.setValue(m.data.starter);
  m.beforeReset = current;
  const undo = $<HTMLButtonElement>(m.root, '[data-action="undo-reset"]');
  undo.hidden = false;
  undo.focus();
  $(m.root, '[data-live]').textContent = 'Your code was reset to the starter. “Undo reset” (or Ctrl/⌘+Z in the editor) brings it back.';
}

function undoReset(m: Mounted): void {
  if (m.beforeReset === null) return;
  m.editor.setValue(m.beforeReset);
  hideUndo(m);
  $(m.root, '[data-live]').textContent = 'Your code is back.';
  m.editor.focus();
}

async function reveal(m: Mounted): Promise<void> {
  const pane = $(m.root, '[data-solution]');
  if (!pane.hidden) return;
  if (!m.work.value.attempted) return;
  if (!window.confirm('Show the reference solution? It appears beside your code; your code is not changed.')) return;
  const load = solutions[`../../exercises/${m.data.slug}/solution.ts`];
  if (!load) return;
  const text = await load();
  const view = $(m.root, '[data-solution-view]');
  try {
    const { createReadOnlyView } = await import('./monaco-editor');
    pane.hidden = false;
    createReadOnlyView(view, m.data.slug, text);
  } catch {
    const pre = document.createElement('pre');
    pre.textContent = text;
    view.replaceChildren(pre);
    pane.hidden = false;
  }
  m.root.dataset.solution = 'shown';
  m.work.record((h) => void (h.solutionRevealedAt ??= new Date().toISOString()));
  $<HTMLButtonElement>(m.root, '[data-action="reveal"]').disabled = true;
  $(m.root, '[data-live]').textContent = 'The reference solution is shown beside your code (read-only).';
}

/** Performs a toolbar action on the workspace `root` (mounting it first if needed). */
export async function act(root: HTMLElement, action: string): Promise<void> {
  const m = mounted.get(root);
  if (!m) return;
  switch (action) {
    case 'run':
      return run(m);
    case 'reset':
      return reset(m);
    case 'undo-reset':
      return undoReset(m);
    case 'reveal':
      return reveal(m);
    case 'export':
    case 'export-now':
      return exportSubmission(m.root, m.data);
    case 'import':
      return importSubmission(m.root, m.data);
  }
}

