// The Gradescope autograder zip, run as Gradescope runs it: unzipped into a simulated AUTOGRADER_ROOT tree and
// started through its own run_autograder with the system Node (not the repository's Node 22, and without
// node_modules: so the bundle must stand alone and falls back to the embedded QuickJS). Its results.json is
// checked against a zod schema of Gradescope's specification for a correct, a partial, a hostile, a malformed
// and a missing submission.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildAutograderZip, parseBuildArgs } from '../../instructor/gradescope/build';
import { exerciseFiles, hostileCodes, submission } from './corpus';

/** results.json as https://gradescope-autograders.readthedocs.io/en/latest/specs/ defines it (unknown keys refused). */
const Visibility = z.enum(['hidden', 'after_due_date', 'after_published', 'visible']);
const OutputFormat = z.enum(['text', 'html', 'simple_format', 'md', 'ansi']);
const GradescopeTest = z.strictObject({
  score: z.number().optional(),
  max_score: z.number().optional(),
  status: z.enum(['passed', 'failed']).optional(),
  name: z.string().optional(),
  name_format: OutputFormat.optional(),
  number: z.string().optional(),
  output: z.string().optional(),
  output_format: OutputFormat.optional(),
  tags: z.array(z.string()).optional(),
  visibility: Visibility.optional(),
  extra_data: z.record(z.string(), z.unknown()).optional(),
});
const GradescopeResults = z.strictObject({
  score: z.number().optional(),
  max_score: z.number().optional(),
  execution_time: z.number().optional(),
  output: z.string().optional(),
  output_format: OutputFormat.optional(),
  test_output_format: OutputFormat.optional(),
  test_name_format: OutputFormat.optional(),
  visibility: Visibility.optional(),
  stdout_visibility: Visibility.optional(),
  extra_data: z.record(z.string(), z.unknown()).optional(),
  tests: z.array(GradescopeTest).optional(),
  leaderboard: z.array(z.object({ name: z.string(), value: z.union([z.number(), z.string()]) })).optional(),
});
/** What this autograder promises on top of the specification. */
const Ours = GradescopeResults.extend({
  score: z.number(),
  execution_time: z.number(),
  output: z.string(),
  tests: z.array(GradescopeTest.extend({ name: z.string(), score: z.number(), max_score: z.number(), status: z.enum(['passed', 'failed']), output: z.string(), output_format: z.literal('md'), visibility: Visibility })),
});
type Results = z.infer<typeof Ours>;

const ex = exerciseFiles();
const [e1, e2] = ex;
const dir = mkdtempSync(join(tmpdir(), 'gradescope-'));
const zipPath = join(dir, 'autograder.zip');
let zipFiles: Record<string, Uint8Array>;
// The system Node (≥ 20) outside the repository: no node_modules/.bin on PATH.
const PATH = ['/usr/local/bin', '/usr/bin', '/bin'].join(':');
const systemNode = spawnSync('node', ['--version'], { env: { PATH }, encoding: 'utf8' }).stdout.trim();

/** Makes a Gradescope-like tree, puts `files` in submission/, runs run_autograder; returns results.json. */
function runAutograder(name: string, files: Record<string, string>, metadata?: unknown, setup?: { node22: boolean }): { results: Results; stdout: string } {
  const root = join(dir, name);
  mkdirSync(join(root, 'source'), { recursive: true });
  // What setup.sh leaves on Gradescope: Node 22 first on PATH and isolated-vm in source/node_modules.
  if (setup?.node22) symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(root, 'source', 'node_modules'));
  const path = setup?.node22 ? `${dirname(process.execPath)}:${PATH}` : PATH;
  mkdirSync(join(root, 'submission'), { recursive: true });
  for (const [f, bytes] of Object.entries(zipFiles)) writeFileSync(join(root, 'source', f), bytes);
  // Gradescope copies run_autograder to /autograder and runs it from there.
  writeFileSync(join(root, 'run_autograder'), zipFiles.run_autograder);
  chmodSync(join(root, 'run_autograder'), 0o755);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, 'submission', f), text);
  if (metadata) writeFileSync(join(root, 'submission_metadata.json'), JSON.stringify(metadata));
  const r = spawnSync(join(root, 'run_autograder'), [], { cwd: root, env: { PATH: path, AUTOGRADER_ROOT: root, HOME: root }, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const parsed = Ours.safeParse(JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')));
  if (!parsed.success) throw new Error(`results.json does not follow the specification: ${JSON.stringify(parsed.error.issues[0])}`);
  return { results: parsed.data, stdout: r.stdout };
}
// The tests' shares add up to the assignment's points (to the cent).
const max = (r: Results) => Math.round(r.tests.reduce((s, t) => s + t.max_score, 0) * 100) / 100;

describe('Gradescope autograder', () => {
  beforeAll(async () => {
    await buildAutograderZip(parseBuildArgs(['--out', zipPath, '--exercises', `${e1.id},${e2.id}`, '--secret-seed', 'gradescope test', '--timeout', '1000']));
    zipFiles = unzipSync(readFileSync(zipPath));
  }, 120_000);

  it('is a zip with setup.sh, run_autograder and one bundled grader at its root', () => {
    expect(Object.keys(zipFiles).sort()).toEqual(['grader.mjs', 'run_autograder', 'setup.sh']);
    const setup = strFromU8(zipFiles['setup.sh']);
    expect(setup).toMatch(/setup_22\.x/);
    expect(setup).toMatch(/isolated-vm@\d+\.\d+\.\d+/);
    expect(strFromU8(zipFiles.run_autograder)).toMatch(/^#!\/usr\/bin\/env bash/);
    // One file: no import of anything but Node's built-ins and the optional isolated-vm.
    const imports = [...strFromU8(zipFiles['grader.mjs']).matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]);
    expect(imports.filter((m) => !m.startsWith('node:'))).toEqual([]);
    expect(Number(/^v(\d+)/.exec(systemNode)?.[1])).toBeGreaterThanOrEqual(20);
  });

  it('grades a correct submission to full marks, with the Gradescope user name', () => {
    const { results: r } = runAutograder('correct', { 'my-export.json': JSON.stringify(submission('ada-42', { [e1.id]: { code: e1.solution, c: e1.correctC }, [e2.id]: { code: e2.solution, c: e2.correctC } })) }, {
      users: [{ email: 'ada@example.org', id: 1234, name: 'Ada Lovelace' }],
      created_at: '2026-12-01T10:00:00Z',
      assignment: { title: 'Attention 1–2', total_points: 20 },
    });
    expect(r.score).toBe(max(r));
    expect(r.max_score).toBe(max(r));
    expect(r.tests.every((t) => t.status === 'passed')).toBe(true);
    expect(r.output).toContain('Ada Lovelace');
    expect(r.output).toContain('QuickJS');
    // Only the two exercises of this assignment are graded.
    expect(new Set(r.tests.map((t) => t.name.slice(0, 2)))).toEqual(new Set([e1.id, e2.id]));
    // Secret seed: tests on random cases are hidden until grades are published; the fixed ones are visible.
    expect(r.tests.some((t) => t.visibility === 'after_published')).toBe(true);
    expect(r.tests.some((t) => t.visibility === 'visible')).toBe(true);
  });

  it('grades in V8 isolates where setup.sh installed Node 22 and isolated-vm, with the same score', () => {
    const work = { [e1.id]: { code: e1.solution, c: e1.correctC }, [e2.id]: { code: e2.starter, c: e2.correctC } };
    const fast = runAutograder('isolate', { 's.json': JSON.stringify(submission('ivy', work)) }, undefined, { node22: true }).results;
    const slow = runAutograder('quickjs', { 's.json': JSON.stringify(submission('ivy', work)) }).results;
    expect(fast.output).toContain('sandbox: V8 isolate');
    expect(slow.output).toContain('sandbox: QuickJS');
    expect(fast.score).toBe(slow.score);
    expect(fast.tests.map((t) => [t.name, t.status, t.score])).toEqual(slow.tests.map((t) => [t.name, t.status, t.score]));
  });

  it('grades a partial submission partially and explains the failures', () => {
    const { results: r } = runAutograder('partial', { 'a.json': JSON.stringify(submission('ben', { [e1.id]: { code: e1.solution, c: e1.correctC }, [e2.id]: { code: e2.starter, c: e2.wrongC } })) });
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(max(r));
    const failed = r.tests.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((t) => t.score === 0 && t.name.startsWith(e2.id))).toBe(true);
    expect(failed[0].output).toMatch(/^```/);
    expect(r.tests.map((t) => t.output).join('\n')).not.toMatch(/case seed/);
  });

  it('survives hostile code: a stopped infinite loop, tampered built-ins, markdown in messages', () => {
    const hostile = hostileCodes(e1.solution);
    const sneaky = `${e2.starter}\nexport function never() {}\nthrow new Error('\`\`\`\\n<img src=x onerror=alert(1)> **bold**');\n`;
    const { results: r } = runAutograder('hostile', { 'h.json': JSON.stringify(submission('eve', { [e1.id]: { code: hostile['infinite-loop'], c: e1.correctC }, [e2.id]: { code: sneaky } })) });
    expect(r.score).toBeLessThan(max(r));
    expect(r.tests.some((t) => t.name.startsWith(e1.id) && /time/i.test(t.output))).toBe(true);
    // The learner's text sits inside a code fence longer than any backtick run in it.
    const quoted = r.tests.find((t) => t.output.includes('onerror'))!;
    expect(quoted.output).toMatch(/^````text\n[\s\S]*\n````$/);
  }, 60_000);

  it('leaves a provisional results.json when killed mid-grading (e.g. by Gradescope\'s time limit)', async () => {
    const { results: first } = runAutograder('killed', { 'k.json': JSON.stringify(submission('kim', { [e1.id]: { code: hostileCodes(e1.solution)['infinite-loop'] } })) });
    expect(first.tests.length).toBeGreaterThan(0);
    const root = join(dir, 'killed');
    const out = join(root, 'results', 'results.json');
    rmSync(out);
    // Again, directly, killed as soon as the grader has written its first results.json: the endless loop keeps it
    // busy for seconds after that.
    const child = spawn('node', ['--no-node-snapshot', join(root, 'source', 'grader.mjs')], { env: { PATH, AUTOGRADER_ROOT: root }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    for (let waited = 0; !existsSync(out) && waited < 60_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const left = Ours.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(left.score).toBe(0);
    expect(left.output).toMatch(/stopped before it finished/);
  }, 90_000);

  it('gives score 0 and one sentence for a malformed, a foreign or a missing submission', () => {
    for (const [name, files] of [
      ['malformed', { 'sub.json': '{"format": "attention-mechanism-math/submission", ' }],
      ['foreign', { 'notes.txt': 'hello' }],
      ['missing', {}],
    ] as const) {
      const { results: r } = runAutograder(name, files);
      expect(r.score).toBe(0);
      expect(r.tests).toEqual([]);
      expect(r.output).not.toContain('\n');
      expect(r.output.length).toBeGreaterThan(20);
    }
  });
});
