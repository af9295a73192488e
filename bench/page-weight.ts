// Measures what a built page ships: HTML, CSS and the JavaScript loaded up front (module
// scripts and their static imports; dynamic imports load later, e.g. when a demo is visible).
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, basename, dirname } from 'node:path';

/** Gzipped bytes of one page's parts, JS split by who ships it. */
export interface PageWeight {
  htmlGz: number;
  cssGz: number;
  /** JS from Starlight's own components (search, theme, sidebar, TOC…). */
  starlightJsGz: number;
  /** JS from the course's chrome (progress marks) and any lesson-specific code. */
  courseJsGz: number;
  /** Inline script bytes (gzipped together). */
  inlineJsGz: number;
  courseFiles: string[];
}

const gz = (b: Buffer | string) => gzipSync(b).length;

/** Basenames of the course's own .astro components, used to attribute bundled chunks. */
function courseComponents(srcDir: string): Set<string> {
  const names = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.astro')) names.add(e.name.replace(/\.astro$/, ''));
      else if (/\.client\.ts$/.test(e.name)) names.add(e.name.replace(/\.ts$/, ''));
    }
  };
  walk(srcDir);
  return names;
}

/** Weighs the page at `pagePath` (e.g. "lessons/01-intuition/index.html") inside `dist`. */
export function weighPage(dist: string, pagePath: string, srcDir: string): PageWeight {
  const html = readFileSync(join(dist, pagePath), 'utf8');
  const ours = courseComponents(srcDir);
  const seen = new Set<string>();
  const out: PageWeight = { htmlGz: gz(html), cssGz: 0, starlightJsGz: 0, courseJsGz: 0, inlineJsGz: 0, courseFiles: [] };

  for (const m of html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)) {
    out.cssGz += gz(readFileSync(join(dist, m[1])));
  }
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  out.inlineJsGz = inline.trim() ? gz(inline) : 0;

  const visit = (file: string, viaCourse: boolean) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const code = readFileSync(file);
    const name = basename(file);
    const isCourse = viaCourse || [...ours].some((c) => name.startsWith(c + '.') || name.startsWith(c + '_'));
    if (isCourse) {
      out.courseJsGz += gz(code);
      out.courseFiles.push(name);
    } else out.starlightJsGz += gz(code);
    // Static imports only: `import … from "./x.js"` and bare `import "./x.js"`.
    for (const m of code.toString().matchAll(/(?:^|[;\s}])import\s*(?:[^"'();]*?from\s*)?["']([^"']+\.js)["']/g)) {
      visit(join(dirname(file), m[1]), isCourse);
    }
  };
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) visit(join(dist, m[1]), false);
  return out;
}
