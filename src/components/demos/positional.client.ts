// Client island of the ALiBi / RoPE demo.
import { renderAlibi, renderRope } from './positional-view';

export function mount(root: HTMLElement): void {
  const q = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const heads = q<HTMLSelectElement>('[data-input="heads"]');
  const head = q<HTMLInputElement>('[data-input="head"]');
  const m = q<HTMLInputElement>('[data-input="m"]');
  const n = q<HTMLInputElement>('[data-input="n"]');
  const pair = q<HTMLSelectElement>('[data-input="pair"]');
  const alibi = () => {
    const h = Number(heads.value);
    head.max = String(h - 1);
    if (Number(head.value) > h - 1) head.value = String(h - 1);
    q('[data-show="head"]').textContent = head.value;
    q('[data-output="alibi"]').innerHTML = renderAlibi({ heads: h, head: Number(head.value) });
  };
  const rope = () => {
    q('[data-show="m"]').textContent = m.value;
    q('[data-show="n"]').textContent = n.value;
    q('[data-output="rope"]').innerHTML = renderRope({ m: Number(m.value), n: Number(n.value), pair: Number(pair.value) });
  };
  heads.addEventListener('change', alibi);
  head.addEventListener('input', alibi);
  for (const el of [m, n, pair]) el.addEventListener('input', rope);
  pair.addEventListener('change', rope);
  alibi();
  rope();
  root.dataset.ready = 'true';
}
