// Text the built pages show reads as written: a "·" separator has a space on both sides or on neither (a product
// such as "H·d_h"), never on one side only ("read ·0 of 10", "·(c)" after Astro dropped a line break), and no
// sentence ends in an ellipsis plus a full stop ("over….").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dist, htmlFiles } from './built-site';


/** The page's text as inline elements join it: scripts, styles and KaTeX's hidden MathML copy removed. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;|&#160;/g, '\u00a0');
}

describe('spacing in the built text', () => {
  const pages = htmlFiles(dist);

  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(24);
  });

  it('has no one-sided "·" separator and no "…."', () => {
    const bad: string[] = [];
    for (const page of pages) {
      const text = visibleText(readFileSync(page, 'utf8'));
      for (const m of text.matchAll(/.{0,30}(?:\s·[^\s·]|[^\s·]·\s|…\.|\.…).{0,30}/g)) bad.push(`${page.slice(dist.length)}: “${m[0].trim()}”`);
    }
    expect(bad).toEqual([]);
  });
});
