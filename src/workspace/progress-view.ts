// Shows an exercise's recorded progress (parts passed, Runs) in the workspace header.
import type { ExerciseProgress } from '../progress/store';
import { markSidebar } from '../chrome/sidebar-progress';
import type { Progress } from '../progress/store';

/** Updates the header's part marks and Run count. */
export function showProgress(root: HTMLElement, p: ExerciseProgress | undefined): void {
  for (const part of ['a', 'b', 'c'] as const) {
    const el = root.querySelector<HTMLElement>(`[data-progress] [data-part="${part}"]`);
    if (!el) continue;
    const ok = Boolean(p?.parts[part]);
    el.textContent = ok ? `✓ (${part}) passed` : `(${part}) not passed yet`;
    el.classList.toggle('is-passed', ok);
  }
  const n = p?.attempts ?? 0;
  const runs = root.querySelector('[data-progress] [data-attempts]');
  if (runs) runs.textContent = `${n} ${n === 1 ? 'run' : 'runs'}`;
}

/** After progress changed: refresh every workspace header on the page and the sidebar marks. */
export function refreshProgress(progress: Progress): void {
  for (const root of document.querySelectorAll<HTMLElement>('[data-amm-ws]')) showProgress(root, progress.exercises[root.dataset.ammWs!]);
  markSidebar(progress);
}
