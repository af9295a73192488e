// Batch mode of `npm run grade`: grade a class's submission files and write the reports.
//   npm run grade -- <files or folders> --out <dir> [--secret-seed S] [--seed N] [--jobs N] [--timeout ms] [--sandbox isolate|quickjs] [--quiet]
// Exit codes: 0 every file was graded; 1 at least one file was rejected (reported in the report and on stderr);
// 2 bad usage (nothing graded).
import { availableParallelism } from 'node:os';
import { gradeBatch } from './batch';
import type { SandboxKind } from './sandbox/sandbox';
import { writeReports } from './report/write';
import { lmsInfo, readRoster, RosterError } from './roster';
import { parseShard, type Shard } from './shard';
import type { RosterEntry } from './report/schema';

/** Parsed batch options. */
export interface BatchArgs {
  inputs: string[];
  out: string;
  seed: number;
  secretSeed: boolean;
  jobs: number;
  timeoutMs: number;
  sandbox?: SandboxKind;
  quiet: boolean;
  /** Grade only this shard (`--shard i/n`). */
  shard?: Shard;
  /** LMS roster CSV (`--roster`). */
  roster?: string;
}

/** The seed learners' CLI runs use unless told otherwise (scripts/grade.ts DEFAULT_SEED). */
export const PUBLIC_SEED = 1;
/** Default CPU limit of one learner call in the sandbox (generous enough for the QuickJS fallback; see instructor/README.md). */
export const DEFAULT_CALL_TIMEOUT_MS = 2000;

export const BATCH_USAGE = 'usage: npm run grade -- <submission files or folders> --out <dir> [--secret-seed S] [--seed N] [--jobs N] [--timeout ms] [--sandbox isolate|quickjs] [--shard i/n] [--roster roster.csv] [--quiet]\n       npm run grade -- merge <shard output folders…> --out <dir> [--roster roster.csv]';

/** A usage problem (exit code 2). */
export class BatchUsageError extends Error {}

/** Turns the instructor's secret (any text) into a 32-bit run seed; digits are used as they are. */
export function seedFromSecret(s: string): number {
  if (/^\d{1,9}$/.test(s)) return Number(s);
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(s)) h = Math.imul(h ^ ch, 0x01000193);
  return h >>> 0;
}

/** Parses batch-mode argv (without node and script). */
export function parseBatchArgs(argv: string[]): BatchArgs {
  const a: BatchArgs = { inputs: [], out: '', seed: PUBLIC_SEED, secretSeed: false, jobs: availableParallelism(), timeoutMs: DEFAULT_CALL_TIMEOUT_MS, quiet: false };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new BatchUsageError(`${flag} needs a value`);
    return v;
  };
  const int = (s: string, flag: string, min: number) => {
    if (!/^\d+$/.test(s) || Number(s) < min) throw new BatchUsageError(`${flag} must be an integer ≥ ${min}, got "${s}"`);
    return Number(s);
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    switch (f) {
      case '--out': a.out = value(i++, f); break;
      case '--secret-seed': a.seed = seedFromSecret(value(i++, f)); a.secretSeed = true; break;
      case '--seed': a.seed = int(value(i++, f), f, 0); break;
      case '--jobs': a.jobs = int(value(i++, f), f, 1); break;
      case '--timeout': a.timeoutMs = int(value(i++, f), f, 10); break;
      case '--sandbox': {
        const v = value(i++, f);
        if (v !== 'isolate' && v !== 'quickjs') throw new BatchUsageError(`--sandbox must be isolate or quickjs, got "${v}"`);
        a.sandbox = v;
        break;
      }
      case '--quiet': a.quiet = true; break;
      case '--shard': {
        const v = value(i++, f);
        const s = parseShard(v);
        if (!s) throw new BatchUsageError(`--shard must be i/n with 0 ≤ i < n (e.g. 0/4), got "${v}"`);
        a.shard = s;
        break;
      }
      case '--roster': a.roster = value(i++, f); break;
      case '--help': case '-h': throw new BatchUsageError(BATCH_USAGE);
      default:
        if (f.startsWith('-')) throw new BatchUsageError(`unknown option ${f}\n${BATCH_USAGE}`);
        a.inputs.push(f);
    }
  }
  if (!a.out) throw new BatchUsageError(`--out <dir> is required\n${BATCH_USAGE}`);
  if (!a.inputs.length) throw new BatchUsageError(`give at least one submission file or folder\n${BATCH_USAGE}`);
  return a;
}

/** Progress on stderr about every 100 gradings (they finish in groups of one submission's exercises). */
function progressLine(err: (s: string) => void): (done: number, total: number) => void {
  let shown = 0;
  return (d, t) => {
    if (d < t && d - shown < 100) return;
    shown = d;
    err(`grade: graded ${d}/${t} distinct exercise files\n`);
  };
}

/** Runs batch grading from argv; writes reports and messages; returns the exit code. */
export async function runBatch(argv: string[], io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {}): Promise<number> {
  if (argv[0] === 'merge') return (await import('./merge')).runMerge(argv.slice(1), io);
  const out = io.stdout ?? ((s: string) => process.stdout.write(s));
  const err = io.stderr ?? ((s: string) => process.stderr.write(s));
  let args: BatchArgs;
  try {
    args = parseBatchArgs(argv);
  } catch (e) {
    if (e instanceof BatchUsageError) {
      err(`grade: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let roster: RosterEntry[] = [];
  try {
    if (args.roster) roster = readRoster(args.roster);
  } catch (e) {
    if (!(e instanceof RosterError)) throw e;
    err(`grade: ${e.message}\n`);
    return 2;
  }
  let graded: Awaited<ReturnType<typeof gradeBatch>>;
  try {
    graded = await gradeBatch({
      inputs: args.inputs,
      out: args.out,
      seed: args.seed,
      secretSeed: args.secretSeed,
      jobs: args.jobs,
      callTimeoutMs: args.timeoutMs,
      sandbox: args.sandbox,
      onProblem: (line) => err(`grade: ${line}\n`),
      onProgress: args.quiet ? undefined : progressLine(err),
      shard: args.shard,
    });
  } catch (e) {
    // Only set-up failures reach here (e.g. --sandbox isolate where isolated-vm cannot load); learner code never does.
    err(`grade: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const { report, anyFileFailed } = graded;
  report.lms = lmsInfo(args.roster ?? null, roster, report.learners);
  writeReports(args.out, report);
  const o = report.overview;
  out(`${o.learners} learners graded, ${o.filesRejected} of ${o.filesRead} files rejected, in ${(report.provenance.durationMs / 1000).toFixed(1)} s\n`);
  out(`reports: ${args.out}/report.html, report.json, grades.csv, canvas.csv, moodle.csv, results/\n`);
  if (args.shard) out(`shard ${args.shard.index}/${args.shard.count}: merge all shards with  npm run grade -- merge <their --out folders> --out <dir>\n`);
  return anyFileFailed ? 1 : 0;
}

// Run directly (`tsx instructor/cli.ts …`) as well as through scripts/grade.ts.
if (process.argv[1] && import.meta.url.endsWith('/instructor/cli.ts') && process.argv[1].endsWith('cli.ts')) {
  runBatch(process.argv.slice(2)).then((code) => process.exit(code));
}
