// Client side of the query demo: recompute the row with the engine whenever a slider moves.
import { fmt } from '../format';
import { TOKENS, queryRow } from './query-demo-model';

/** Wires the sliders of one demo figure. */
export function mount(root: HTMLElement): void {
  const inputs = [...root.querySelectorAll<HTMLInputElement>('input[data-in]')];
  const out = (id: string) => root.querySelector<HTMLElement>(`[data-out="${id}"]`)!;
  const update = () => {
    const query = inputs.map((i) => i.valueAsNumber);
    const r = queryRow(query);
    inputs.forEach((i, c) => {
      out(`q-${c}`).textContent = fmt(query[c], 1);
      i.setAttribute('aria-valuetext', fmt(query[c], 1));
    });
    r.weights.forEach((w, j) => {
      out(`w-${j}`).textContent = fmt(w, 3);
      root.querySelector<HTMLElement>(`[data-bar="${j}"]`)!.style.width = `${(w * 100).toFixed(1)}%`;
    });
    out('top').textContent = TOKENS[r.top];
    out('output').textContent = `(${r.output.map((x) => fmt(x, 2)).join(', ')})`;
  };
  for (const i of inputs) i.addEventListener('input', update);
  root.dataset.ready = 'true';
}
