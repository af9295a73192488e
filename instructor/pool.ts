// Grades submissions in parallel (one worker per core by default), each as one group of exercise jobs. Each group
// has a wall-clock watchdog on top of the sandbox's own CPU limits: a worker stuck in native code (e.g. a memory
// bomb grinding near its limit) is killed and replaced, and only that group's jobs are marked as stopped.
// Workers are child processes for isolated-vm (which needs `--no-node-snapshot`, a process flag) and worker
// threads for QuickJS (which needs a large thread stack, see instructor/README.md).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listTests } from '../graders/lib/run';
import { graders } from '../graders/index';
import { notRunResult, type ExerciseRun } from './grade-exercise';
import type { GroupReply, GroupRequest, Job, WorkerInit } from './worker';

/** Options of a pool. */
export interface PoolOptions extends WorkerInit {
  /** Workers (default: available cores). */
  jobs?: number;
}

export type { Job };

interface Pending {
  req: GroupRequest;
  resolve: (r: ExerciseRun[]) => void;
}

/** A worker, whatever runs it. */
interface Channel {
  send(m: GroupRequest | { init: WorkerInit }): void;
  kill(): void;
}

interface Slot {
  channel: Channel;
  /** Groups sent and not yet answered, in the order the worker runs them. */
  sent: Pending[];
  timer: NodeJS.Timeout | null;
  gone: boolean;
}

/** Groups sent ahead to one worker. */
const IN_FLIGHT = 2;

// Workers load TypeScript through tsx's loader, whether the pool runs under tsx (CLI) or vitest.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const workerUrl = new URL('./worker.ts', import.meta.url);

/** Starts one worker and sends it `init`; `onMessage` gets its replies, `onLost` is called if it dies. */
function startWorker(init: WorkerInit, onMessage: (m: GroupReply) => void, onLost: (why: string) => void): Channel {
  const channel = openChannel(init.kind, onMessage, onLost);
  channel.send({ init });
  return channel;
}

function openChannel(kind: WorkerInit['kind'], onMessage: (m: GroupReply) => void, onLost: (why: string) => void): Channel {
  if (kind === 'isolate') {
    const child = fork(fileURLToPath(workerUrl), [], {
      execArgv: ['--no-node-snapshot', '--max-old-space-size=1024', '--import', tsxLoader],
      serialization: 'advanced',
      // Nothing a learner prints reaches these streams (the sandbox has its own console).
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    child.on('message', (m) => onMessage(m as GroupReply));
    child.on('error', (e) => onLost(`the grading process failed (${e.message})`));
    child.on('exit', (code, signal) => onLost(`the grading process exited (${signal ?? `code ${code}`})`));
    return { send: (m) => child.send(m), kill: () => child.kill('SIGKILL') };
  }
  const worker = new Worker(workerUrl, {
    execArgv: ['--import', tsxLoader],
    // QuickJS (WebAssembly) recursion uses the thread's stack, and QuickJS's own stack limit must always trip first.
    resourceLimits: { stackSizeMb: 16, maxOldGenerationSizeMb: 1024 },
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  worker.on('message', onMessage);
  worker.on('error', (e) => onLost(`the grading worker crashed (${e.message})`));
  worker.on('exit', (code) => onLost(`the grading worker exited (code ${code})`));
  return { send: (m) => worker.postMessage(m), kill: () => void worker.terminate() };
}

/** Wall-clock allowance of a group: twice its jobs' CPU budgets plus start-up slack. */
export function watchdogMs(jobs: Job[]): number {
  return jobs.reduce((s, j) => s + 2 * j.budgets.exerciseMs, 5000);
}

/** The results of a group that did not finish in its worker. */
function stoppedRuns(group: GroupRequest, why: string): ExerciseRun[] {
  return group.jobs.map((job) => {
    const g = graders[job.exerciseId];
    const infos = g ? listTests(g, job.seed) : [];
    return { tests: infos.map((t) => notRunResult(t, 'timeout', why)), logs: [], loadError: null, cpuMs: 0, restarts: 0, clean: false };
  });
}

/** A fixed set of grading workers with a queue. */
export class GradingPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers killed by the watchdog or lost to a crash. */
  replaced = 0;

  constructor(private opts: PoolOptions) {
    const n = Math.max(1, opts.jobs ?? availableParallelism());
    for (let i = 0; i < n; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const { kind, guest, limits } = this.opts;
    const slot: Slot = { channel: null as unknown as Channel, sent: [], timer: null, gone: false };
    slot.channel = startWorker(
      { kind, guest, limits },
      (m) => {
        const p = slot.sent[0];
        if (!p || m.groupId !== p.req.groupId) return;
        this.settle(slot, m.ok ? m.runs : stoppedRuns(p.req, `grading failed: ${m.message}`));
      },
      (why) => {
        if (this.closed || slot.gone) return;
        this.lose(slot, why);
      },
    );
    return slot;
  }

  /** Ends a dead or stuck worker: its current group is stopped with `why`, groups waiting behind it are re-queued. */
  private lose(slot: Slot, why: string): void {
    const [current, ...waiting] = slot.sent;
    slot.sent = [];
    this.queue.unshift(...waiting);
    this.replace(slot);
    current?.resolve(stoppedRuns(current.req, why));
  }

  private replace(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
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
    if (!p || slot.timer) return;
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
      this.queue.push({ req: { groupId: this.nextId++, jobs }, resolve });
      this.pump();
    });
  }

  /** Stops every worker. */
  close(): void {
    this.closed = true;
    for (const s of this.slots) {
      if (s.timer) clearTimeout(s.timer);
      s.gone = true;
      s.channel.kill();
    }
  }
}
