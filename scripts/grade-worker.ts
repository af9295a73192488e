// Sandbox side of the CLI: loads one learner file in a worker thread and executes calls sent by the grader.
// Learner code runs only here; the grader (main thread) sees plain data and can terminate this worker at any time.
import { parentPort, workerData } from 'node:worker_threads';
import { executeCall, thrownMessage, type CallOptions, type LearnerModule } from '../graders/lib/host';
import { loadLearner } from '../graders/lib/learner-module';

/** Messages the grader sends. */
export interface CallRequest {
  id: number;
  fn: string;
  args: unknown[];
  options?: CallOptions;
}

const port = parentPort!;
const { source, fileName } = workerData as { source: string; fileName: string };
let mod: LearnerModule | null = null;
let loadError: string | null = null;
try {
  mod = loadLearner(source, fileName);
} catch (e) {
  loadError = thrownMessage(e);
}

port.on('message', (req: CallRequest) => {
  const outcome = mod
    ? executeCall(mod, req.fn, req.args, req.options)
    : { kind: 'crash' as const, message: `your file could not be loaded: ${loadError}` };
  port.postMessage({ id: req.id, outcome });
});
port.postMessage({ ready: true, loadError });
