// Diagnosis precision over generated mutants of the solutions: every mutant that fails is graded, and each named
// mistake must reproduce the mutant's value on every failing test of that function (re-run here, independently of
// the library's bookkeeping). The count of misleading diagnoses must be 0. EXERCISE=03 narrows it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { executeCall, grade, inProcessHost, type LearnerModule } from '../../graders/lib/index';
import { diagnosisPrecision } from '../mutation/precision';
import { loadLearner } from '../../graders/lib/learner-module';

const root = join(__dirname, '..', '..', 'exercises');
const only = process.env.EXERCISE?.padStart(2, '0');
const folders = readdirSync(root).filter((d) => /^0[1-5]-/.test(d) && (!only || d.startsWith(`${only}-`))).sort();

/** Textual mutations in the spirit of Stryker's operators: [pattern, replacement]. */
const OPERATORS: [RegExp, string][] = [
  [/ \+ /g, ' - '], [/ - /g, ' + '], [/ \* /g, ' / '], [/ \/ /g, ' * '], [/ <= /g, ' < '], [/ < /g, ' <= '],
  [/ > /g, ' >= '], [/Math\.max/g, 'Math.min'], [/Math\.sqrt\(/g, '('], [/Math\.log\(/g, 'Math.log2('], [/ === /g, ' !== '],
  [/-Infinity/g, '-1e9'], [/\[i\]\[j\]/g, '[j][i]'], [/ \+= /g, ' -= '],
];

/** Every single-site mutant of `source` (one occurrence of one operator replaced), skipping the first comment line. */
function mutants(source: string): { where: string; code: string }[] {
  const out: { where: string; code: string }[] = [];
  const start = source.indexOf('\n') + 1;
  for (const [re, by] of OPERATORS) {
    for (const m of source.slice(start).matchAll(re)) {
      const at = start + m.index!;
      out.push({ where: `${re.source} → ${by} at offset ${at}`, code: source.slice(0, at) + m[0].replace(new RegExp(re.source), by) + source.slice(at + m[0].length) });
    }
  }
  return out;
}

describe.each(folders)('%s', (folder) => {
  const id = folder.slice(0, 2);
  const g = graders[id];
  it('names a mistake only when it reproduces every failing test of that function (0 misleading diagnoses)', async () => {
    const source = readFileSync(join(root, folder, 'solution.ts'), 'utf8');
    let failing = 0;
    let diagnosed = 0;
    const misleading: string[] = [];
    for (const mutant of mutants(source)) {
      let mod: LearnerModule;
      try {
        mod = loadLearner(mutant.code, 'mutant.ts');
      } catch {
        continue;
      }
      const r = await grade(g, inProcessHost(mod), { seed: 1 });
      if (r.tests.every((t) => t.status === 'pass')) continue;
      failing++;
      const p = diagnosisPrecision(g, r, mod, (m, c) => executeCall(m, c.fn, c.args));
      diagnosed += p.diagnosed;
      misleading.push(...p.misleading.map((x) => `${mutant.where}: ${x}`));
    }
    console.log(`exercise ${id}: ${failing} failing mutants, ${diagnosed} diagnosed tests, ${misleading.length} misleading`);
    expect(failing).toBeGreaterThan(0);
    expect(misleading).toEqual([]);
  });
});
