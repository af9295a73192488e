// Client side of the stability demo: naive vs max-subtracted softmax as the logit magnitude changes.
import { softmax } from '../../engine';
import { fmtSci, naiveSoftmax, stabilityLogits, stableSteps } from './stability-math';

export function mount(root: HTMLElement): void {
  const range = root.querySelector<HTMLInputElement>('[data-in="c"]')!;
  const num = root.querySelector<HTMLInputElement>('[data-in="c-number"]')!;
  const masked = root.querySelector<HTMLInputElement>('[data-in="masked"]')!;
  const out = (id: string) => root.querySelector<HTMLElement>(`[data-out="${id}"]`)!;
  const list = (xs: number[]) => xs.map(fmtSci).join(', ');
  const verdict = (id: string, xs: number[]) => {
    const ok = xs.every(Number.isFinite);
    out(id).dataset.ok = String(ok);
    out(id).textContent = ok ? 'finite' : 'broken: NaN weights';
  };

  const update = (c: number) => {
    if (!Number.isFinite(c)) return;
    const logits = stabilityLogits(c, masked.checked);
    const naive = naiveSoftmax(logits);
    const stable = stableSteps(logits);
    const weights = softmax(logits);
    out('logits').textContent = list(logits);
    out('naive-exps').textContent = list(naive.exps);
    out('naive-sum').textContent = fmtSci(naive.sum);
    out('naive-weights').textContent = list(naive.weights);
    out('stable-shifted').textContent = list(stable.shifted);
    out('stable-exps').textContent = list(stable.exps);
    out('stable-weights').textContent = list(weights);
    verdict('naive-verdict', naive.weights);
    verdict('stable-verdict', weights);
  };
  range.addEventListener('input', () => {
    num.value = range.value;
    update(range.valueAsNumber);
  });
  num.addEventListener('input', () => {
    range.value = num.value;
    update(num.valueAsNumber);
  });
  masked.addEventListener('change', () => update(num.valueAsNumber));
  root.dataset.ready = 'true';
}
