// A grading worker: runs the trusted graders and one sandbox at a time. The pool (pool.ts) starts it as a child
// process (isolated-vm needs its own process flags) or a worker thread (QuickJS), sends its setup first, then one
// group of jobs per submission (one job per exercise), and can kill it whenever a group overruns.
import { parentPort } from 'node:worker_threads';
import { graders } from '../graders/index';
import type { Grader } from '../graders/lib/define';
import { cachedGrader } from './case-cache';
import { gradeExercise, type Budgets, type ExerciseRun } from './grade-exercise';
import { isolateFactory } from './sandbox/isolate';
import { quickjsFactory } from './sandbox/quickjs';
import type { SandboxFactory, SandboxKind, SandboxLimits } from './sandbox/sandbox';

/** A job: grade `code` for exercise `exerciseId`. */
export interface Job {
  exerciseId: string;
  code: string;
  seed: number;
  budgets: Budgets;
  fileName: string;
}

/** The jobs of one submission: they share an engine, which no other submission's jobs use. */
export interface GroupRequest {
  groupId: number;
  jobs: Job[];
}

/** The worker's answer to a group: one run per job, in order. */
export type GroupReply = { groupId: number; ok: true; runs: ExerciseRun[] } | { groupId: number; ok: false; message: string };

/** The first message a worker receives. */
export interface WorkerInit {
  kind: SandboxKind;
  guest: string;
  limits: SandboxLimits;
}

const send = (m: GroupReply): void => void (parentPort ? parentPort.postMessage(m) : process.send!(m));
const cache = new Map<string, Grader>();
let sandboxes: SandboxFactory | null = null;
let setupError: string | null = null;

async function gradeJob(job: Job, sandboxes: SandboxFactory): Promise<ExerciseRun> {
  const base = graders[job.exerciseId];
  if (!base) throw new Error(`no grader for exercise ${job.exerciseId}`);
  let g = cache.get(job.exerciseId);
  if (!g) cache.set(job.exerciseId, (g = cachedGrader(base)));
  return gradeExercise(g, job.code, { seed: job.seed, budgets: job.budgets, sandboxes, fileName: job.fileName });
}

async function handle(group: GroupRequest): Promise<GroupReply> {
  if (!sandboxes) return { groupId: group.groupId, ok: false, message: setupError ?? 'the worker was not set up' };
  try {
    const runs: ExerciseRun[] = [];
    for (const job of group.jobs) runs.push(await gradeJob(job, sandboxes));
    return { groupId: group.groupId, ok: true, runs };
  } finally {
    sandboxes.close();
  }
}

// The pool sends the next group ahead; groups are graded one at a time, in the order they came.
let queue: Promise<void> = Promise.resolve();

function onMessage(m: GroupRequest | { init: WorkerInit }): void {
  if ('init' in m) {
    try {
      sandboxes = m.init.kind === 'isolate' ? isolateFactory(m.init.guest, m.init.limits) : quickjsFactory(m.init.guest, m.init.limits);
    } catch (e) {
      setupError = e instanceof Error ? e.message : String(e);
    }
    return;
  }
  queue = queue.then(() => handle(m).then(send, (e: unknown) => send({ groupId: m.groupId, ok: false, message: e instanceof Error ? e.message : String(e) })));
}

if (parentPort) parentPort.on('message', onMessage);
else {
  process.on('message', onMessage);
  // A child whose pool went away has nothing left to do.
  process.on('disconnect', () => process.exit(0));
}
