// The isolation boundary for untrusted learner code: a QuickJS engine compiled to WebAssembly
// (quickjs-emscripten). The learner's code runs in its own JS heap inside a WebAssembly instance; it has no
// file system, network, environment, process, timers or imports — only the ECMAScript built-ins and a console
// that writes into a capped buffer. The host (trusted grader) talks to it through two functions that take and
// return bounded strings (wire.ts). Why QuickJS and not isolated-vm or a Node child process: instructor/README.md.
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';
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

/** Result of loading the learner's file. */
export type LoadResult = { ok: true; exports: string[] } | { ok: false; message: string; timeout?: boolean };

/** Console output captured inside the sandbox. */
export interface Logs {
  lines: string[];
  dropped: number;
}

let variant: Promise<unknown> | null = null;

/** A fresh WebAssembly instance of QuickJS (a separate linear memory: nothing survives from other submissions). */
export async function newEngine(): Promise<QuickJSWASMModule> {
  variant ??= import('@jitl/quickjs-wasmfile-release-sync').then((m) => (m as { default: unknown }).default);
  return newQuickJSWASMModuleFromVariant((await variant) as Parameters<typeof newQuickJSWASMModuleFromVariant>[0]);
}

const now = () => performance.now();

/**
 * One learner file in one QuickJS runtime. All methods are synchronous and never throw: anything the learner
 * does ends as a LoadResult or CallOutcome. After a failure of the engine itself (`broken`), the owner must
 * dispose it and build a new one.
 */
export class QuickSandbox {
  private rt: QuickJSRuntime;
  private vm: QuickJSContext;
  private loadFn: QuickJSHandle;
  private callFn: QuickJSHandle;
  private logsFn: QuickJSHandle;
  private deadline = Infinity;
  /** True once the engine failed in a way that may leave it inconsistent (host stack, WebAssembly trap). */
  broken = false;
  /** Milliseconds spent running learner code so far. */
  cpuMs = 0;

  private limits: SandboxLimits;

  constructor(engine: QuickJSWASMModule, guest: string, limits: SandboxLimits = DEFAULT_LIMITS) {
    this.limits = limits;
    this.rt = engine.newRuntime();
    this.rt.setMemoryLimit(limits.memoryBytes);
    this.rt.setMaxStackSize(limits.stackBytes);
    // Called by the interpreter every few thousand instructions: the per-call CPU limit.
    this.rt.setInterruptHandler(() => now() > this.deadline);
    this.vm = this.rt.newContext();
    const boot = this.vm.evalCode(guest, 'guest.js');
    if (boot.error) {
      const why = JSON.stringify(this.vm.dump(boot.error));
      boot.error.dispose();
      throw new Error(`the sandbox guest script failed to start: ${why}`);
    }
    boot.value.dispose();
    // Take the entry points, then remove the global so the learner's code cannot reach or replace them.
    const g = this.vm.getProp(this.vm.global, '__guest');
    this.loadFn = this.vm.getProp(g, 'load');
    this.callFn = this.vm.getProp(g, 'call');
    this.logsFn = this.vm.getProp(g, 'takeLogs');
    g.dispose();
    this.vm.setProp(this.vm.global, '__guest', this.vm.undefined);
  }

  /** Runs `fn(arg)` in the sandbox within `timeoutMs`; returns the returned string, or why there is none. */
  private invoke(fn: QuickJSHandle, arg: string, timeoutMs: number): { text: string } | { stop: 'timeout' | 'memory' | 'engine' | 'guest'; message: string } {
    if (this.broken) return { stop: 'engine', message: 'the sandbox had already failed' };
    const t0 = now();
    this.deadline = t0 + timeoutMs;
    let argH: QuickJSHandle | null = null;
    try {
      argH = this.vm.newString(arg);
      const r = this.vm.callFunction(fn, this.vm.undefined, argH);
      const timedOut = now() > this.deadline;
      if (r.error) {
        let message = 'unknown error';
        try {
          const e = this.vm.dump(r.error) as { message?: unknown } | unknown;
          message = typeof e === 'object' && e && typeof (e as { message?: unknown }).message === 'string' ? String((e as { message: string }).message) : String(e);
        } catch {
          /* an error that cannot even be dumped */
        }
        r.error.dispose();
        if (timedOut || message === 'interrupted') return { stop: 'timeout', message };
        if (/out of memory/i.test(message)) return { stop: 'memory', message };
        return { stop: 'guest', message: message.slice(0, 500) };
      }
      const h = r.value;
      try {
        if (this.vm.typeof(h) !== 'string') return { stop: 'guest', message: 'the sandbox answered with something other than text' };
        // Length is read inside the engine before copying, so a huge answer is never copied into the host.
        const lenH = this.vm.getProp(h, 'length');
        const len = this.vm.getNumber(lenH);
        lenH.dispose();
        if (len > this.limits.maxOutputChars) return { stop: 'guest', message: `the returned value is too large to check (${len} characters of data)` };
        return { text: this.vm.getString(h) };
      } finally {
        h.dispose();
      }
    } catch (e) {
      // The engine itself failed (for example the host thread's stack ran out inside WebAssembly): never reuse it.
      this.broken = true;
      return { stop: 'engine', message: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : 'the engine failed' };
    } finally {
      this.deadline = Infinity;
      this.cpuMs += now() - t0;
      try {
        argH?.dispose();
      } catch {
        this.broken = true;
      }
    }
  }

  /** Evaluates the learner's transpiled code (top-level code has the same time limit as a call). */
  load(js: string, timeoutMs: number): LoadResult {
    const r = this.invoke(this.loadFn, js, timeoutMs);
    if ('stop' in r) {
      if (r.stop === 'timeout') return { ok: false, timeout: true, message: `the top-level code of your file did not finish within ${timeoutMs} ms` };
      if (r.stop === 'memory') return { ok: false, message: `the top-level code of your file ran out of memory (limit ${this.limits.memoryBytes >> 20} MB)` };
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
    return this.callEncoded(encodeCallRequest(fn, args, options), timeoutMs);
  }

  /** `call` with a request already made by `encodeCallRequest` (whose text is also an exact key of the call). */
  callEncoded(request: string, timeoutMs: number): CallOutcome {
    const r = this.invoke(this.callFn, request, timeoutMs);
    if ('stop' in r) {
      if (r.stop === 'timeout') return { kind: 'timeout', ms: Math.round(timeoutMs) };
      if (r.stop === 'memory') return { kind: 'crash', message: `it ran out of memory (limit ${this.limits.memoryBytes >> 20} MB)` };
      if (r.stop === 'engine') return { kind: 'crash', message: `the sandbox failed (${r.message}); it was restarted for the next test` };
      return { kind: 'crash', message: r.message };
    }
    return parseOutcome(r.text);
  }

  /** Console lines printed since the last call of takeLogs. */
  takeLogs(): Logs {
    const r = this.invoke(this.logsFn, '', 1000);
    if ('stop' in r) return { lines: [], dropped: 0 };
    try {
      const v = decodeWire(r.text) as Logs;
      const lines = Array.isArray(v?.lines) ? v.lines.filter((l): l is string => typeof l === 'string').slice(0, 200).map((l) => l.slice(0, 2000)) : [];
      return { lines, dropped: typeof v?.dropped === 'number' ? v.dropped : 0 };
    } catch {
      return { lines: [], dropped: 0 };
    }
  }

  /** Frees the runtime; safe to call on a broken sandbox. */
  dispose(): void {
    for (const h of [this.loadFn, this.callFn, this.logsFn]) {
      try {
        h.dispose();
      } catch {
        /* already gone */
      }
    }
    try {
      this.vm.dispose();
      this.rt.dispose();
    } catch {
      // A runtime that failed mid-call cannot always be freed cleanly; its WebAssembly instance is dropped whole.
      this.broken = true;
    }
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
  if (!o || typeof o !== 'object') return { kind: 'crash', message: 'the result of the call could not be read' };
  switch (o.kind) {
    case 'return': {
      const a = o.alloc as Record<string, unknown> | undefined;
      const alloc = a && typeof a === 'object' && typeof a.peakElements === 'number' && typeof a.peakWhat === 'string' ? { peakElements: a.peakElements, peakWhat: a.peakWhat.slice(0, 200) } : undefined;
      return alloc ? { kind: 'return', value: o.value, alloc } : { kind: 'return', value: o.value };
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
