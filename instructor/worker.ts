// A grading worker: runs the trusted graders and one sandbox at a time. The pool (pool.ts) starts it as a child
// process (isolated-vm) or as a thread of a small child process (QuickJS, quickjs-host.ts), sends its setup first,
// then one group of jobs per submission (one job per exercise), and kills the process whenever a group overruns
// or the process outgrows its memory bound.
import { parentPort, workerData } from 'node:worker_threads';
import { graders } from '../graders/index';
import type { Grader } from '../graders/lib/define';
import { cachedGrader } from './case-cache';
import { gradeExercise, type Budgets, type ExerciseRun } from './grade-exercise';
import { isolateFactory } from './sandbox/isolate';
import { quickjsFactory, shareDeadline } from './sandbox/quickjs';
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

/**
 * The worker's answers to a group: one message per job as soon as it is graded (so a worker lost mid-group loses
 * only the job it was on), or one failure for the whole group.
 */
export type GroupReply = { groupId: number; ok: true; index: number; run: ExerciseRun; last: boolean } | { groupId: number; ok: false; message: string };

/** A worker's first message: set up, groups may be timed from now. */
export interface Ready {
  ready: true;
}

/** The first message a worker receives. */
export interface WorkerInit {
  kind: SandboxKind;
  guest: string;
  limits: SandboxLimits;
}

const send = (m: GroupReply | Ready): void => void (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const sendReady = () => send({ ready: true });
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

async function handle(group: GroupRequest): Promise<void> {
  if (!sandboxes) return send({ groupId: group.groupId, ok: false, message: setupError ?? 'the worker was not set up' });
  try {
    for (const [index, job] of group.jobs.entries()) {
      send({ groupId: group.groupId, ok: true, index, run: await gradeJob(job, sandboxes), last: index === group.jobs.length - 1 });
    }
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
    // The pool starts a group's wall-clock watchdog only from here: start-up time is not the learner's.
    sendReady();
    return;
  }
  queue = queue.then(() => handle(m).catch((e: unknown) => send({ groupId: m.groupId, ok: false, message: e instanceof Error ? e.message : String(e) })));
}

if (parentPort) {
  // A QuickJS thread of a grading process (quickjs-host.ts), which watches the deadline published here.
  shareDeadline((workerData as { deadline: Float64Array }).deadline);
  parentPort.on('message', onMessage);
} else {
  process.on('message', onMessage);
  // A child whose pool went away has nothing left to do.
  process.on('disconnect', () => process.exit(0));
}
