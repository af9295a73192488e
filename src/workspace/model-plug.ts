// First script of "Your attention runs the model" (kept small): unlocks the button once part (b) of the exercise
// has passed in this browser, and loads the runner (model, sandbox) only when the learner presses it.
import { loadProgress } from '../progress/store';

function wireOne(section: HTMLElement): void {
  const id = section.dataset.modelPlug!;
  const button = section.querySelector<HTMLButtonElement>('[data-plug-run]')!;
  const lock = section.querySelector<HTMLElement>('[data-plug-lock]')!;
  const refresh = () => {
    const passed = loadProgress().value.exercises[id]?.parts.b === true;
    if (section.dataset.running !== 'true') button.disabled = !passed;
    lock.hidden = passed;
  };
  refresh();
  // A Run (or an import) may pass part (b): the workspace marks each finished Run on its root.
  const ws = section.closest<HTMLElement>('[data-amm-ws]');
  if (ws) new MutationObserver(refresh).observe(ws, { attributes: true, attributeFilter: ['data-runs', 'data-verdict'] });
  button.addEventListener('click', () => {
    if (section.dataset.running === 'true') return;
    void import('./model-plug-run').then((m) => m.runPlug(section, id, refresh));
  });
}

/** Wires every "Your attention runs the model" section on the page. */
export function wirePlugs(): void {
  document.querySelectorAll<HTMLElement>('[data-model-plug]').forEach(wireOne);
}
