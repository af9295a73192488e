// Part (c) on the page: choosing an option shows its explanation (all of them once the right one is chosen) and
// records the part as passed; every choice is recorded in order with its time (the instructor may grade the first);
// the free-text answer is kept with the exercise's work.
import { markExerciseParts } from '../progress/store';
import { $, isCorrectChoice, type WorkspaceData } from './data';
import { refreshProgress } from './progress-view';
import { HISTORY_LIMITS } from './history';
import type { Work } from './saved';

function show(root: HTMLElement, data: WorkspaceData, choice: string | null): void {
  const solved = isCorrectChoice(data, choice);
  for (const box of root.querySelectorAll<HTMLElement>('[data-choice]')) {
    const input = box.querySelector('input')!;
    input.checked = box.dataset.choice === choice;
    const open = solved || box.dataset.choice === choice;
    box.querySelector<HTMLElement>('.amm-ws__explanation')!.hidden = !open;
    box.classList.toggle('is-chosen', input.checked);
    // Written only once the explanation is shown, so the page never holds the verdict of an unchosen option.
    box.querySelector<HTMLElement>('[data-verdict-prefix]')!.textContent = open ? (isCorrectChoice(data, box.dataset.choice) ? 'Correct. ' : 'Not quite. ') : '';
  }
  $(root, '[data-verdict]').textContent = choice === null ? '' : solved ? 'Part (c) passed.' : 'Not this one — read why, then try again.';
}

/** Wires the radio buttons and the free-text box of part (c). */
export function wireConcept(root: HTMLElement, data: WorkspaceData, work: Work, storageStatus: (e: string | null) => void): void {
  show(root, data, work.value.choice);
  for (const input of root.querySelectorAll<HTMLInputElement>('[data-concept] input[type="radio"]')) {
    input.addEventListener('change', () => {
      if (!input.checked) return;
      work.update({ choice: input.value });
      work.record((h) => void (h.choices.length < HISTORY_LIMITS.choices && h.choices.push({ choice: input.value, at: new Date().toISOString() })));
      show(root, data, input.value);
      if (isCorrectChoice(data, input.value)) {
        const saved = markExerciseParts(data.id, { c: true });
        refreshProgress(saved.value);
        if (!saved.ok) storageStatus(saved.error);
      }
    });
  }
  const free = $<HTMLTextAreaElement>(root, '[data-free]');
  free.value = work.value.freeText;
  free.addEventListener('input', () => work.update({ freeText: free.value }));
  work.onChange(() => {
    if (free.value !== work.value.freeText) free.value = work.value.freeText;
    const checked = root.querySelector<HTMLInputElement>('[data-concept] input:checked')?.value ?? null;
    if (checked !== work.value.choice) show(root, data, work.value.choice);
  });
}
