import type { Progress } from '../progress/store';

/** The exercise id of an exercise page path ("/exercises/02-causal-mask/" → "02"), or null. */
export function exerciseIdOfPath(path: string): string | null {
  return /\/exercises\/(\d\d)-[^/]*\/?$/.exec(path)?.[1] ?? null;
}

/**
 * Puts a check mark on the sidebar link of every lesson the learner has marked read, and of every exercise
 * whose parts (a), (b) and (c) have all passed.
 */
export function markSidebar(progress: Progress): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.sidebar a[href*="/lessons/"]')) {
    const slug = a.pathname.replace(/^.*\/lessons\//, '').replace(/\/$/, '');
    a.classList.toggle('is-read', slug in progress.lessons);
  }
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.sidebar a[href*="/exercises/"]')) {
    const id = exerciseIdOfPath(a.pathname);
    if (!id) continue;
    const p = progress.exercises[id]?.parts;
    a.classList.toggle('is-passed', Boolean(p?.a && p.b && p.c));
  }
}
