// The grading CLI end to end: spawned like a user would run it (tsx under the same Node as vitest).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const ex01 = join(root, 'exercises', '01-scaled-dot-product');

function grade(...args: string[]) {
  const r = spawnSync(process.execPath, [tsxCli, join(root, 'scripts', 'grade.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'grade-cli-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('npm run grade', () => {
  it('grades a correct file: readable report, exit 0', () => {
    const r = grade('--exercise', '01', join(ex01, 'solution.ts'), '--answer-c', 'saturate');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Exercise 01 — Scaled dot-product attention');
    expect(r.out).toMatch(/Part \(b\) numbers: 5\/5 points, 33\/33 tests pass/);
    expect(r.out).toContain('Total: 10/10 — all tests pass');
  });

  it('prints the JSON result with the diagnosis for a known mistake, exit 1', () => {
    const r = grade('--exercise', '1', join(ex01, 'mistakes', 'missing-scale.ts'), '--json', '--seed', '9');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ schemaVersion: 1, exerciseId: '01', seed: 9 });
    expect(json.diagnoses[0].mistake).toBe('missing-scale');
  });

  it('stops an endless loop per test, restarts the sandbox and grades the rest', () => {
    const loop = file('loop.ts', `
      export function shapes(Tq: number, Tk: number, dK: number, dV: number) {
        return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
      }
      export function attention(Q: number[][], K: number[][], V: number[][]) {
        if (K.length === 1 && Q.length === 1 && Q[0].length === 3) while (true) {}
        return { scores: [], weights: [], output: [] };
      }`);
    const r = grade('--exercise', '01', loop, '--json', '--timeout', '400');
    expect(r.code).toBe(1);
    const tests = JSON.parse(r.out).tests as { id: string; status: string; message: string }[];
    const byId = Object.fromEntries(tests.map((t) => [t.id, t]));
    expect(byId['b.output.single-token']).toMatchObject({ status: 'timeout', message: 'attention() was stopped after 400 ms — is there an endless loop?' });
    expect(byId['a.shapes.random-4'].status).toBe('pass');
    expect(byId['b.output.random-1'].status).toBe('fail'); // graded after the restarts
  });

  it('reports a file that does not compile once, as file:line:column with the line quoted, exit 1', () => {
    const broken = file('broken.ts', 'export function shapes(Tq: number) {\n  return { Q: [Tq, };\n}\n');
    const json = grade('--exercise', '01', broken, '--json');
    expect(json.code).toBe(1);
    const t = JSON.parse(json.out).tests[0];
    expect(t.status).toBe('error');
    expect(t.message).toBe('your file could not be loaded: SyntaxError: broken.ts:2:20: Unexpected token');
    const text = grade('--exercise', '01', broken).out;
    expect(text.match(/broken\.ts:2:20/g)).toHaveLength(1);
    expect(text).toContain('Your file could not be loaded: broken.ts:2:20: Unexpected token\n    return { Q: [Tq, };\n');
    expect(text).not.toMatch(/grade-worker|learner-module|sucrase|node_modules/);
  });

  it('quotes the line of the learner file that threw, and shows the inputs and a runnable call for a failing test', () => {
    const thrower = file('thrower.ts', [
      'export function shapes(Tq: number, Tk: number, dK: number, dV: number) {',
      '  const sizes = { Q: [Tq, dK] } as any;',
      '  return sizes.S.length;',
      '}',
    ].join('\n'));
    const text = grade('--exercise', '01', thrower).out;
    expect(text).toContain("shapes() threw TypeError: Cannot read properties of undefined (reading 'length') (line 3 of your file)");
    expect(text).toContain('      line 3: return sizes.S.length;');
    expect(text).toContain('      inputs: Tq = 2, Tk = 2, dK = 2, dV = 2');
    expect(text).toContain('      copy as code:\n        const Tq = 2;');
  });

  it('ends a memory bomb with a message', () => {
    const bomb = file('bomb.ts', `
      export function shapes(Tq: number) {
        const hoard: number[][] = [];
        if (Tq === 2) for (;;) hoard.push(new Array(1e6).fill(Tq));
        return hoard;
      }`);
    // A generous wall-clock limit so the heap limit, not the timer, ends the run.
    const r = grade('--exercise', '01', bomb, '--json', '--timeout', '30000');
    const t = JSON.parse(r.out).tests[0];
    expect(t.status).toBe('error');
    expect(t.message).toMatch(/was ended: it ran out of memory/);
  });

  it('exits 2 on bad usage', () => {
    expect(grade(join(ex01, 'solution.ts')).code).toBe(2);
    expect(grade('--exercise', '01').err).toMatch(/exactly one answer file/);
    expect(grade('--exercise', '42', join(ex01, 'solution.ts')).err).toMatch(/unknown exercise 42/);
    expect(grade('--exercise', '01', '--frobnicate', join(ex01, 'solution.ts')).err).toMatch(/unknown option --frobnicate/);
    expect(grade('--exercise', '01', join(tmp, 'missing.ts')).err).toMatch(/cannot read/);
    expect(grade('--exercise', '01', join(ex01, 'solution.ts'), '--seed', 'x').code).toBe(2);
  });
});
