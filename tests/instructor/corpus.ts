// Generates a class of submission files for the instructor tests and the bench: correct, partial, one per known
// mistake, hostile code, and bad files. Exercises are discovered from exercises/*/meta.json, so new exercise
// folders join the corpus without changes here.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SUBMISSION_FORMAT, type History, type Submission } from '../../src/workspace/submission';

const ROOT = new URL('../../', import.meta.url).pathname;

/** One exercise folder with what the corpus needs from it. */
export interface ExerciseFiles {
  id: string;
  dir: string;
  solution: string;
  starter: string;
  /** Mistake file name without .ts → code. */
  mistakes: Record<string, string>;
  /** Id of the correct concept choice, and of one wrong one. */
  correctC: string;
  wrongC: string;
}

/** Every exercise folder that has a meta.json, a solution and a starter, in id order. */
export function exerciseFiles(): ExerciseFiles[] {
  const base = join(ROOT, 'exercises');
  return readdirSync(base)
    .filter((d) => /^\d\d-/.test(d) && existsSync(join(base, d, 'meta.json')) && existsSync(join(base, d, 'solution.ts')))
    .sort()
    .map((d) => {
      const dir = join(base, d);
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { id: string; concept: { choices: { id: string; correct: boolean }[] } };
      const mdir = join(dir, 'mistakes');
      const mistakes: Record<string, string> = {};
      if (existsSync(mdir)) for (const f of readdirSync(mdir).filter((f) => f.endsWith('.ts')).sort()) mistakes[f.slice(0, -3)] = readFileSync(join(mdir, f), 'utf8');
      return {
        id: meta.id,
        dir,
        solution: readFileSync(join(dir, 'solution.ts'), 'utf8'),
        starter: readFileSync(join(dir, 'starter.ts'), 'utf8'),
        mistakes,
        correctC: meta.concept.choices.find((c) => c.correct)!.id,
        wrongC: meta.concept.choices.find((c) => !c.correct)!.id,
      };
    });
}

/** One exercise as it appears in a submission. */
export interface Work {
  code: string;
  c?: string | null;
  freeText?: string;
  /** The browser's recorded history; any exercise with one makes the file version 2. */
  history?: History;
}

/**
 * A valid submission object (browser results marked informational, and deliberately flattering): version 1 (no
 * history) unless some exercise brings a history, then version 2 (exercises without one get an empty history).
 */
export function submission(learner: string, work: Record<string, Work>, exportedAt = '2026-11-20T10:00:00.000Z', courseVersion = '0.1.0'): Submission {
  const v2 = Object.values(work).some((w) => w.history);
  const exercises: Record<string, Submission['exercises'][string] & { history?: History }> = {};
  for (const [id, w] of Object.entries(work)) {
    exercises[id] = {
      code: w.code,
      answers: { c: w.c ?? null, freeText: w.freeText ?? '' },
      // The browser claims everything passed; the instructor must never believe it.
      browser: { informational: true, attempts: 3, partsPassed: { a: true, b: true, c: true }, result: null },
      ...(v2 ? { history: w.history ?? { runs: 0, firstRunAt: null, lastRunAt: null, passedAt: null, hints: [], solutionRevealedAt: null, choices: [] } } : {}),
    };
  }
  return { format: SUBMISSION_FORMAT, version: v2 ? 2 : 1, learner, courseVersion, exportedAt, exercises } as Submission;
}

/** Hostile variants of exercise 01's code: the solution with one function replaced or wrapped. */
export function hostileCodes(solution01: string): Record<string, string> {
  const withAttention = (body: string) => solution01.replace(/export function attention\(/, 'function attentionOriginal(') + `\nexport function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {\n${body}\n}\n`;
  return {
    'infinite-loop': withAttention('for (;;) {}'),
    'top-level-loop': `while (true) {}\n${solution01}`,
    'deep-recursion': withAttention('const f = (n: number): number => f(n + 1) + 1; return f(0) as never;'),
    'memory-bomb': withAttention('const a: number[][] = []; for (;;) a.push(new Array(1e5).fill(1)); return a as never;'),
    'tamper-builtins': `(Array.prototype as any).map = function () { return 'pwned'; };\n(Math as any).exp = () => 1;\n(globalThis as any).Float64Array = function () { throw new Error('gone'); };\n(Object as any).keys = () => [];\n(JSON as any).stringify = () => '"pwned"';\n(JSON as any).parse = () => ({ kind: 'return', value: 'pwned' });\n${solution01}`,
    'reads-files-env-network': withAttention(`
      const found: string[] = [];
      const g = globalThis as any;
      try { found.push('fs:' + String((require as any)('fs').readFileSync('/etc/passwd', 'utf8')).slice(0, 20)); } catch { found.push('no-fs'); }
      try { found.push('env:' + JSON.stringify(g.process.env).slice(0, 20)); } catch { found.push('no-env'); }
      try { g.fetch('http://127.0.0.1:9/'); found.push('net:fetch'); } catch { found.push('no-fetch'); }
      try { new g.XMLHttpRequest(); found.push('net:xhr'); } catch { found.push('no-xhr'); }
      try { g.std.loadFile('/etc/passwd'); found.push('qjs:std'); } catch { found.push('no-std'); }
      try { g.os.exec(['ls']); found.push('qjs:os'); } catch { found.push('no-os'); }
      found.push(typeof g.WebAssembly === 'object' ? 'wasm-present' : 'no-wasm');
      console.log(JSON.stringify(found));
      return found as never;`),
    'throws-non-errors': withAttention(`throw { toString() { for (;;) {} } };`),
    'throws-primitive': withAttention('throw 42;'),
    'never-settles': withAttention('return new Promise(() => {}) as never;'),
    'async-never-settles': solution01.replace(/export function attention\(/, 'function attentionOriginal(') + `\nexport async function attention() { await new Promise(() => {}); }\n`,
    'huge-output': withAttention(`const big = 'x'.repeat(10000); for (let i = 0; i < 100000; i++) console.log(big, i); return Array.from({ length: 3e6 }, () => 0.5) as never;`),
    'syntax-error': `${solution01}\nexport function broken( {{{`,
    'cheats-with-getter': withAttention(`return { get scores() { for (;;) {} }, weights: [[1]], output: [[1]] } as never;`),
  };
}

/** Bad files (name → content); the 100 MB file is made by the test itself. */
export function badFiles(valid: Submission): Record<string, string | Buffer> {
  const v99 = { ...valid, version: 99 };
  return {
    'malformed.json': '{"format": "attention-mechanism-math/submission", "version": 1, "learner": ',
    'unknown-version.json': JSON.stringify(v99),
    'other-format.json': JSON.stringify({ hello: 'world' }),
    'empty.json': '',
    'binary-garbage.json': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 256)),
    'damaged.json': JSON.stringify({ ...valid, exercises: { '01': { code: 42 } } }),
  };
}
