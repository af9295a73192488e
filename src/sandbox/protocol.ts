// Messages between the course page and the sandbox frame. Everything that comes back from the frame is
// untrusted (learner code shares the worker that answers), so the page parses it with these schemas.
import { z } from 'zod';

/** One call of a learner export with plain-data arguments. */
export interface CallRequest {
  fn: string;
  args: unknown[];
  options?: { probeAlloc?: boolean; reportArgs?: boolean };
}

/** Parent → frame: the requests the page sends (trusted, so typed but not parsed). */
export type ToFrame =
  | { type: 'init'; workerSource: string }
  | { type: 'load'; runId: number; code: string; timeLimitMs: number; spareId?: number }
  /** A batch: with its calls when the frame carries them, only their count when they went to the worker's port. */
  | { type: 'batch'; runId: number; callId: number; calls?: CallRequest[]; count: number; timeLimitMs: number }
  | { type: 'end'; runId: number };

const allocReport = z.object({ peakElements: z.number(), peakWhat: z.string().max(200) });

/** One call's outcome, as the grading library's `CallOutcome`. */
export const CallOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('return'), value: z.unknown(), alloc: allocReport.optional(), args: z.array(z.unknown()).optional() }),
  z.object({ kind: z.literal('throw'), message: z.string().max(4000), line: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('missing'), message: z.string().max(4000) }),
  z.object({ kind: z.literal('timeout'), ms: z.number().nonnegative() }),
  z.object({ kind: z.literal('crash'), message: z.string().max(4000) }),
]);

const runId = z.number().int();

/** Frame → parent: every message the page accepts from the sandbox. */
export const FromFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('warm') }),
  z.object({
    type: z.literal('loaded'),
    runId,
    exports: z.array(z.string().max(200)).max(1000),
    /** False when the frame could not use the spare the page chose: calls must then go through the frame. */
    direct: z.boolean().optional(),
    /** When the frame and the worker saw the load (epoch ms), for the bench's breakdown. */
    timing: z.record(z.string(), z.number()).optional(),
  }),
  z.object({
    type: z.literal('load-error'),
    runId,
    message: z.string().max(4000),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    timeout: z.boolean().optional(),
  }),
  // Outcomes of a batch, in order; fewer than requested when a call was stopped (the rest did not run). A direct
  // batch cut short is answered by the frame with the stop alone and the number of calls that finished before it
  // (`stoppedAt`); `redo` asks the page to send a direct batch again through the frame.
  z.object({
    type: z.literal('outcomes'),
    runId,
    callId: z.number().int(),
    outcomes: z.array(CallOutcomeSchema).max(100_000),
    stoppedAt: z.number().int().nonnegative().optional(),
    redo: z.boolean().optional(),
    timing: z.record(z.string(), z.number()).optional(),
  }),
  z.object({ type: z.literal('log'), runId, level: z.enum(['log', 'info', 'warn', 'error', 'debug']), text: z.string().max(4000) }),
]);
export type FromFrame = z.infer<typeof FromFrameSchema>;
