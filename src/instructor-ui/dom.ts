// DOM helpers of the instructor page. Text only: learner names, code, answers and messages are untrusted (they come
// from files) and never become markup.
import { displayText } from '../../instructor/report/display';

/** A child of `el`: a node, or a string that becomes a text node. */
export type Child = Node | string;

/** Creates an element with optional class and children (strings become text nodes). */
export function el(tag: string, cls: string | null, ...kids: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const k of kids) e.append(typeof k === 'string' ? document.createTextNode(k) : k);
  return e;
}

/** Sets data-* attributes and returns the element. */
export function data<T extends HTMLElement>(e: T, attrs: Record<string, string>): T {
  for (const [k, v] of Object.entries(attrs)) e.dataset[k] = v;
  return e;
}

/** A percentage as shown on the page (whole percent). */
export const pct = (x: number) => `${Math.round(x * 100)}%`;
/** Points as shown on the page (at most two decimals). */
export const pts = (x: number) => String(Math.round(x * 100) / 100);

/** A small horizontal bar for a share 0–1 (hidden from screen readers: the number is beside it). */
export function bar(x: number): HTMLElement {
  const outer = el('span', 'amm-bar');
  outer.setAttribute('aria-hidden', 'true');
  const inner = el('span', null);
  inner.style.width = `${Math.max(0, Math.min(100, Math.round(x * 100)))}%`;
  outer.append(inner);
  return outer;
}

/** A table cell with data-* attributes. */
export const td = (attrs: Record<string, string>, ...kids: Child[]) => data(el('td', null, ...kids), attrs);

/** A table in a horizontally scrolling, focusable box (narrow screens), with a caption for screen readers. */
export function table(caption: string, head: (string | HTMLElement)[], rows: (Child | HTMLElement)[][], rowAttrs?: (i: number) => Record<string, string>): HTMLElement {
  const t = el('table', 'amm-table');
  t.append(el('caption', 'sr-only', caption));
  t.append(el('thead', null, el('tr', null, ...head.map((h) => { const th = h instanceof HTMLElement && h.tagName === 'TH' ? h : el('th', null, h); th.setAttribute('scope', 'col'); return th; }))));
  t.append(el('tbody', null, ...rows.map((r, i) => {
    const tr = el('tr', null, ...r.map((c) => (c instanceof HTMLElement && (c.tagName === 'TD' || c.tagName === 'TH') ? c : el('td', null, c))));
    return rowAttrs ? data(tr, rowAttrs(i)) : tr;
  })));
  const box = el('div', 'amm-scroll', t);
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', caption);
  return box;
}

/** A link to a learner's section that also opens it. */
export function learnerLink(text: string, index: number): HTMLAnchorElement {
  const a = el('a', null, displayText(text)) as HTMLAnchorElement;
  a.href = `#amm-learner-${index}`;
  a.addEventListener('click', () => {
    const d = document.getElementById(`amm-learner-${index}`) as HTMLDetailsElement | null;
    if (d) d.open = true;
  });
  return a;
}
