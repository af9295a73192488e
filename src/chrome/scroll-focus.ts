// Display equations and inline matrices wider than the text column scroll sideways inside it. A keyboard user can
// only scroll what can take the focus, so each one that actually overflows becomes a named, focusable group (and
// stops being one when a wider window makes it fit), leaving no extra tab stops on equations that fit.
const SCROLLERS = '.katex-display, .katex:not(.katex-display > .katex):has(.mtable)';

/** Makes `el` a named tab stop while its content is wider than its box, and a plain element otherwise. */
function update(el: HTMLElement): void {
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

/** Keeps every overflowing equation on the page focusable, re-checking when its size or the fonts change. */
export function focusableScrollers(root: ParentNode = document): void {
  const all = [...root.querySelectorAll<HTMLElement>(SCROLLERS)];
  const watch = new ResizeObserver((entries) => {
    for (const { target } of entries) update(target as HTMLElement);
  });
  for (const el of all) watch.observe(el);
  // KaTeX's fonts widen an equation without resizing its box (a block as wide as the column), which a
  // ResizeObserver does not see: check again whenever web fonts finish loading.
  const recheck = () => all.forEach(update);
  document.fonts.addEventListener('loadingdone', recheck);
  void document.fonts.ready.then(recheck);
}
