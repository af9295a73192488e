// A long-lived worker on the course page that turns the learner's TypeScript into JavaScript with sucrase.
// It only parses text (never runs it), so it needs no sandbox; staying alive keeps sucrase's code warm, which a
// fresh sandbox worker per Run could not.
import { transform } from 'sucrase';

/** Request: the learner's file. */
export interface TranspileRequest {
  id: number;
  code: string;
}
/** Answer: JavaScript, or the syntax error with its position. */
export type TranspileResponse = { id: number; ok: true; js: string } | { id: number; ok: false; message: string; line?: number; column?: number };

self.onmessage = (e: MessageEvent<TranspileRequest>) => {
  const { id, code } = e.data;
  let res: TranspileResponse;
  try {
    // Only types are stripped; the file stays an ES module (imports of type-only names are dropped).
    res = { id, ok: true, js: transform(code, { transforms: ['typescript'], filePath: 'answer.ts', disableESTransforms: true }).code };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /\((\d+):(\d+)\)\s*$/.exec(message);
    res = { id, ok: false, message, ...(pos ? { line: Number(pos[1]), column: Number(pos[2]) + 1 } : {}) };
  }
  (self as unknown as Worker).postMessage(res);
};
