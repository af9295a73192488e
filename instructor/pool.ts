// Grades submissions in parallel (one grading process per core by default), each as one group of exercise jobs.
// On top of the sandbox's own limits, each process is watched from here: a group past its wall-clock allowance
// or a process above RSS_LIMIT_MB resident is killed and replaced; only the job it was on is marked as stopped,
// the group's other jobs keep their results or are graded again. Workers are child processes (isolated-vm needs
// `--no-node-snapshot`, a process flag; QuickJS runs in a thread of its process, see worker.ts).
import { fork, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listTests } from '../graders/lib/run';
import { graders } from '../graders/index';
import { notRunResult, type ExerciseRun } from './grade-exercise';
import { EXIT_DEADLINE } from './quickjs-host';
import type { GroupReply, GroupRequest, Job, Ready, WorkerInit } from './worker';
import { workerModule } from './worker-module';

/** Options of a pool. */
export interface PoolOptions extends WorkerInit {
  /** Workers (default: available cores). */
  jobs?: number;
  /** Resident memory bound of a grading process, MB (default RSS_LIMIT_MB). */
  residentLimitMb?: number;
}

export type { Job };

interface Pending {
  req: GroupRequest;
  /** Runs of the jobs answered so far, in order. */
  runs: ExerciseRun[];
  resolve: (r: ExerciseRun[]) => void;
}

/** A grading process. */
interface Channel {
  send(m: GroupRequest | { init: WorkerInit }): void;
  kill(): void;
  pid: number | undefined;
}

interface Slot {
  channel: Channel;
  /** Groups sent and not yet answered, in the order the worker runs them. */
  sent: Pending[];
  timer: NodeJS.Timeout | null;
  gone: boolean;
  /** The worker has loaded and set up its sandbox: from here on its time is the learners'. */
  ready: boolean;
}

/** Groups sent ahead to one worker. */
const IN_FLIGHT = 2;

// Workers not bundled load TypeScript through tsx's loader, whether the pool runs under tsx (CLI) or vitest.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const workerUrl = new URL('./worker.ts', import.meta.url);
const quickjsHostUrl = new URL('./quickjs-host.ts', import.meta.url);

/** Starts one worker and sends it `init`; `onMessage` gets its replies, `onLost` is called if it dies. */
function startWorker(init: WorkerInit, onMessage: (m: GroupReply | Ready) => void, onLost: (why: string) => void): Channel {
  const channel = openChannel(init.kind, onMessage, onLost);
  channel.send({ init });
  return channel;
}

function openChannel(kind: WorkerInit['kind'], onMessage: (m: GroupReply | Ready) => void, onLost: (why: string) => void): Channel {
  // The isolate worker runs bundled (worker-module.ts); QuickJS's host and thread, and any process where the bundle
  // cannot be built, run from the sources under tsx.
  const bundled = kind === 'isolate' ? workerModule() : null;
  const child = fork(bundled ?? fileURLToPath(kind === 'isolate' ? workerUrl : quickjsHostUrl), [], {
    // isolated-vm must not share V8 with Node's startup snapshot; no learner code needs WebAssembly (also deleted
    // from the learner's realm, sandbox/guest.ts), but QuickJS itself is WebAssembly.
    // --expose-gc: a reused isolate is collected between submissions (sandbox/isolate.ts); the guest deletes `gc`
    // from every learner's realm before their code runs.
    execArgv: [...(kind === 'isolate' ? ['--no-node-snapshot', '--no-expose-wasm', '--expose-gc', ...isolateTiering()] : []), `--max-old-space-size=${HEAP_MB}`, ...(bundled ? [] : ['--import', tsxLoader])],
    serialization: 'advanced',
    // Nothing a learner prints reaches these streams (the sandbox has its own console).
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  child.on('message', (m) => onMessage(m as GroupReply | Ready));
  child.on('error', (e) => onLost(`the grading process failed (${e.message})`));
  child.on('exit', (code, signal) => onLost(
    code === EXIT_DEADLINE
      ? 'stopped: one call kept running in native code past its time limit, so its grading process was ended'
      : `the grading process exited (${signal ?? `code ${code}`})`,
  ));
  return { send: (m) => child.send(m), kill: () => child.kill('SIGKILL'), pid: child.pid };
}

/**
 * V8's TurboFan threshold in an isolate grading process, 4× its default of 3,000. Each exercise runs in a fresh
 * context, whose functions start with no type feedback: the guest's helpers (toPlain's reader runs once per element
 * of every result) and the learner's loops got hot again in every context, and TurboFan compiled them again each time
 * (toPlain's reader ≈ 5 times per submission) for code dropped with the context a few dozen calls later. At 12,000
 * such code stays in Sparkplug, while the process's own functions, called millions of times, still reach TurboFan.
 * JavaScript's results do not depend on the tier (a 40-learner class grades byte-identically); measured effect:
 * instructor/README.md, "Throughput".
 */
const ISOLATE_TIERING = ['--invocation-count-for-turbofan=12000'];
let tiering: string[] | null = null;
/** ISOLATE_TIERING where this Node knows it, else nothing; probed once per process. */
function isolateTiering(): string[] {
  tiering ??= flagsIfKnown(ISOLATE_TIERING);
  return tiering;
}
/** `flags` if this Node starts with them, else none: Node refuses to start on an unknown V8 flag (Node 20 lacks these). */
export function flagsIfKnown(flags: string[]): string[] {
  return spawnSync(process.execPath, [...flags, '--v8-options'], { stdio: 'ignore', timeout: 10_000 }).status === 0 ? flags : [];
}
/** V8 heap of a grading process, MB (the trusted grader's; learner code has its own limits inside the sandbox). */
const HEAP_MB = 192;
/**
 * Resident memory a grading process may reach, MB. Checked every RSS_POLL_MS from /proc (Linux): a process above
 * it is killed and replaced, and the job it was on is reported as stopped. RLIMIT_AS cannot be used (V8 and
 * WebAssembly reserve large address ranges up front) and RLIMIT_RSS is not enforced by Linux.
 */
export const RSS_LIMIT_MB = 320;
const RSS_POLL_MS = 25;

/** VmRSS and VmHWM of a process in MB, or null where /proc is not available. */
export function residentMb(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    // An exited process (a zombie until reaped) has no memory lines.
    return Number.isFinite(rss) && Number.isFinite(hwm) ? { rss: rss / 1024, hwm: hwm / 1024 } : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far in ms, or null where /proc is not available. */
export function cpuMsOf(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every mainstream architecture). */
const CLOCK_TICKS = 100;

/** Wall-clock allowance of a group: twice its jobs' CPU budgets plus start-up slack. */
export function watchdogMs(jobs: Job[]): number {
  return jobs.reduce((s, j) => s + 2 * j.budgets.exerciseMs, 5000);
}

/** The results of jobs that did not finish in their worker. */
function stoppedRuns(jobs: Job[], why: string): ExerciseRun[] {
  return jobs.map((job) => {
    const g = graders[job.exerciseId];
    const infos = g ? listTests(g, job.seed) : [];
    return { tests: infos.map((t) => notRunResult(t, 'timeout', why)), logs: [], loadError: null, cpuMs: 0, restarts: 0, clean: false };
  });
}

/** A fixed set of grading processes with a queue, each watched for time and resident memory. */
export class GradingPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private memoryWatch: NodeJS.Timeout;
  /** Workers killed by the watchdog or the memory bound, or lost to a crash. */
  replaced = 0;
  /** Highest resident memory (VmHWM) seen in any grading process, MB (0 where /proc is not available). */
  peakResidentMb = 0;
  /** CPU time used by grading processes that have ended, ms (read from /proc just before each one is ended). */
  workerCpuMs = 0;

  constructor(private opts: PoolOptions) {
    const n = Math.max(1, opts.jobs ?? availableParallelism());
    for (let i = 0; i < n; i++) this.slots.push(this.spawn());
    this.memoryWatch = setInterval(() => this.checkMemory(), RSS_POLL_MS);
    this.memoryWatch.unref();
  }

  private spawn(): Slot {
    const { kind, guest, limits } = this.opts;
    const slot: Slot = { channel: null as unknown as Channel, sent: [], timer: null, gone: false, ready: false };
    slot.channel = startWorker(
      { kind, guest, limits },
      (m) => {
        if ('ready' in m) {
          slot.ready = true;
          return this.watch(slot);
        }
        const p = slot.sent[0];
        if (!p || m.groupId !== p.req.groupId) return;
        if (!m.ok) return this.settle(slot, [...p.runs, ...stoppedRuns(p.req.jobs.slice(p.runs.length), `grading failed: ${m.message}`)]);
        p.runs.push(m.run);
        if (m.last) this.settle(slot, p.runs);
      },
      (why) => {
        if (this.closed || slot.gone) return;
        this.lose(slot, why);
      },
    );
    return slot;
  }

  /** The memory bound: a grading process above RSS_LIMIT_MB resident is ended like a stuck one. */
  private checkMemory(): void {
    for (const slot of this.slots) {
      if (slot.gone || slot.channel.pid === undefined) continue;
      const m = residentMb(slot.channel.pid);
      if (!m) continue;
      this.peakResidentMb = Math.max(this.peakResidentMb, m.hwm);
      const limit = this.opts.residentLimitMb ?? RSS_LIMIT_MB;
      if (m.rss > limit) this.lose(slot, `stopped: grading used more than ${limit} MB of memory, so its grading process was ended`);
    }
  }

  /**
   * Ends a dead, stuck or oversized worker: the job it was on is stopped with `why`, the group's jobs it had not
   * started and the groups waiting behind it are re-queued. Jobs already answered keep their results.
   */
  private lose(slot: Slot, why: string): void {
    const [current, ...waiting] = slot.sent;
    slot.sent = [];
    this.queue.unshift(...waiting);
    if (current) {
      const { jobs } = current.req;
      const done = current.runs.length;
      const stopped = stoppedRuns(jobs.slice(done, done + 1), why);
      const rest = jobs.slice(done + 1);
      if (rest.length) {
        const before = [...current.runs, ...stopped];
        this.queue.unshift({ req: { groupId: this.nextId++, jobs: rest }, runs: [], resolve: (rs) => current.resolve([...before, ...rs]) });
      } else current.resolve([...current.runs, ...stopped]);
    }
    this.replace(slot);
  }

  private replace(slot: Slot): void {
    const last = slot.channel.pid === undefined ? null : residentMb(slot.channel.pid);
    if (last) this.peakResidentMb = Math.max(this.peakResidentMb, last.hwm);
    if (slot.timer) clearTimeout(slot.timer);
    this.countCpu(slot);
    slot.gone = true;
    slot.channel.kill();
    this.replaced++;
    const i = this.slots.indexOf(slot);
    const fresh = this.spawn();
    if (i >= 0) this.slots[i] = fresh;
    this.pump();
  }

  private settle(slot: Slot, runs: ExerciseRun[]): void {
    const p = slot.sent.shift();
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    this.watch(slot);
    p?.resolve(runs);
    this.pump();
  }

  /** Starts the watchdog of the group the worker is on now (the first one sent and not answered). */
  private watch(slot: Slot): void {
    const p = slot.sent[0];
    if (!p || slot.timer || !slot.ready) return;
    const ms = watchdogMs(p.req.jobs);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      this.lose(slot, `stopped: grading this submission took longer than ${Math.round(ms / 1000)} s of wall-clock time`);
    }, ms);
  }

  private pump(): void {
    for (const slot of this.slots) {
      // Two groups per worker: the next one is already there when the current one is answered, so the worker
      // never waits for this process between submissions.
      while (slot.sent.length < IN_FLIGHT && this.queue.length) {
        const p = this.queue.shift()!;
        slot.sent.push(p);
        slot.channel.send(p.req);
      }
      this.watch(slot);
    }
  }

  /** Queues the jobs of one submission; resolves with their runs in order (never rejects). */
  run(jobs: Job[]): Promise<ExerciseRun[]> {
    return new Promise((resolve) => {
      this.queue.push({ req: { groupId: this.nextId++, jobs }, runs: [], resolve });
      this.pump();
    });
  }

  private countCpu(slot: Slot): void {
    if (slot.gone || slot.channel.pid === undefined) return;
    this.workerCpuMs += cpuMsOf(slot.channel.pid) ?? 0;
  }

  /** Stops every worker. */
  close(): void {
    this.checkMemory();
    this.closed = true;
    clearInterval(this.memoryWatch);
    for (const s of this.slots) {
      if (s.timer) clearTimeout(s.timer);
      this.countCpu(s);
      s.gone = true;
      s.channel.kill();
    }
  }
}
