// A LearnerHost backed by a Node worker thread: per-call wall-clock limit, memory limits, restart after a timeout.
import { Worker } from 'node:worker_threads';
import type { CallOptions, CallOutcome, LearnerHost } from '../graders/lib/host';

// The worker is a .ts file. Passing `execArgv: ['--import', <tsx/esm>]` (as instructor/pool.ts does) is not
// enough under Node 20: the hooks it registers do not apply to a worker's entry module there ("Unknown file
// extension .ts", so the sandbox died before the first call). A tiny bootstrap registers tsx's ESM hooks inside the
// worker and then imports the real entry — the same on Node 20, 22 and 24, under tsx or vitest.
const workerBootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./grade-worker.ts', import.meta.url).href)}); })`;

/** Options of a worker host. */
export interface WorkerHostOptions {
  /** Wall-clock limit per call in ms. */
  timeoutMs: number;
  /** Heap limit of the sandbox in MB. */
  memoryMb?: number;
}

/** A host that runs learner code in a worker thread; `close()` when done. */
export interface WorkerHost extends LearnerHost {
  /** The file's load error (syntax error, top-level throw), or null. */
  loadError(): Promise<string | null>;
  close(): Promise<void>;
}

/** Creates a host for one learner file; the worker is started lazily and restarted after a timeout or crash. */
export function createWorkerHost(source: string, fileName: string, options: WorkerHostOptions): WorkerHost {
  let worker: Worker | null = null;
  let ready: Promise<string | null> | null = null;
  let nextId = 1;
  const pending = new Map<number, (o: CallOutcome) => void>();

  const start = () => {
    const w = new Worker(workerBootstrap, {
      eval: true,
      workerData: { source, fileName },
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true, // learner console output is not the report's
      stderr: true,
    });
    worker = w;
    ready = new Promise((resolve) => {
      w.on('message', (m: { ready?: boolean; loadError?: string | null; id?: number; outcome?: CallOutcome }) => {
        if (m.ready) resolve(m.loadError ?? null);
        else if (m.id !== undefined) {
          pending.get(m.id)?.(m.outcome!);
          pending.delete(m.id);
        }
      });
      const died = (why: string) => {
        if (worker === w) worker = null;
        resolve(why);
        for (const [id, done] of pending) {
          done({ kind: 'crash', message: why });
          pending.delete(id);
        }
      };
      w.on('error', (e) => died(e.message.includes('memory') ? `it ran out of memory (${e.message})` : `it crashed: ${e.message}`));
      w.on('exit', (code) => died(`the sandbox exited (code ${code})`));
    });
  };

  const kill = async () => {
    const w = worker;
    worker = null;
    if (w) await w.terminate();
  };

  return {
    async loadError() {
      if (!worker) start();
      return ready!;
    },
    async call(fn: string, args: unknown[], callOptions?: CallOptions): Promise<CallOutcome> {
      if (!worker) start();
      const w = worker!;
      await ready;
      if (worker !== w) return { kind: 'crash', message: 'the sandbox stopped before the call' };
      const id = nextId++;
      return new Promise<CallOutcome>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          // The learner code may be in an endless loop: only terminating the thread stops it. The next call restarts it.
          void kill();
          resolve({ kind: 'timeout', ms: options.timeoutMs });
        }, options.timeoutMs);
        pending.set(id, (o) => {
          clearTimeout(timer);
          resolve(o);
        });
        w.postMessage({ id, fn, args, options: callOptions });
      });
    },
    close: kill,
  };
}
