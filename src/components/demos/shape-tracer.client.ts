// Client side of the shape tracer: validate the configuration, then refresh every shape and the cache size.
import { fmtBytes } from '../format';
import { cacheSizes, formatShape, traceShapes, validateConfig, type TracerConfig } from './shape-tracer-model';

export function mount(root: HTMLElement): void {
  const field = (k: string) => root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-in="${k}"]`)!;
  const out = (id: string) => root.querySelector<HTMLElement>(`[data-out="${id}"]`)!;
  const error = root.querySelector<HTMLElement>('[data-error]')!;
  // Everything computed from the configuration: hidden while it is invalid, so no stale number stays on screen.
  const results = [...root.querySelectorAll<HTMLElement>('[data-result]')];

  const update = () => {
    const num = (k: string) => Number(field(k).value);
    const cfg: TracerConfig = {
      B: num('B'),
      T: num('T'),
      dModel: num('dModel'),
      h: num('h'),
      hKv: num('hKv'),
      layers: num('layers'),
      bytesPerElement: num('bytesPerElement'),
    };
    const problem = validateConfig(cfg);
    root.classList.toggle('is-invalid', problem !== null);
    error.hidden = problem === null;
    error.textContent = problem ?? '';
    for (const el of results) el.hidden = problem !== null;
    if (problem) return;
    for (const s of traceShapes(cfg)) {
      root.querySelector<HTMLElement>(`[data-shape="${s.id}"]`)!.textContent = formatShape(s.shape);
      root.querySelector<HTMLElement>(`[data-op="${s.id}"]`)!.textContent = s.op;
    }
    const c = cacheSizes(cfg);
    out('dh').textContent = String(c.dh);
    out('group').textContent = String(cfg.h / cfg.hKv);
    out('cache').textContent = fmtBytes(c.bytes);
    out('cache-bytes').textContent = String(c.bytes);
    out('cache-mha').textContent = fmtBytes(c.mhaBytes);
    out('cache-factor').textContent = String(c.factor);
  };
  root.addEventListener('input', update);
  root.addEventListener('change', update);
  root.dataset.ready = 'true';
}
