// Build check of rendered math and typography: a TeX macro that lost its backslash renders as plain letters
// ("2 cdot 40"), a raw macro in prose was never rendered, and an apostrophe after an MDX expression turns into an
// opening quote ("key 1‘s"). The astro:build:done hook fails the build on any of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Macro names that never appear as words in this course's math, so seeing one without a backslash is a bug. */
const MACROS = [
  'cdot', 'cdots', 'ldots', 'frac', 'dfrac', 'sqrt', 'times', 'infty', 'mathbb', 'mathrm', 'mathcal', 'mathbf',
  'operatorname', 'lVert', 'rVert', 'lfloor', 'rfloor', 'lceil', 'rceil', 'tilde', 'leftarrow', 'rightarrow',
  'xrightarrow', 'textstyle', 'qquad', 'leq', 'geq', 'neq', 'approx', 'lesssim', 'alpha', 'ell', 'begin', 'sum',
];
const BARE_MACRO = new RegExp(`(?<![\\\\A-Za-z])(${MACROS.join('|')})(?![A-Za-z])`);

const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');

/** Elements whose text is not prose: code, scripts, styles and KaTeX output. */
const SKIP_TAGS = new Set(['pre', 'code', 'script', 'style', 'textarea', 'kbd', 'samp', 'math', 'svg', 'template']);

/** The page's visible prose, with code and rendered math removed (a small tag walker: KaTeX spans nest). */
export function proseText(html: string): string {
  const out: string[] = [];
  const stack: { tag: string; skip: boolean }[] = [];
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)(\/?)>|<!--[\s\S]*?-->/g;
  let last = 0;
  const skipping = () => stack.some((s) => s.skip);
  for (let m = tagRe.exec(html); m; m = tagRe.exec(html)) {
    if (!skipping()) out.push(html.slice(last, m.index));
    last = tagRe.lastIndex;
    if (!m[2]) continue; // a comment
    const tag = m[2].toLowerCase();
    const closing = m[1] === '/';
    const selfClosing = m[4] === '/' || ['br', 'img', 'input', 'meta', 'link', 'hr', 'source', 'wbr', 'area', 'col', 'path', 'rect', 'circle', 'line'].includes(tag);
    if (closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
    } else if (!selfClosing) {
      const cls = /\bclass="([^"]*)"/.exec(m[3])?.[1] ?? '';
      stack.push({ tag, skip: SKIP_TAGS.has(tag) || /(^|\s)katex(\s|$)|katex-display/.test(cls) });
    }
    out.push(' ');
  }
  if (!skipping()) out.push(html.slice(last));
  return decode(out.join(''));
}

/** Problems in one built page: bare macro names in math sources, KaTeX errors, raw TeX in prose, wrong quotes. */
export function findRenderingProblems(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)) {
    const tex = decode(m[1]).replace(/\\(?:text(?:rm|bf|it)?|mathrm|operatorname)\{[^{}]*\}/g, ' ');
    const bare = BARE_MACRO.exec(tex);
    if (bare) problems.push(`math "${decode(m[1]).slice(0, 80)}" has "${bare[1]}" without a backslash: it renders as letters`);
  }
  if (/class="katex-error"/.test(html)) {
    const src = /class="katex-error"[^>]*title="([^"]*)"/.exec(html)?.[1] ?? '';
    problems.push(`KaTeX could not render a formula: ${decode(src).slice(0, 120)}`);
  }
  const prose = proseText(html);
  const raw = /\\(cdot|frac|sqrt|times|text|mathbb|operatorname|infty|top|sum|alpha|ell|begin)\b/.exec(prose);
  if (raw) problems.push(`prose contains raw TeX "${prose.slice(Math.max(0, raw.index - 30), raw.index + 30).replace(/\s+/g, ' ')}"`);
  const quote = /[\w)]‘s\b/.exec(prose);
  if (quote) problems.push(`an opening quote stands for an apostrophe: "${prose.slice(Math.max(0, quote.index - 30), quote.index + 10).replace(/\s+/g, ' ')}"`);
  return problems;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

/** Astro integration: after the build, scans every page and fails the build with the list of problems. */
export function mathCheck(): AstroIntegration {
  return {
    name: 'amm-math-check',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const found = htmlFiles(root).flatMap((f) => findRenderingProblems(readFileSync(f, 'utf8')).map((p) => `${relative(root, f)}: ${p}`));
        if (found.length) throw new Error(`Rendering check failed (${found.length}):\n${found.join('\n')}`);
        logger.info('rendering check: no bare TeX macros, KaTeX errors or wrong quotes');
      },
    },
  };
}
