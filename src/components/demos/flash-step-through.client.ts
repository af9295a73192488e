// Client island of the FlashAttention step-through: playback, stepping, speed, zoom and keyboard.
import { describe, renderStage, runFlash, type FlashConfig, type FlashRun } from './flash-step-through-view';

export function mount(root: HTMLElement): void {
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const stage = $('[data-stage]');
  const desc = $('[data-desc]');
  const counter = $('[data-counter]');
  const progress = $('[data-progress]');
  const playBtn = $<HTMLButtonElement>('[data-action="play"]');
  const sel = (k: string) => $<HTMLSelectElement | HTMLInputElement>(`[data-input="${k}"]`);
  let run: FlashRun;
  let step = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const config = (): FlashConfig => ({
    T: Number(sel('T').value),
    d: Number(sel('d').value),
    blockQ: Number(sel('blockQ').value),
    blockK: Number(sel('blockK').value),
    causal: (sel('causal') as HTMLInputElement).checked,
  });
  const hint = $('[data-scroll-hint]');
  /** Shows the scroll hint only while the grid is wider than its box. */
  const checkOverflow = () => {
    const box = stage.querySelector<HTMLElement>('.fs-scroll');
    hint.hidden = !box || box.scrollWidth <= box.clientWidth + 1;
  };
  new ResizeObserver(checkOverflow).observe(stage);
  const show = () => {
    const n = run.steps.length;
    stage.innerHTML = renderStage(run, step);
    checkOverflow();
    desc.textContent = describe(run, step);
    counter.textContent = `Step ${step + 1} of ${n}`;
    progress.style.width = `${((100 * (step + 1)) / n).toFixed(2)}%`;
    root.dataset.step = String(step);
    root.dataset.steps = String(n);
    ($('[data-action="back"]') as HTMLButtonElement).disabled = step === 0;
    ($('[data-action="first"]') as HTMLButtonElement).disabled = step === 0;
    ($('[data-action="forward"]') as HTMLButtonElement).disabled = step === n - 1;
    ($('[data-action="last"]') as HTMLButtonElement).disabled = step === n - 1;
  };
  const go = (to: number) => {
    step = Math.max(0, Math.min(run.steps.length - 1, to));
    show();
  };
  const setPlaying = (on: boolean) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    playBtn.setAttribute('aria-pressed', String(on));
    $('[data-play-icon]').textContent = on ? '❚❚' : '▶';
    $('[data-play-label]').textContent = on ? 'Pause' : 'Play';
    if (!on) return;
    if (step >= run.steps.length - 1) go(0);
    const tick = () => {
      timer = setTimeout(() => {
        go(step + 1);
        if (step >= run.steps.length - 1) setPlaying(false);
        else tick();
      }, 1400 / Number(sel('speed').value));
    };
    tick();
  };
  const playing = () => playBtn.getAttribute('aria-pressed') === 'true';
  const rebuild = () => {
    setPlaying(false);
    run = runFlash(config());
    step = 0;
    show();
  };

  for (const k of ['T', 'd', 'blockQ', 'blockK', 'causal']) sel(k).addEventListener('change', rebuild);
  sel('speed').addEventListener('change', () => playing() && setPlaying(true));
  sel('zoom').addEventListener('input', () => {
    root.style.setProperty('--fs-zoom', sel('zoom').value);
    checkOverflow();
  });
  root.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-action]')?.dataset.action;
    if (!a) return;
    if (a === 'play') return setPlaying(!playing());
    setPlaying(false);
    if (a === 'first') go(0);
    if (a === 'back') go(step - 1);
    if (a === 'forward') go(step + 1);
    if (a === 'last') go(run.steps.length - 1);
  });
  root.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (t.matches('select, input[type="range"], input[type="number"]')) return;
    if (e.key === ' ' && !t.matches('button')) {
      e.preventDefault();
      setPlaying(!playing());
    } else if (e.key === 'ArrowRight') {
      e.preventDefault();
      setPlaying(false);
      go(step + 1);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      setPlaying(false);
      go(step - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      go(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      go(run.steps.length - 1);
    }
  });
  run = runFlash(config());
  show();
  root.dataset.ready = 'true';
}
