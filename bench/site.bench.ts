// Page weight of every lesson page and the home page in the built site (run `npm run build` first).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './lib.ts';
import { weighPage } from './page-weight.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export default function (): BenchRow[] {
  const dist = root + 'dist';
  if (!existsSync(dist + '/index.html')) {
    return [{ area: 'site', metric: 'page weight', value: 'n/a', note: 'run `npm run build` first' }];
  }
  const pages = ['index.html', ...readdirSync(dist + '/lessons').sort().map((l) => `lessons/${l}/index.html`)];
  return pages.map((p) => {
    const w = weighPage(dist, p, root + 'src');
    const jsUpFront = w.starlightJsGz + w.courseJsGz + w.inlineJsGz;
    return {
      area: 'site',
      metric: `page weight ${p.replace(/\/?index\.html$/, '') || '/'}`,
      value: `JS ${kb(jsUpFront)} gz`,
      note: `Starlight JS ${kb(w.starlightJsGz)}, inline ${kb(w.inlineJsGz)}, course JS ${kb(w.courseJsGz)} [${w.courseFiles.join(', ') || 'none'}]; HTML ${kb(w.htmlGz)}, CSS ${kb(w.cssGz)} (all gzipped)`,
    };
  });
}
