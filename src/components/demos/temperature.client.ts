// Client side of the temperature demo: recompute weights/entropy and the sampled variances with the engine.
import { fmt } from '../format';
import { TEMP_SCORES, dotVariance, temperatureRow } from './temperature-model';

export function mount(root: HTMLElement): void {
  const tauIn = root.querySelector<HTMLInputElement>('[data-in="tau"]')!;
  const dkIn = root.querySelector<HTMLInputElement>('[data-in="dkExp"]')!;
  const out = (id: string) => root.querySelector<HTMLElement>(`[data-out="${id}"]`)!;

  const updateTau = () => {
    const tau = tauIn.valueAsNumber;
    const r = temperatureRow(TEMP_SCORES, tau);
    out('tau').textContent = fmt(tau, 2);
    r.weights.forEach((w, j) => {
      out(`w-${j}`).textContent = fmt(w, 3);
      root.querySelector<HTMLElement>(`[data-bar="${j}"]`)!.style.width = `${(w * 100).toFixed(1)}%`;
    });
    out('entropy').textContent = fmt(r.entropy, 3);
  };
  const updateDk = () => {
    const dk = 2 ** dkIn.valueAsNumber;
    const s = dotVariance(dk);
    out('dk').textContent = String(dk);
    dkIn.setAttribute('aria-valuetext', `d_k = ${dk}`);
    out('varUnscaled').textContent = fmt(s.varUnscaled, 2);
    out('varScaled').textContent = fmt(s.varScaled, 3);
    out('theory').textContent = String(dk);
  };
  tauIn.addEventListener('input', updateTau);
  dkIn.addEventListener('input', updateDk);
  root.dataset.ready = 'true';
}
