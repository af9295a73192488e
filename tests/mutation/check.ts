// Reads Stryker's report (reports/mutation/mutation.json) after `stryker run` and fails when the graders fall short:
// a mutant survived (or no test reached it), more than 10 % of the mutants are disabled, the report is not of the
// current solutions, or a killed mutant gets a misleading diagnosis. Every killed mutant is graded in full on the
// first mutation seed that fails it (shrinking and diagnosis included, each call under the CLI's time limit); a
// diagnosis is misleading when its named mistake does not reproduce the mutant's value on every failing test of that
// function. Prints the per-exercise table the README quotes. `npm run mutation` runs it; EXERCISE=03 narrows it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graders } from '../../graders/index';
import { grade } from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';
import { firstFailingCase } from '../graders/seeds';
import { casesOf, MUTATION_SEEDS } from './cases';
import { diagnosisPrecision } from './precision';
import { callLimitMs, timedCall, timedHost } from './time-limit';

interface Position { line: number; column: number }
interface Mutant { id: string; mutatorName: string; replacement?: string; location: { start: Position; end: Position }; status: string; statusReason?: string }
interface Report { files: Record<string, { source: string; mutants: Mutant[] }> }

const root = join(import.meta.dirname, '..', '..');
const report = JSON.parse(readFileSync(join(root, 'reports', 'mutation', 'mutation.json'), 'utf8')) as Report;
const only = process.env.EXERCISE?.split(',').map((e) => e.trim().padStart(2, '0'));
const problems: string[] = [];

/** Offset of a 1-based line/column position in `source`. */
function offset(source: string, p: Position): number {
  let at = 0;
  for (let l = 1; l < p.line; l++) at = source.indexOf('\n', at) + 1;
  return at + p.column - 1;
}

/** The solution with one mutant applied (Stryker's replacement text at its location). */
const applied = (source: string, m: Mutant) =>
  source.slice(0, offset(source, m.location.start)) + (m.replacement ?? '') + source.slice(offset(source, m.location.end));

const rows: string[] = [];
const totals = { mutants: 0, killed: 0, timeouts: 0, survived: 0, disabled: 0, graded: 0, diagnosed: 0, misleading: 0 };
for (const file of Object.keys(report.files).sort()) {
  const { source, mutants } = report.files[file];
  const id = /exercises\/(\d\d)-/.exec(file)?.[1];
  const g = id ? graders[id] : undefined;
  if (!id || !g) {
    problems.push(`${file}: not an exercise solution`);
    continue;
  }
  if (readFileSync(join(root, file), 'utf8') !== source) problems.push(`${file}: changed since the report was written — run npm run mutation again`);
  const count = (...s: string[]) => mutants.filter((m) => s.includes(m.status)).length;
  const n = { mutants: mutants.length, killed: count('Killed'), timeouts: count('Timeout'), survived: count('Survived', 'NoCoverage'), disabled: count('Ignored') };
  const other = mutants.filter((m) => !['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored'].includes(m.status));
  for (const m of mutants.filter((x) => ['Survived', 'NoCoverage'].includes(x.status))) {
    problems.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement)} ${m.status.toLowerCase()}`);
  }
  for (const m of other) problems.push(`${file}:${m.location.start.line} ${m.mutatorName} ended as ${m.status}: ${m.statusReason ?? ''}`);

  // Diagnosis precision over the killed mutants.
  const started = performance.now();
  const ms = callLimitMs(g.meta.timeLimitMs);
  let graded = 0;
  let diagnosed = 0;
  let misleading = 0;
  for (const m of mutants.filter((x) => x.status === 'Killed')) {
    const mod = loadLearner(applied(source, m), 'mutant.ts');
    const seed = MUTATION_SEEDS.find((s) => firstFailingCase(mod, casesOf(g, s), (x, c) => timedCall(x, c, ms)) !== null);
    if (seed === undefined) {
      problems.push(`${file}:${m.location.start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement)}: Stryker killed it, but it passes every mutation seed here`);
      continue;
    }
    const r = await grade(g, timedHost(mod, ms), { seed });
    const p = diagnosisPrecision(g, r, mod, (x, c) => timedCall(x, c, ms));
    graded++;
    diagnosed += r.tests.some((t) => t.diagnosis) ? 1 : 0;
    misleading += p.misleading.length ? 1 : 0;
    for (const x of p.misleading) problems.push(`${file}:${m.location.start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement)} (seed ${seed}): ${x}`);
  }
  process.stderr.write(`exercise ${id}: ${graded} killed mutants graded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  rows.push(`| ${id} | ${n.mutants} | ${n.killed + n.timeouts} | ${n.timeouts} | ${n.survived} | ${n.disabled} | ${graded} | ${diagnosed} | ${misleading} |`);
  for (const k of Object.keys(n) as (keyof typeof n)[]) totals[k] += n[k];
  totals.graded += graded;
  totals.diagnosed += diagnosed;
  totals.misleading += misleading;
}

const expected = only ?? Object.keys(graders);
for (const id of expected) if (!Object.keys(report.files).some((f) => f.includes(`exercises/${id}-`))) problems.push(`exercise ${id}: no mutants in the report`);
if (totals.disabled > 0.1 * totals.mutants) problems.push(`${totals.disabled} of ${totals.mutants} mutants are disabled (at most 10 %)`);

console.log('| exercise | mutants | killed (incl. timeouts) | timeouts | survived | disabled | killed mutants graded | with a diagnosis | misleading |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
const t = totals;
console.log(`| all | ${t.mutants} | ${t.killed + t.timeouts} | ${t.timeouts} | ${t.survived} | ${t.disabled} | ${t.graded} | ${t.diagnosed} | ${t.misleading} |`);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nEvery mutant is killed or disabled, and no diagnosis of a killed mutant is misleading.');
