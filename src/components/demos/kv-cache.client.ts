// Client island of the KV-cache calculator: reads the controls and re-renders the engine results.
import { KV_PRESETS, renderKV, type KVState } from './kv-cache-view';

const KEYS = ['layers', 'heads', 'kvHeads', 'headDim', 'seqLen', 'batch', 'bytesPerElement'] as const;

export function mount(root: HTMLElement): void {
  const input = (k: string) => root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-input="${k}"]`)!;
  const out = root.querySelector<HTMLElement>('[data-output]')!;
  const read = (): KVState => {
    const s = {} as KVState;
    for (const k of KEYS) {
      const el = input(k);
      const min = Number(el.getAttribute('min') ?? 1);
      const max = Number(el.getAttribute('max') ?? 1e9);
      const v = Math.round(Number(el.value));
      s[k] = Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min;
    }
    return s;
  };
  const update = () => {
    out.innerHTML = renderKV(read());
    root.dataset.ready = 'true';
  };
  input('preset').addEventListener('change', () => {
    const p = KV_PRESETS.find((x) => x.id === input('preset').value);
    if (p) for (const [k, v] of Object.entries(p.state)) input(k).value = String(v);
    update();
  });
  for (const k of KEYS) {
    input(k).addEventListener('input', () => {
      (input('preset') as HTMLSelectElement).value = 'custom';
      update();
    });
  }
  update();
}
