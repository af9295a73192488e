// Under --secret-seed the grade cannot come from values a learner could have copied: a lookup table of the fixed
// cases' expected values (shown to learners in failing runs) scores nothing, and no case seed appears in any
// learner-facing results file. Both sandboxes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { runBatch } from '../../instructor/cli';
import { parseReport } from '../../instructor/report/schema';
import { exerciseFiles, submission } from './corpus';

const ex = exerciseFiles();
const root = mkdtempSync(join(tmpdir(), 'instructor-secret-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** JS source for plain data, keeping NaN, ±Infinity and -0. */
function src(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v)) return `[${v.map(src).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${src(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

/** A learner file that knows only the public fixed cases: each export looks its arguments up in a table. */
function lookupTable(id: string): string {
  const table = new Map<string, Record<string, unknown>>();
  const fns = new Set<string>();
  for (const t of graders[id].tests(1)) {
    fns.add(t.make(t.params, 0).fn);
    if (t.seed !== null) continue;
    const c = t.make(t.params, 0);
    const key = c.fn + JSON.stringify(c.args);
    const e = table.get(key) ?? {};
    if (c.field) e[c.field] = c.expected;
    else e.__value = c.expected;
    table.set(key, e);
  }
  const entries = [...table].map(([k, v]) => `[${JSON.stringify(k)}, ${src(v)}]`).join(',\n');
  const lookup = `const T = new Map<string, any>([${entries}]);\nfunction look(fn: string, a: unknown[]): any { const e = T.get(fn + JSON.stringify(a)); if (!e) throw new Error('not in my table'); return '__value' in e ? e.__value : e; }\n`;
  return lookup + [...fns].map((fn) => `export function ${fn}(...a: any[]): any { return look('${fn}', a); }`).join('\n') + '\n';
}

describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (kind) => {
  it('a lookup table of the public fixed cases earns points on the public seed and none on a secret one; no seed reaches learners', async () => {
    const d = join(root, kind);
    mkdirSync(d, { recursive: true });
    const ids = ['01', '02', '05'];
    writeFileSync(join(d, 'table.json'), JSON.stringify(submission('Table', Object.fromEntries(ids.map((id) => [id, { code: lookupTable(id) }])))));
    // A known mistake: failing random cases are shrunk, and their messages quote the case seed.
    const e01 = ex.find((e) => e.id === '01')!;
    writeFileSync(join(d, 'mistake.json'), JSON.stringify(submission('Mia', { '01': { code: Object.values(e01.mistakes)[0], c: e01.correctC } })));
    const codePoints = (dir: string, name: string) => {
      const r = parseReport(readFileSync(join(dir, 'report.json'), 'utf8'));
      if (!r.ok) throw new Error(r.error);
      const l = r.value.learners.find((x) => x.learner === name)!;
      return { points: l.exercises.reduce((s, e) => s + e.result.parts.a.points + e.result.parts.b.points, 0), report: r.value, l };
    };
    const pub = join(d, 'public');
    await runBatch([d, '--out', pub, '--sandbox', kind, '--jobs', '1', '--quiet'], { stdout: () => {}, stderr: () => {} });
    expect(codePoints(pub, 'Table').points).toBeGreaterThan(0); // the attack works where the cases are public
    const sec = join(d, 'secret');
    await runBatch([d, '--out', sec, '--sandbox', kind, '--jobs', '1', '--quiet', '--secret-seed', 'owl hedge 42'], { stdout: () => {}, stderr: () => {} });
    const { points, report } = codePoints(sec, 'Table');
    expect(points).toBe(0);
    // The fixed cases still ran and are reported (they pass), with no weight.
    const fixed = report.learners.find((x) => x.learner === 'Table')!.exercises.find((e) => e.exerciseId === '01')!.result.tests.filter((t) => t.seed === null && t.part !== 'c');
    expect(fixed.some((t) => t.status === 'pass')).toBe(true);
    // Learner-facing results: no case seed, in any form.
    const { l } = codePoints(sec, 'Mia');
    const text = readFileSync(join(sec, l.resultsFile), 'utf8');
    expect(text).toMatch(/smallest failing case/);
    expect(text).not.toMatch(/seed\s*[:=#]?\s*\d/i);
    for (const t of l.exercises[0].result.tests) if (t.seed !== null) expect(text).not.toContain(String(t.seed));
  }, 180_000);
});
