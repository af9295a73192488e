// A grading worker thread: runs the trusted graders and one QuickJS sandbox at a time. The pool (pool.ts)
// sends one job per (submission, exercise) and can terminate this thread whenever a job overruns.
import { parentPort, workerData } from 'node:worker_threads';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { graders } from '../graders/index';
import type { Grader } from '../graders/lib/define';
import { cachedGrader } from './case-cache';
import { gradeExercise, type Budgets, type ExerciseRun } from './grade-exercise';
import { newEngine, type SandboxLimits } from './sandbox/quickjs';

/** A job: grade `code` for exercise `exerciseId`. */
export interface JobRequest {
  jobId: number;
  exerciseId: string;
  code: string;
  seed: number;
  budgets: Budgets;
  fileName: string;
}

/** The worker's answer to a job. */
export type JobReply = { jobId: number; ok: true; run: ExerciseRun } | { jobId: number; ok: false; message: string };

/** What the pool passes at start. */
export interface WorkerInit {
  guest: string;
  limits: SandboxLimits;
}

/** Jobs served by one WebAssembly instance before a fresh one is made (its memory only grows). */
const JOBS_PER_ENGINE = 50;

const port = parentPort!;
const { guest, limits } = workerData as WorkerInit;
const cache = new Map<string, Grader>();
let engine: QuickJSWASMModule | null = null;
let served = 0;

async function handle(job: JobRequest): Promise<JobReply> {
  const base = graders[job.exerciseId];
  if (!base) return { jobId: job.jobId, ok: false, message: `no grader for exercise ${job.exerciseId}` };
  let g = cache.get(job.exerciseId);
  if (!g) cache.set(job.exerciseId, (g = cachedGrader(base)));
  if (!engine || served >= JOBS_PER_ENGINE) {
    engine = await newEngine();
    served = 0;
  }
  served++;
  const run = await gradeExercise(g, job.code, { seed: job.seed, budgets: job.budgets, engine, guest, limits, fileName: job.fileName });
  // An engine that had to be rebuilt during the job is not reused for the next learner.
  if (run.restarts > 0) engine = null;
  return { jobId: job.jobId, ok: true, run };
}

// One job at a time, in order: the pool never sends a second job before the first is answered.
port.on('message', (job: JobRequest) => {
  handle(job).then(
    (reply) => port.postMessage(reply),
    (e: unknown) => port.postMessage({ jobId: job.jobId, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies JobReply),
  );
});
