// The both-ways check: every solution passes everything, every starter fails, every known mistake fails and is
// recognised by its own name. Runs for every exercise folder that exists; EXERCISE=07 narrows it to one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { GradeResult, grade, inProcessHost, type Grader } from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';
import { firstFailingTest } from './seeds';

const root = join(__dirname, '..', '..', 'exercises');
const only = process.env.EXERCISE?.padStart(2, '0');
const folders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name) && (!only || d.name.startsWith(`${only}-`)))
  .map((d) => d.name)
  .sort();
const SEEDS = Number(process.env.GRADER_SEEDS ?? 200);
/** 200-seed sweeps take over a minute when the machine is loaded (~75 s at load 30 for 09 and 10): a time limit is not what they test. */
const SEED_SWEEP_TIMEOUT = 600_000;

/** Loads a learner file the way runners do: read the source, transpile with sucrase, evaluate. */
const load = (folder: string, file: string) => loadLearner(readFileSync(join(root, folder, file), 'utf8'), file);
const correctChoice = (g: Grader) => g.meta.concept.choices.find((c) => c.correct)!.id;

describe.each(folders)('exercise %s', (folder) => {
  const id = folder.slice(0, 2);
  const g = graders[id];

  it('has a registered grader whose meta matches the folder', () => {
    expect(g, `graders/index.ts has no grader for ${id}`).toBeDefined();
    expect(g.meta.slug).toBe(folder);
    const json = JSON.parse(readFileSync(join(root, folder, 'meta.json'), 'utf8'));
    expect(json.id).toBe(id);
  });

  it('registers every file of mistakes/ (and nothing else) by its file name', () => {
    const files = readdirSync(join(root, folder, 'mistakes')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(g.mistakes.map((m) => m.name).sort()).toEqual(files);
  });

  it('declares every exported function of meta.json in the starter, the solution and each mistake', () => {
    const names = g.meta.exports.map((e) => e.name);
    for (const f of ['starter.ts', 'solution.ts', ...readdirSync(join(root, folder, 'mistakes')).map((m) => `mistakes/${m}`)]) {
      const mod = load(folder, f);
      for (const n of names) expect(typeof mod[n], `${f} exports ${n}`).toBe('function');
    }
  });

  it('has stable, unique test ids and readable titles', () => {
    const a = g.tests(1).map((t) => t.id);
    expect(new Set(a).size).toBe(a.length);
    expect(g.tests(2).map((t) => t.id)).toEqual(a);
    for (const t of g.tests(1)) expect(t.title.length).toBeGreaterThan(10);
    expect(g.tests(1).some((t) => t.part === 'a') && g.tests(1).some((t) => t.part === 'b')).toBe(true);
  });

  it(`the solution passes every test for ${SEEDS} seeds`, async () => {
    const host = inProcessHost(load(folder, 'solution.ts'));
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await grade(g, host, { seed, answers: { c: correctChoice(g) } });
      const bad = r.tests.filter((t) => t.status !== 'pass');
      expect(bad.map((t) => `seed ${seed} ${t.id}: ${t.message}`)).toEqual([]);
      expect(r.total.points).toBe(r.total.maxPoints);
    }
    // The result validates against the published schema.
    GradeResult.parse(await grade(g, host, { seed: 7 }));
  }, SEED_SWEEP_TIMEOUT);

  it('the starter fails every test of parts (a) and (b)', async () => {
    const r = await grade(g, inProcessHost(load(folder, 'starter.ts')), { seed: 1 });
    const ab = r.tests.filter((t) => t.part !== 'c');
    expect(ab.filter((t) => t.status === 'pass').map((t) => t.id)).toEqual([]);
    expect(r.parts.a.points + r.parts.b.points).toBe(0);
    expect(r.parts.c.points).toBe(0); // no answer given
  });

  const mistakeFiles = readdirSync(join(root, folder, 'mistakes')).filter((f) => f.endsWith('.ts')).sort();
  it.each(mistakeFiles)('mistake %s fails and is diagnosed by its own name', async (file) => {
    const name = file.slice(0, -3);
    expect(readFileSync(join(root, folder, 'mistakes', file), 'utf8')).toMatch(/^\/\/ Wrong: .+/);
    const host = inProcessHost(load(folder, `mistakes/${file}`));
    for (const seed of [1, 2, 3]) {
      const r = await grade(g, host, { seed, answers: { c: correctChoice(g) } });
      const failed = r.tests.filter((t) => t.status !== 'pass');
      expect(failed.length, `seed ${seed}: ${name} fails no test`).toBeGreaterThan(0);
      // Its own name is the most frequent diagnosis, and every diagnosed failure names it.
      expect(r.diagnoses[0]?.mistake, `seed ${seed}: diagnoses ${JSON.stringify(r.diagnoses)}`).toBe(name);
      expect(r.diagnoses.map((d) => d.mistake)).toEqual([name]);
    }
  });

  it.each(mistakeFiles)(`mistake %s fails some test on each of ${SEEDS} seeds`, (file) => {
    const mod = load(folder, `mistakes/${file}`);
    const escaped: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) if (firstFailingTest(g, mod, seed) === null) escaped.push(seed);
    expect(escaped, 'seeds on which the mistake passes every test').toEqual([]);
  }, SEED_SWEEP_TIMEOUT);
});
