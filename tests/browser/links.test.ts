// Every internal link and asset reference in the built site resolves to a file: no page links to a 404.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dist, htmlFiles } from './built-site';


/** Whether a site path (without query or hash) names a file the static server would send. */
function resolves(path: string): boolean {
  const p = join(dist, decodeURIComponent(path));
  if (existsSync(p) && statSync(p).isFile()) return true;
  return existsSync(join(p, 'index.html'));
}

describe('internal links', () => {
  const pages = htmlFiles(dist);

  it('the build has the home page, 11 lessons and 10 exercise pages', () => {
    expect(pages.some((p) => p.endsWith(`${dist}/index.html`))).toBe(true);
    expect(pages.filter((p) => p.includes('/lessons/')).length).toBe(11);
    expect(pages.filter((p) => /\/exercises\/\d\d-/.test(p)).length).toBe(10);
  });

  it('every href and src that stays on the site resolves', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      for (const m of html.matchAll(/\s(?:href|src)="([^"#?]*)[^"]*"/g)) {
        const url = m[1];
        if (!url.startsWith('/') || url.startsWith('//')) continue;
        if (!resolves(url)) broken.push(`${page.slice(dist.length)} → ${url}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
