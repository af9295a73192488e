// Display equations and inline matrices wider than the text column scroll sideways inside it. A keyboard user can
// only scroll what can take the focus, so each one that actually overflows becomes a named, focusable group (and
// stops being one when a wider window makes it fit), leaving no extra tab stops on equations that fit.
const SCROLLERS = '.katex-display, .katex:not(.katex-display > .katex):has(.mtable)';

/** Keeps every overflowing equation on the page focusable, re-checking when its size changes. */
export function focusableScrollers(root: ParentNode = document): void {
  const watch = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      const el = target as HTMLElement;
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
        el.setAttribute('role', 'group');
        el.setAttribute('aria-label', 'Equation (scrolls sideways)');
      } else if (el.getAttribute('role') === 'group') {
        el.removeAttribute('tabindex');
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
      }
    }
  });
  for (const el of root.querySelectorAll(SCROLLERS)) watch.observe(el);
}
