// Client island of the quadratic-cost demo: measures both engine kernels for each T on a button press.
import { QC_T, measure, memoryRows, renderQC, type QCRow } from './quadratic-cost-view';

export function mount(root: HTMLElement): void {
  const out = root.querySelector<HTMLElement>('[data-output]')!;
  const status = root.querySelector<HTMLElement>('[data-status]')!;
  const button = root.querySelector<HTMLButtonElement>('[data-action="measure"]')!;
  const block = root.querySelector<HTMLSelectElement>('[data-input="block"]')!;
  block.addEventListener('change', () => {
    out.innerHTML = renderQC(memoryRows(Number(block.value)), Number(block.value));
    root.dataset.state = 'memory';
  });
  button.addEventListener('click', async () => {
    button.disabled = true;
    root.dataset.state = 'measuring';
    const b = Number(block.value);
    const rows: QCRow[] = memoryRows(b);
    const t0 = performance.now();
    for (let i = 0; i < QC_T.length; i++) {
      status.textContent = `Measuring T = ${QC_T[i]}…`;
      await new Promise((r) => setTimeout(r, 0));
      rows[i] = measure(QC_T[i], b, QC_T[i] <= 128 ? 3 : QC_T[i] <= 256 ? 2 : 1);
      out.innerHTML = renderQC(rows, b);
    }
    status.textContent = `Measured in ${((performance.now() - t0) / 1000).toFixed(2)} s. Last doubling: naive time ×${(rows[rows.length - 1].naiveMs! / rows[rows.length - 2].naiveMs!).toFixed(1)}, memory ×${(rows[rows.length - 1].naiveElements / rows[rows.length - 2].naiveElements).toFixed(0)}.`;
    root.dataset.state = 'done';
    button.disabled = false;
  });
  root.dataset.ready = 'true';
}
