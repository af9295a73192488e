// Client side of the attention playground: reads the inputs, recomputes with the engine, updates the cells.
import { fmt } from '../format';
import { computePlayground, DIGITS } from './attention-playground-model';

export function mount(root: HTMLElement): void {
  const inputs = [...root.querySelectorAll<HTMLInputElement>('input[data-m]')];
  const opt = (name: string) => root.querySelector<HTMLInputElement>(`input[data-opt="${name}"]`)!;
  const error = root.querySelector<HTMLElement>('[data-error]')!;
  const cell = (id: string) => root.querySelector<HTMLElement>(`[data-cell="${id}"]`);

  const read = (name: string) => {
    const m = [0, 1, 2].map(() => [0, 0]);
    for (const el of inputs.filter((x) => x.dataset.m === name)) m[Number(el.dataset.i)][Number(el.dataset.j)] = el.valueAsNumber;
    return m;
  };

  const update = () => {
    const Q = read('Q');
    const K = read('K');
    const V = read('V');
    if ([Q, K, V].flat(2).some((x) => !Number.isFinite(x))) {
      error.textContent = 'Every entry of Q, K and V must be a number.';
      error.hidden = false;
      return;
    }
    error.hidden = true;
    const r = computePlayground({ Q, K, V, causal: opt('causal').checked, scaled: opt('scaled').checked });
    const put = (id: string, m: number[][]) => m.forEach((row, i) => row.forEach((x, j) => (cell(`${id}-${i}-${j}`)!.textContent = fmt(x, DIGITS))));
    put('scores', r.scores);
    put('masked', r.masked);
    put('weights', r.weights);
    put('output', r.output);
    r.rowSums.forEach((s, i) => (cell(`rowsum-${i}`)!.textContent = fmt(s, DIGITS)));
  };

  const go = (step: number) => {
    root.dataset.step = String(step);
    for (const b of root.querySelectorAll<HTMLButtonElement>('button[data-go]')) b.setAttribute('aria-pressed', String(Number(b.dataset.go) === step));
    for (const f of root.querySelectorAll<HTMLElement>('[data-formula]')) f.classList.toggle('is-current', Number(f.dataset.formula) === step);
    for (const s of root.querySelectorAll<HTMLElement>('[data-stage]')) s.hidden = Number(s.dataset.stage) > step;
  };

  root.addEventListener('input', update);
  root.addEventListener('change', update);
  for (const b of root.querySelectorAll<HTMLButtonElement>('button[data-go]')) b.addEventListener('click', () => go(Number(b.dataset.go)));
  root.dataset.ready = 'true';
  update();
}
