// Grades exercise jobs in parallel on worker threads (one per core by default). Each job has a wall-clock
// watchdog on top of the sandbox's own CPU limits: a worker stuck in native code (e.g. a memory bomb grinding
// near its limit) is terminated and replaced, and only that job is marked as stopped.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listTests } from '../graders/lib/run';
import { graders } from '../graders/index';
import { notRunResult, type ExerciseRun } from './grade-exercise';
import type { JobReply, JobRequest, WorkerInit } from './worker';

/** Options of a pool. */
export interface PoolOptions extends WorkerInit {
  /** Worker threads (default: available cores). */
  jobs?: number;
}

/** A job as submitted to the pool (the pool numbers it). */
export type Job = Omit<JobRequest, 'jobId'>;

interface Pending {
  req: JobRequest;
  resolve: (r: ExerciseRun) => void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
}

// Workers load TypeScript through tsx's loader, whether the pool runs under tsx (CLI) or vitest.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** Wall-clock allowance of one job: twice its CPU budget plus start-up slack. */
export function watchdogMs(job: Job): number {
  return 2 * job.budgets.exerciseMs + 5000;
}

/** The result of a job that did not finish in its worker. */
function stoppedRun(job: JobRequest, why: string): ExerciseRun {
  const g = graders[job.exerciseId];
  const infos = g ? listTests(g, job.seed) : [];
  return { tests: infos.map((t) => notRunResult(t, 'timeout', why)), logs: [], loadError: null, cpuMs: 0, restarts: 0 };
}

/** A fixed set of grading workers with a queue. */
export class GradingPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers terminated by the watchdog or lost to a crash. */
  replaced = 0;

  constructor(private opts: PoolOptions) {
    const n = Math.max(1, opts.jobs ?? availableParallelism());
    for (let i = 0; i < n; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: { guest: this.opts.guest, limits: this.opts.limits } satisfies WorkerInit,
      execArgv: ['--import', tsxLoader],
      // A large thread stack: QuickJS (WebAssembly) recursion uses it, and QuickJS's own stack limit must
      // always trip first (instructor/README.md, "deep recursion").
      resourceLimits: { stackSizeMb: 16, maxOldGenerationSizeMb: 1024 },
      stdout: true,
      stderr: true,
    });
    // Nothing a learner prints reaches these streams (QuickJS has its own console); drain them anyway.
    worker.stdout.resume();
    worker.stderr.resume();
    const slot: Slot = { worker, current: null, timer: null };
    worker.on('message', (m: JobReply) => {
      const p = slot.current;
      if (!p || m.jobId !== p.req.jobId) return;
      this.settle(slot, m.ok ? m.run : stoppedRun(p.req, `grading failed: ${m.message}`));
    });
    const lost = (why: string) => {
      if (this.closed) return;
      const p = slot.current;
      this.replace(slot);
      if (p) p.resolve(stoppedRun(p.req, why));
    };
    worker.on('error', (e) => lost(`the grading worker crashed (${e.message})`));
    worker.on('exit', (code) => lost(`the grading worker exited (code ${code})`));
    return slot;
  }

  private replace(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.replaced++;
    const i = this.slots.indexOf(slot);
    const fresh = this.spawn();
    if (i >= 0) this.slots[i] = fresh;
    this.pump();
  }

  private settle(slot: Slot, run: ExerciseRun): void {
    const p = slot.current;
    if (slot.timer) clearTimeout(slot.timer);
    slot.current = null;
    slot.timer = null;
    p?.resolve(run);
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.current || !this.queue.length) continue;
      const p = this.queue.shift()!;
      slot.current = p;
      const ms = watchdogMs(p.req);
      slot.timer = setTimeout(() => {
        slot.current = null;
        this.replace(slot);
        p.resolve(stoppedRun(p.req, `stopped: grading this exercise took longer than ${Math.round(ms / 1000)} s of wall-clock time`));
      }, ms);
      slot.worker.postMessage(p.req);
    }
  }

  /** Queues a job; resolves with its run (never rejects). */
  run(job: Job): Promise<ExerciseRun> {
    return new Promise((resolve) => {
      this.queue.push({ req: { ...job, jobId: this.nextId++ }, resolve });
      this.pump();
    });
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => (s.timer && clearTimeout(s.timer), s.worker.terminate())));
  }
}
