// A grading process for QuickJS: QuickJS needs a 16 MB thread stack (instructor/README.md), which only a worker
// thread can be given, so the grading runs in a thread (worker.ts) and this process relays the pool's messages.
// It also bounds QuickJS's deadlines: the interpreter checks them between bytecodes only, so one native operation
// (BigInt arithmetic, a huge number-to-string conversion) ran 18 s past a 300 ms limit. The thread publishes each
// call's deadline in shared memory; a call still running DEADLINE_GRACE_MS after it ends this process, which the
// pool reports as that job's timeout and replaces. Kept free of heavy imports: it starts before every thread.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Exit code of a grading process that ended its QuickJS thread because a call overran its deadline. */
export const EXIT_DEADLINE = 75;
/** How long a QuickJS call may run past its deadline before its process is ended. */
export const DEADLINE_GRACE_MS = 150;
const POLL_MS = 25;

/** Starts the grading thread and relays messages both ways (the thread's first message is the pool's init). */
function main(): void {
  const deadline = new Float64Array(new SharedArrayBuffer(8));
  const thread = new Worker(new URL('./worker.ts', import.meta.url), {
    // Only the loader: process-wide flags (heap size) are not allowed for threads.
    execArgv: process.execArgv.flatMap((a, i, all) => (all[i - 1] === '--import' ? ['--import', a] : [])),
    workerData: { deadline },
    // QuickJS (WebAssembly) recursion uses the thread's stack, and QuickJS's own stack limit must always trip first.
    resourceLimits: { stackSizeMb: 16, maxOldGenerationSizeMb: 160 },
    stdout: true,
    stderr: true,
  });
  thread.stdout.resume();
  thread.stderr.resume();
  thread.on('message', (m) => process.send?.(m));
  thread.on('error', () => process.exit(1));
  thread.on('exit', () => process.exit(1));
  process.on('message', (m) => thread.postMessage(m));
  process.on('disconnect', () => process.exit(0));
  setInterval(() => {
    const d = deadline[0];
    if (d > 0 && Date.now() > d + DEADLINE_GRACE_MS) process.exit(EXIT_DEADLINE);
  }, POLL_MS);
}

// Only when started as the process (pool.ts forks this file); importing it for EXIT_DEADLINE runs nothing.
if (process.send && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) main();
