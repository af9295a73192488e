// Client island of the structured prompt-mask demo.
import { PM_PRESETS, renderPM, type PMState } from './prompt-mask-view';
import type { Role } from '../../engine';

export function mount(root: HTMLElement): void {
  const q = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const roleSelects = () => Array.from(root.querySelectorAll<HTMLSelectElement>('[data-role]'));
  const read = (): PMState => ({
    roles: roleSelects().map((s) => s.value as Role),
    isolateTool: q<HTMLInputElement>('[data-input="isolateTool"]').checked,
    systemOnlySystem: q<HTMLInputElement>('[data-input="systemOnlySystem"]').checked,
    toolOnlySystem: q<HTMLInputElement>('[data-input="toolOnlySystem"]').checked,
  });
  const update = () => {
    q('[data-output]').innerHTML = renderPM(read());
  };
  q<HTMLSelectElement>('[data-input="preset"]').addEventListener('change', (e) => {
    const roles = PM_PRESETS[(e.target as HTMLSelectElement).value]?.roles;
    if (roles) roleSelects().forEach((s, i) => (s.value = roles[i] ?? 'pad'));
    update();
  });
  root.addEventListener('change', (e) => {
    if ((e.target as HTMLElement).matches('[data-input="preset"]')) return;
    update();
  });
  update();
  root.dataset.ready = 'true';
}
