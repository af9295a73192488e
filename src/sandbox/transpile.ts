// The page's handle on the transpile worker: one per page, started on first use.
import TranspileWorker from './transpile.worker.ts?worker';
import type { TranspileResponse } from './transpile.worker';

let worker: Worker | null = null;
let seq = 0;
const waiting = new Map<number, (r: TranspileResponse) => void>();

let last: { code: string; result: Promise<TranspileResponse> } | null = null;

/**
 * TypeScript → JavaScript (types stripped, ES module kept); resolves with the code or the syntax error. The last
 * answer is remembered, so transpiling while the learner types makes the next Run skip this step.
 */
export function transpile(code: string): Promise<TranspileResponse> {
  if (last?.code === code) return last.result;
  const result = request(code);
  last = { code, result };
  return result;
}

function request(code: string): Promise<TranspileResponse> {
  if (!worker) {
    worker = new TranspileWorker();
    worker.onmessage = (e: MessageEvent<TranspileResponse>) => {
      waiting.get(e.data.id)?.(e.data);
      waiting.delete(e.data.id);
    };
  }
  const id = ++seq;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker!.postMessage({ id, code });
  });
}
