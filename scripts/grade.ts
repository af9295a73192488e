// CLI: grade one learner file for one exercise.
//   npm run grade -- --exercise 07 path/to/answer.ts [--seed N] [--json] [--answer-c ID] [--free-text TEXT] [--timeout MS]
// Exit codes: 0 all graded tests pass, 1 some test does not pass, 2 bad usage or unreadable input.
// Learner code runs in a worker thread (scripts/grade-worker.ts); the grader stays in this process.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { getGrader, graders } from '../graders/index';
import { assemble, gradeConcept, listTests, runTest, type Answers, type GradeResult, type TestResult } from '../graders/lib/index';
import { createWorkerHost } from './worker-host';

/** Parsed command line. Batch mode (files or folders with --out) will extend this. */
export interface CliArgs {
  exercise?: string;
  files: string[];
  seed: number;
  json: boolean;
  answerC?: string;
  freeText?: string;
  timeoutMs?: number;
  out?: string;
}

/** Default run seed: learners and the CLI see the same cases unless a seed is given. */
export const DEFAULT_SEED = 1;

const USAGE = `usage: npm run grade -- --exercise NN <answer.ts> [--seed N] [--json] [--answer-c ID] [--free-text TEXT] [--timeout MS]`;

class UsageError extends Error {}

/** Parses argv (without node and script); throws UsageError with a readable message. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { files: [], seed: DEFAULT_SEED, json: false };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const int = (s: string, flag: string) => {
    if (!/^\d+$/.test(s)) throw new UsageError(`${flag} must be a non-negative integer, got "${s}"`);
    return Number(s);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--exercise': case '-e': args.exercise = value(i++, a); break;
      case '--seed': args.seed = int(value(i++, a), a); break;
      case '--json': args.json = true; break;
      case '--answer-c': args.answerC = value(i++, a); break;
      case '--free-text': args.freeText = value(i++, a); break;
      case '--timeout': args.timeoutMs = int(value(i++, a), a); break;
      case '--out': args.out = value(i++, a); break;
      case '--help': case '-h': throw new UsageError(USAGE);
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}\n${USAGE}`);
        args.files.push(a);
    }
  }
  return args;
}

/** Grades one file in a worker sandbox, one test at a time (a timed-out test restarts the sandbox and grading goes on). */
export async function gradeFile(exerciseId: string, file: string, opts: { seed: number; answers: Answers; timeoutMs?: number }): Promise<GradeResult> {
  const grader = getGrader(exerciseId);
  if (!grader) throw new UsageError(`unknown exercise ${exerciseId}; known: ${Object.keys(graders).join(', ')}`);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const host = createWorkerHost(source, basename(file), { timeoutMs: opts.timeoutMs ?? grader.meta.timeLimitMs ?? 3000 });
  try {
    const results: TestResult[] = [];
    const loadError = await host.loadError();
    if (loadError !== null) {
      // Nothing can run: every test reports the one load error, with no calls, shrinking or diagnosis.
      const message = `your file could not be loaded: ${loadError}`;
      for (const t of listTests(grader, opts.seed)) {
        results.push({ ...t, status: 'error', message, expected: null, actual: null, worst: null, leaks: [], diagnosis: null, shrunk: null, alloc: null, durationMs: 0 });
      }
    } else {
      for (const t of grader.tests(opts.seed)) results.push(await runTest(grader, t, host));
    }
    results.push(gradeConcept(grader, opts.answers));
    return assemble(grader, opts.seed, results, opts.answers);
  } finally {
    await host.close();
  }
}

const mark = { pass: '✓', fail: '✗', error: '!', timeout: '⏱' } as const;

/** One line of at most `max` characters. */
const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The learner's line `n` (1-based) of `source`, trimmed, or null. */
function sourceLine(source: string | undefined, n: number): string | null {
  const line = source?.split(/\r?\n/)[n - 1];
  return line === undefined ? null : clip(line.trim(), 120);
}

/** A load error as one "file:line:column: reason" line plus the quoted line with a caret, when the position is known. */
function loadErrorLines(message: string, source: string | undefined): string[] {
  const m = /^your file could not be loaded: (?:\w*Error: )?(.*)$/.exec(message);
  const text = m ? m[1] : message;
  const at = /^[^:\n]+:(\d+):(\d+): /.exec(text);
  const out = [`Your file could not be loaded: ${text}`];
  if (at && source !== undefined) {
    const line = source.split(/\r?\n/)[Number(at[1]) - 1];
    if (line !== undefined) out.push(`  ${line}`, `  ${' '.repeat(Math.max(0, Number(at[2]) - 1))}^`);
  }
  return out;
}

/** The details under a failing test: the learner's line that threw, the inputs, expected vs actual, the call as code (once per distinct call). */
function failureLines(t: TestResult, source: string | undefined, calls: Map<string, string>): string[] {
  const out: string[] = [];
  const pad = '      ';
  if (t.line !== undefined) {
    const quoted = sourceLine(source, t.line);
    if (quoted !== null) out.push(`${pad}line ${t.line}: ${quoted}`);
  }
  if (t.inputs) {
    const shown = Object.entries(t.inputs).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ');
    out.push(`${pad}inputs: ${clip(shown, 300)}`);
  }
  if (t.status === 'fail' && !t.worst && t.expected !== null) {
    out.push(`${pad}expected ${clip(JSON.stringify(t.expected))}`, `${pad}got      ${clip(JSON.stringify(t.actual))}`);
  }
  if (t.call) {
    const seen = calls.get(t.call);
    if (seen) out.push(`${pad}(the same call as ${seen})`);
    else {
      calls.set(t.call, t.id);
      out.push(`${pad}copy as code:`, ...t.call.split('\n').map((l) => `${pad}  ${clip(l, 400)}`));
    }
  }
  return out;
}

/** The readable report; `source` (the learner's file) lets it quote the line that failed. */
export function formatReport(r: GradeResult, title: string, file: string, source?: string): string {
  const lines = [`Exercise ${r.exerciseId} — ${title}`, `file ${file}, seed ${r.seed}, grader ${r.graderVersion}`, ''];
  const loadError = r.tests.find((t) => t.message.startsWith('your file could not be loaded: '));
  if (loadError) lines.push(...loadErrorLines(loadError.message, source), '');
  const names = { a: 'shapes', b: 'numbers', c: 'consequence for LLMs' } as const;
  const calls = new Map<string, string>();
  for (const p of ['a', 'b', 'c'] as const) {
    const s = r.parts[p];
    lines.push(`Part (${p}) ${names[p]}: ${s.points}/${s.maxPoints} points, ${s.passed}/${s.total} tests pass`);
    for (const t of r.tests.filter((x) => x.part === p)) {
      lines.push(`  ${mark[t.status]} ${t.title}${t.seed !== null ? ` [seed ${t.seed}]` : ''}`);
      if (t.status !== 'pass' && !(loadError && t.message === loadError.message)) {
        lines.push(`      ${t.message}`);
        if (t.diagnosis) lines.push(`      → ${t.diagnosis.message}`);
        lines.push(...failureLines(t, source, calls));
      }
    }
    lines.push('');
  }
  if (r.diagnoses.length) {
    const sentence = (name: string) => r.tests.find((t) => t.diagnosis?.mistake === name)?.diagnosis?.message ?? name;
    lines.push('Recognised mistakes:', ...r.diagnoses.map((d) => `  ${sentence(d.mistake)} (${d.count} test${d.count === 1 ? '' : 's'})`));
  }
  for (const u of r.undiagnosed ?? []) lines.push(clip(u.message, 400));
  lines.push(`Total: ${r.total.points}/${r.total.maxPoints}${r.allPassed ? ' — all tests pass' : ''}`);
  return lines.join('\n');
}

/** Exit status: 0 when every test of (a) and (b) passes and (c), if answered, is right. */
export function exitCode(r: GradeResult): 0 | 1 {
  const graded = r.tests.filter((t) => t.part !== 'c' || r.answers.c !== null);
  return graded.every((t) => t.status === 'pass') ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  // No --exercise: batch mode grades a class's submission files or folders into --out (instructor/cli.ts).
  if (!argv.some((a) => a === '--exercise' || a === '-e')) return (await import('../instructor/cli')).runBatch(argv);
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    if (args.out !== undefined) throw new UsageError('batch grading (--out) is not available yet');
    if (!args.exercise) throw new UsageError(`--exercise is required\n${USAGE}`);
    if (args.files.length !== 1) throw new UsageError(`give exactly one answer file (got ${args.files.length})\n${USAGE}`);
    const answers: Answers = { c: args.answerC, freeText: args.freeText };
    const r = await gradeFile(args.exercise, args.files[0], { seed: args.seed, answers, timeoutMs: args.timeoutMs });
    const g = getGrader(args.exercise)!;
    process.stdout.write((args.json ? JSON.stringify(r, null, 2) : formatReport(r, g.meta.title, args.files[0], readFileSync(args.files[0], 'utf8'))) + '\n');
    return exitCode(r);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`grade: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

// Run only as a script (the test imports parseArgs/formatReport without running it).
if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
