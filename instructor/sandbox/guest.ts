// The part of the sandbox that runs INSIDE the QuickJS engine, bundled into one script (see bundle.ts) and
// evaluated before the learner's code. It reuses the grading library's `executeCall`, so a learner's function is
// called, copied (`toPlain`) and allocation-probed exactly as in the CLI and the browser.
//
// Everything here is reachable by the learner's code (same realm): it can break these helpers for itself, never
// for the host — the host only ever reads a bounded string back and validates it.
import { executeCall, thrownMessage, type CallOptions, type LearnerModule } from '../../graders/lib/host';
import { decodeTagged, encodeTagged, encodeWire } from './wire';

// What no exercise needs and what escapes the engines' memory accounting goes before any learner code runs:
// WebAssembly.Memory and resizable/growable buffers are reserved outside the V8 heap limit (one exercise reached
// 1.5 GB in an isolate), `transfer` makes a new buffer of any length. Deleting a built-in removes it from the
// realm for good (no other path reaches it); the pool's memory watch is the backstop (instructor/README.md).
function lockDown(): void {
  const g = globalThis as Record<string, unknown>;
  const strip = (proto: unknown, names: string[]) => {
    if (!proto) return;
    for (const n of names) delete (proto as Record<string, unknown>)[n];
  };
  strip((g.ArrayBuffer as { prototype?: unknown } | undefined)?.prototype, ['resize', 'transfer', 'transferToFixedLength']);
  strip((g.SharedArrayBuffer as { prototype?: unknown } | undefined)?.prototype, ['grow']);
  // FinalizationRegistry callbacks run when the engine collects garbage, which can be during a later learner's
  // turn in a reused engine (isolate.ts, quickjs.ts): one learner's code must never run on another's time.
  for (const n of ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry']) delete g[n];
  // `gc` exists only where the grading process runs with --expose-gc (pool.ts): the host collects a reused isolate
  // between submissions with it (isolate.ts); a learner must not be able to. V8 makes it non-configurable but writable.
  if ('gc' in g) g.gc = undefined;
}
lockDown();

// Captured before the learner's code runs, so replacing the globals later does not change the helpers.
const ObjectKeys = Object.keys;
const FunctionCtor = Function;
const StringCtor = String;

/** Log lines kept per sandbox, and characters per line: learner output is evidence, not a channel to flood. */
const MAX_LOG_LINES = 200;
const MAX_LOG_LINE = 1000;

let mod: LearnerModule = {};
const logs: string[] = [];
let dropped = 0;

function logLine(level: string, parts: unknown[]): void {
  if (logs.length >= MAX_LOG_LINES) {
    dropped++;
    return;
  }
  let text = '';
  for (let i = 0; i < parts.length && text.length < MAX_LOG_LINE; i++) {
    let s: string;
    try {
      const p = parts[i];
      s = typeof p === 'string' ? p : encodeWire(p) ?? StringCtor(p);
    } catch {
      s = '<unprintable>';
    }
    text += (i ? ' ' : '') + s;
  }
  logs[logs.length] = (level === 'log' ? '' : `[${level}] `) + (text.length > MAX_LOG_LINE ? text.slice(0, MAX_LOG_LINE) + '…' : text);
}

const consoleObj: Record<string, (...a: unknown[]) => void> = {};
for (const level of ['log', 'info', 'warn', 'error', 'debug']) consoleObj[level] = (...a: unknown[]) => logLine(level, a);
(globalThis as Record<string, unknown>).console = consoleObj;

/** The host's entry points; the host takes handles to them and then deletes the global. */
const guest = {
  /** Evaluates the learner's transpiled (CommonJS-style) code; returns the wire form of {ok, exports} or {ok: false, message}. */
  load(js: string): string {
    const exports: LearnerModule = {};
    const module = { exports };
    const require = (name: string) => {
      throw new Error(`imports are not available in exercises (tried to import "${name}"); keep everything in one file`);
    };
    try {
      const run = FunctionCtor('exports', 'module', 'require', `"use strict";\n${js}`) as (e: unknown, m: unknown, r: unknown) => void;
      run(exports, module, require);
      mod = module.exports as LearnerModule;
      const names = ObjectKeys(mod).filter((k) => typeof mod[k] === 'function');
      return encodeWire({ ok: true, exports: names }) as string;
    } catch (e) {
      return encodeWire({ ok: false, message: thrownMessage(e) }) as string;
    }
  },
  /** Runs one call request (tagged form of {fn, args, options}) and returns the tagged form of a CallOutcome. */
  call(request: string): string {
    const { fn, args, options, fresh } = decodeTagged(request) as { fn: string; args: unknown[]; options?: CallOptions; fresh?: boolean };
    return encodeTagged(executeCall(mod, fn, args, { ...options, freshArgs: fresh === true }));
  },
  /**
   * `call` for an engine that copies structured data across (isolated-vm): the request arrives as a fresh copy and
   * the CallOutcome goes back as an object for the engine to copy, so no JSON is made or parsed on either side.
   */
  callPlain(request: { fn: string; args: unknown[]; options?: CallOptions; fresh?: boolean }): unknown {
    const { fn, args, options, fresh } = request;
    return executeCall(mod, fn, args, { ...options, freshArgs: fresh === true });
  },
  /** Returns and clears the captured console lines (wire form of {lines, dropped}). */
  takeLogs(): string {
    const out = encodeWire({ lines: logs.slice(), dropped }) as string;
    logs.length = 0;
    dropped = 0;
    return out;
  },
};

(globalThis as Record<string, unknown>).__guest = guest;
