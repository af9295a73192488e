/**
 * Runs `load` once, when `el` is about to scroll into view (or at once where
 * IntersectionObserver is missing). Demos use it so their code is fetched only when needed.
 */
export function whenVisible(el: Element, load: () => Promise<unknown> | void, rootMargin = '200px'): void {
  if (!('IntersectionObserver' in globalThis)) {
    void load();
    return;
  }
  const io = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        void load();
      }
    },
    { rootMargin },
  );
  io.observe(el);
}
