// Runs every bench/*.bench.ts module in one process and prints one table.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { BenchModule, BenchRow } from './lib.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as BenchModule;
  rows.push(...(await mod.default()));
}

const head: BenchRow = { area: 'area', metric: 'metric', value: 'value', note: 'note' };
const cols = ['area', 'metric', 'value', 'note'] as const;
const width = cols.map((c) => Math.max(...[head, ...rows].map((r) => (r[c] ?? '').length)));
const line = (r: BenchRow) => '| ' + cols.map((c, i) => (r[c] ?? '').padEnd(width[i])).join(' | ') + ' |';
console.log(`Node ${process.version}, ${new Date().toISOString()}`);
console.log(line(head));
console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
