import type { Progress } from '../progress/store';

/** Puts a check mark on the sidebar link of every lesson the learner has marked read. */
export function markSidebar(progress: Progress): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.sidebar a[href*="/lessons/"]')) {
    const slug = a.pathname.replace(/^.*\/lessons\//, '').replace(/\/$/, '');
    a.classList.toggle('is-read', slug in progress.lessons);
  }
}
