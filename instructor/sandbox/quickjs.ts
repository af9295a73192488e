// The fallback isolation boundary: a QuickJS engine compiled to WebAssembly (quickjs-emscripten), used when
// isolated-vm cannot load (instructor/README.md). The learner's code runs in its own JS heap inside a WebAssembly
// instance; it has no file system, network, environment, process, timers or imports — only the ECMAScript
// built-ins and a console that writes into a capped buffer.
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { DEFAULT_LIMITS, Sandbox, type GuestEntry, type Invoked, type SandboxFactory, type SandboxLimits } from './sandbox';

let variant: Promise<unknown> | null = null;

/** A fresh WebAssembly instance of QuickJS (a separate linear memory: nothing survives from other submissions). */
export async function newEngine(): Promise<QuickJSWASMModule> {
  variant ??= import('@jitl/quickjs-wasmfile-release-sync').then((m) => (m as { default: unknown }).default);
  return newQuickJSWASMModuleFromVariant((await variant) as Parameters<typeof newQuickJSWASMModuleFromVariant>[0]);
}

/** Sandboxes served by one WebAssembly instance before a fresh one is made (its memory only grows). */
const SANDBOXES_PER_ENGINE = 50;

/** QuickJS sandboxes sharing a WebAssembly instance until it has served its share or failed. */
export function quickjsFactory(guest: string, limits: SandboxLimits = DEFAULT_LIMITS): SandboxFactory {
  let engine: QuickJSWASMModule | null = null;
  let served = 0;
  return {
    kind: 'quickjs',
    async open(afterFailure) {
      if (!engine || afterFailure || served >= SANDBOXES_PER_ENGINE) {
        engine = await newEngine();
        served = 0;
      }
      served++;
      return new QuickSandbox(engine, guest, limits);
    },
    // Every sandbox already has its own QuickJS runtime; the WebAssembly instance is renewed by count.
    close() {},
  };
}

const now = () => performance.now();

/** One learner file in one QuickJS runtime. */
export class QuickSandbox extends Sandbox {
  private rt: QuickJSRuntime;
  private vm: QuickJSContext;
  private fns: Record<GuestEntry, QuickJSHandle>;
  private deadline = Infinity;

  constructor(engine: QuickJSWASMModule, guest: string, limits: SandboxLimits = DEFAULT_LIMITS) {
    super(limits);
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
    this.fns = { load: this.vm.getProp(g, 'load'), call: this.vm.getProp(g, 'call'), takeLogs: this.vm.getProp(g, 'takeLogs') };
    g.dispose();
    this.vm.setProp(this.vm.global, '__guest', this.vm.undefined);
  }

  protected invoke(fn: GuestEntry, arg: string, timeoutMs: number): Invoked {
    if (this.broken) return { stop: 'engine', message: 'the sandbox had already failed' };
    const t0 = now();
    this.deadline = t0 + timeoutMs;
    let argH: QuickJSHandle | null = null;
    try {
      argH = this.vm.newString(arg);
      const r = this.vm.callFunction(this.fns[fn], this.vm.undefined, argH);
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

  dispose(): void {
    for (const h of Object.values(this.fns)) {
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
