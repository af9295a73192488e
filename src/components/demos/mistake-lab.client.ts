// MistakeLab in the browser: each click draws a new seed, runs the bug and the fix, and shows both.
import { runMistake, type MistakeId, type Side } from '../../lesson-data/mistakes/lab';

function show(root: HTMLElement, which: 'bug' | 'fix', side: Side): void {
  const el = root.querySelector<HTMLElement>(`[data-side="${which}"]`)!;
  el.dataset.passes = String(side.passes);
  el.querySelector('[data-field="text"]')!.textContent = side.text;
  el.querySelector('[data-field="verdict"]')!.textContent = side.passes ? 'test passes' : 'test fails: caught';
}

/** Wires one `.mistake-lab` panel. */
export function mount(root: HTMLElement): void {
  const id = root.dataset.mistake as MistakeId;
  const button = root.querySelector<HTMLButtonElement>('.mistake-lab__run')!;
  button.addEventListener('click', () => {
    let seed = Number(root.dataset.seed);
    while (seed === Number(root.dataset.seed)) seed = 1 + Math.floor(Math.random() * 2 ** 31);
    const run = runMistake(id, seed);
    root.dataset.seed = String(seed);
    root.querySelector('[data-field="seed"]')!.textContent = String(seed);
    show(root, 'bug', run.bug);
    show(root, 'fix', run.fix);
    root.querySelector('[data-field="note"]')!.textContent = run.note;
  });
  button.disabled = false;
  root.dataset.ready = 'true';
}
