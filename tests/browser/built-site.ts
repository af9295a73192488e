// The built site the browser tests read: dist/, or DIST_DIR when parallel work builds into separate folders.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built site, without a trailing slash. */
export const dist = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : fileURLToPath(new URL('../../dist', import.meta.url));

/** Every built HTML file under `dir` (the search index's folder skipped). */
export function htmlFiles(dir: string = dist): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'pagefind' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}
