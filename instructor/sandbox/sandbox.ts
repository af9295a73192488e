// What every isolation boundary for learner code offers the grader: load a file, call an export, read the
// console, all as bounded text (wire.ts) validated here. Two engines implement `invoke`: a separate V8 isolate
// (isolate.ts, the default) and QuickJS in WebAssembly (quickjs.ts, the fallback). Why: instructor/README.md.
import type { CallOptions, CallOutcome } from '../../graders/lib/host';
import { decodeTagged, decodeWire, encodeTagged, isPlainJson } from './wire';

/** Limits of one sandbox. */
export interface SandboxLimits {
  /** Heap of the learner's JS runtime, bytes. */
  memoryBytes: number;
  /** QuickJS's own stack limit, bytes (must stay well below the host thread's stack; see README). */
  stackBytes: number;
  /** Longest text a call may return (the encoded value), characters. */
  maxOutputChars: number;
}

/** Defaults: enough for every exercise's largest case, small enough that a memory bomb ends in milliseconds. */
export const DEFAULT_LIMITS: SandboxLimits = { memoryBytes: 32 << 20, stackBytes: 256 << 10, maxOutputChars: 8 << 20 };

/** The engines that can host learner code. */
export type SandboxKind = 'isolate' | 'quickjs';

/** How reports name each engine. */
export const SANDBOX_NAMES: Record<SandboxKind, string> = {
  isolate: 'V8 isolates (isolated-vm) in child processes',
  quickjs: 'QuickJS (quickjs-emscripten, WebAssembly) in worker threads',
};

/** Result of loading the learner's file. */
export type LoadResult = { ok: true; exports: string[] } | { ok: false; message: string; timeout?: boolean };

/** Console output captured inside the sandbox. */
export interface Logs {
  lines: string[];
  dropped: number;
}

/** The guest's text entry points (guest.ts; `callPlain` is the structured form of `call`, isolate.ts). */
export type GuestEntry = 'load' | 'call' | 'takeLogs';

/**
 * One call for the guest, in both forms: `text` (made by encodeCallRequest, also the exact key of the call) for
 * engines that take text, `plain` for engines that copy structured data (isolate.ts). Built once per case.
 */
export interface CallRequest {
  text: string;
  plain: { fn: string; args: unknown[]; options: CallOptions | undefined; fresh: boolean };
}

/** Both forms of one call request. */
export function makeCallRequest(fn: string, args: unknown[], options: CallOptions | undefined): CallRequest {
  const text = encodeCallRequest(fn, args, options);
  // A structured copy is private to the guest like a parsed one; only function tables still need reviving there.
  return { text, plain: { fn, args, options, fresh: !text.includes('"$fn"') } };
}

/** What one crossing into the engine gave: the guest's answer text, or why there is none. */
export type Invoked = { text: string } | { stop: 'timeout' | 'memory' | 'engine' | 'guest'; message: string };

/** Makes fresh sandboxes of one kind; `afterFailure` asks for one that shares nothing with a failed engine. */
export interface SandboxFactory {
  kind: SandboxKind;
  open(afterFailure: boolean): Promise<Sandbox>;
  /**
   * Ends the current submission. Its sandboxes are disposed by then; the engine serves the next submission only
   * if nothing of this one was cut short and it is within its memory and reuse bounds (each engine says which).
   */
  close(): void;
}

/**
 * One learner file in one fresh JS realm. All methods are synchronous and never throw: anything the learner
 * does ends as a LoadResult or CallOutcome. After a failure of the engine itself (`broken`), the owner must
 * dispose it and open a new one.
 */
export abstract class Sandbox {
  /** True once the engine failed in a way that may leave it inconsistent. */
  broken = false;
  /** Milliseconds spent running learner code so far. */
  cpuMs = 0;
  /** True once a crossing was cut short (time, memory or the engine): outcomes from here on depend on more than the code. */
  interrupted = false;

  constructor(protected limits: SandboxLimits) {}

  /** Runs guest entry `fn` on `arg` within `timeoutMs`. */
  protected abstract invoke(fn: GuestEntry, arg: string, timeoutMs: number): Invoked;

  /** The memory limit learners are told about, MB. */
  protected memoryLimitMb(): number {
    return this.limits.memoryBytes >> 20;
  }

  /** Frees the engine's resources; safe to call on a broken sandbox. */
  abstract dispose(): void;

  /** Evaluates the learner's transpiled code (top-level code has the same time limit as a call). */
  load(js: string, timeoutMs: number): LoadResult {
    const r = this.invoke('load', js, timeoutMs);
    if ('stop' in r) {
      if (r.stop !== 'guest') this.interrupted = true;
      if (r.stop === 'timeout') return { ok: false, timeout: true, message: `the top-level code of your file did not finish within ${timeoutMs} ms` };
      if (r.stop === 'memory') return { ok: false, message: `the top-level code of your file ran out of memory (limit ${this.memoryLimitMb()} MB)` };
      return { ok: false, message: r.message };
    }
    try {
      const v = decodeWire(r.text) as { ok?: unknown; exports?: unknown; message?: unknown };
      if (v && v.ok === true && Array.isArray(v.exports)) return { ok: true, exports: v.exports.filter((x): x is string => typeof x === 'string').slice(0, 1000) };
      return { ok: false, message: typeof v?.message === 'string' ? v.message.slice(0, 2000) : 'your file could not be loaded' };
    } catch {
      return { ok: false, message: 'your file could not be loaded (its answer could not be read)' };
    }
  }

  /** Calls an export with plain-data arguments; the outcome is validated here, whatever the guest sent. */
  call(fn: string, args: unknown[], options: CallOptions | undefined, timeoutMs: number): CallOutcome {
    return this.callRequest(makeCallRequest(fn, args, options), timeoutMs);
  }

  /** `call` with both forms of the request made ahead (makeCallRequest); text engines send its text. */
  callRequest(request: CallRequest, timeoutMs: number): CallOutcome {
    return this.callEncoded(request.text, timeoutMs);
  }

  /** `call` with a request already made by `encodeCallRequest` (whose text is also an exact key of the call). */
  callEncoded(request: string, timeoutMs: number): CallOutcome {
    const r = this.invoke('call', request, timeoutMs);
    return 'stop' in r ? this.stopped(r, timeoutMs) : parseOutcome(r.text);
  }

  /** The CallOutcome of a crossing that was cut short (time, memory, the engine) or refused by the guest. */
  protected stopped(r: Exclude<Invoked, { text: string }>, timeoutMs: number): CallOutcome {
    if (r.stop !== 'guest') this.interrupted = true;
    if (r.stop === 'timeout') return { kind: 'timeout', ms: Math.round(timeoutMs) };
    if (r.stop === 'memory') return { kind: 'crash', message: `it ran out of memory (limit ${this.memoryLimitMb()} MB)` };
    if (r.stop === 'engine') return { kind: 'crash', message: `the sandbox failed (${r.message}); it was restarted for the next test` };
    return { kind: 'crash', message: r.message };
  }

  /** Console lines printed since the last call of takeLogs. */
  takeLogs(): Logs {
    const r = this.invoke('takeLogs', '', 1000);
    if ('stop' in r) return { lines: [], dropped: 0 };
    try {
      const v = decodeWire(r.text) as Logs;
      const lines = Array.isArray(v?.lines) ? v.lines.filter((l): l is string => typeof l === 'string').slice(0, 200).map((l) => l.slice(0, 2000)) : [];
      return { lines, dropped: typeof v?.dropped === 'number' ? v.dropped : 0 };
    } catch {
      return { lines: [], dropped: 0 };
    }
  }

  /** The answer text, or a refusal when it exceeds the output limit. */
  protected bounded(text: unknown): Invoked {
    if (typeof text !== 'string') return { stop: 'guest', message: 'the sandbox answered with something other than text' };
    if (text.length > this.limits.maxOutputChars) return { stop: 'guest', message: `the returned value is too large to check (${text.length} characters of data)` };
    return { text };
  }
}

/**
 * The text of one call request for the guest. `fresh`: the arguments arrive as plain JSON without function tables,
 * so the guest may use its parsed copy as is. The same call always gives the same text.
 */
export function encodeCallRequest(fn: string, args: unknown[], options: CallOptions | undefined): string {
  if (isPlainJson(args)) {
    const text = JSON.stringify({ fn, args, options });
    return 'J' + (text.includes('"$fn"') ? text : JSON.stringify({ fn, args, options, fresh: true }));
  }
  return encodeTagged({ fn, args, options });
}

/**
 * The allocation probe runs in the learner's realm, so its report is learner-controlled: a count must be an own,
 * non-negative number; one past the safe-integer range (Infinity included) is clipped there, anything else refused.
 */
export function readAlloc(a: unknown): { peakElements: number; peakWhat: string } | null {
  if (!a || typeof a !== 'object' || Array.isArray(a)) return null;
  const n = Object.hasOwn(a, 'peakElements') ? (a as Record<string, unknown>).peakElements : undefined;
  const what = Object.hasOwn(a, 'peakWhat') ? (a as Record<string, unknown>).peakWhat : undefined;
  if (typeof n !== 'number' || Number.isNaN(n) || n < 0 || typeof what !== 'string') return null;
  return { peakElements: Math.min(Math.round(n), Number.MAX_SAFE_INTEGER), peakWhat: what.slice(0, 200) };
}

const str = (x: unknown, max = 4000) => (typeof x === 'string' ? x.slice(0, max) : null);

/** Checks the guest's answer against the CallOutcome shapes; anything else becomes a crash. */
export function parseOutcome(text: string): CallOutcome {
  let o: Record<string, unknown>;
  try {
    // Tagged ('J' plain JSON / 'W' wire format, see wire.ts); an untagged text is read as the wire format.
    o = (text.charCodeAt(0) === 123 /* { */ ? decodeWire(text) : decodeTagged(text)) as Record<string, unknown>;
  } catch {
    return { kind: 'crash', message: 'the result of the call could not be read' };
  }
  return outcomeOf(o);
}

const scalar = (x: unknown) => x === null || x === undefined || typeof x === 'number' || typeof x === 'boolean';

/**
 * Checks that a structurally copied guest answer is plain data (arrays, plain objects, primitives — a copy may also
 * hold Maps, Dates or typed arrays if the learner's realm changed the guest's helpers) and not larger than `limit`
 * elements, keys and string characters together. Returns its size (counting stops just past `limit`), or -1 for
 * anything that is not plain data.
 */
export function plainSize(x: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [x];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) {
      n += v.length;
      for (let i = 0; i < v.length; i++) if (!scalar(v[i])) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      if (Object.getPrototypeOf(v) !== Object.prototype) return -1;
      const o = v as Record<string, unknown>;
      for (const k in o) {
        n += 1 + k.length;
        if (!scalar(o[k])) stack.push(o[k]);
      }
    } else if (!scalar(v)) return -1;
    if (n > limit) return n;
  }
  return n;
}

/** Checks a decoded (or structurally copied) guest answer against the CallOutcome shapes; anything else is a crash. */
export function outcomeOf(o: Record<string, unknown>): CallOutcome {
  if (!o || typeof o !== 'object') return { kind: 'crash', message: 'the result of the call could not be read' };
  switch (o.kind) {
    case 'return': {
      // With reportArgs the arguments after the call come back too (plain data, compared in the host like the value).
      const args = Array.isArray(o.args) ? { args: o.args as unknown[] } : {};
      if (o.alloc === undefined) return { kind: 'return', value: o.value, ...args };
      const alloc = readAlloc(o.alloc);
      return alloc ? { kind: 'return', value: o.value, alloc, ...args } : { kind: 'crash', message: "the allocation probe's report could not be read (it ran in your code's realm, which changed it)" };
    }
    case 'throw':
    case 'missing':
    case 'crash': {
      const message = str(o.message);
      return message === null ? { kind: 'crash', message: 'the result of the call could not be read' } : { kind: o.kind, message };
    }
    default:
      return { kind: 'crash', message: 'the result of the call could not be read' };
  }
}
