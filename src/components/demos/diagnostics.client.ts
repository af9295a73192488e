// Client island of the diagnostics demo.
import { renderDiag, type DiagState, type MaskKind } from './diagnostics-view';

export function mount(root: HTMLElement): void {
  const q = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const read = (): DiagState => ({
    mask: q<HTMLSelectElement>('[data-input="mask"]').value as MaskKind,
    temp: Number(q<HTMLSelectElement>('[data-input="temp"]').value),
    ablate: Array.from(root.querySelectorAll<HTMLInputElement>('[data-ablate]')).filter((c) => c.checked).map((c) => Number(c.dataset.ablate)),
    perturbFrom: Number(q<HTMLInputElement>('[data-input="perturbFrom"]').value),
  });
  const update = () => {
    const s = read();
    q('[data-show="perturbFrom"]').textContent = String(s.perturbFrom);
    q('[data-output]').innerHTML = renderDiag(s);
  };
  root.addEventListener('input', update);
  root.addEventListener('change', update);
  update();
  root.dataset.ready = 'true';
}
