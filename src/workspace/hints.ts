// Hints open one at a time, in order; how many are open is saved with the exercise's work, and each opening is
// recorded (which hint, when) in the exercise's history for the instructor.
import { $ } from './data';
import { HISTORY_LIMITS } from './history';
import type { Work } from './saved';

/** Shows the first `n` hints and labels the button for the next one. */
function show(root: HTMLElement, n: number): void {
  const items = [...root.querySelectorAll<HTMLLIElement>('[data-hints] li')];
  items.forEach((li, i) => (li.hidden = i >= n));
  const button = $<HTMLButtonElement>(root, '[data-action="hint"]');
  button.hidden = n >= items.length;
  button.textContent = `Show hint ${Math.min(n + 1, items.length)} of ${items.length}`;
}

/** Wires the "Show hint" button; the newly opened hint gets the focus so screen readers read it. */
export function wireHints(root: HTMLElement, work: Work): void {
  show(root, work.value.hintsShown);
  $(root, '[data-action="hint"]').addEventListener('click', () => {
    const n = work.value.hintsShown + 1;
    work.update({ hintsShown: n });
    work.record((h) => void (h.hints.length < HISTORY_LIMITS.hints && h.hints.push({ index: n - 1, at: new Date().toISOString() })));
    show(root, n);
    const li = root.querySelectorAll<HTMLLIElement>('[data-hints] li')[n - 1];
    if (li) {
      li.tabIndex = -1;
      li.focus();
    }
  });
}
