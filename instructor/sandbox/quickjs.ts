// The fallback isolation boundary: a QuickJS engine compiled to WebAssembly (quickjs-emscripten), used when
// isolated-vm cannot load (instructor/README.md). The learner's code runs in its own JS heap inside a WebAssembly
// instance; it has no file system, network, environment, process, timers or imports — only the ECMAScript
// built-ins and a console that writes into a capped buffer.
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { DEFAULT_LIMITS, Sandbox, type GuestEntry, type Invoked, type SandboxFactory, type SandboxLimits } from './sandbox';

type Variant = Parameters<typeof newVariant>[0];
let variant: Promise<Variant> | null = null;

/**
 * Largest linear memory of one QuickJS instance, MB: the hard memory bound of QuickJS. Its own runtime limit
 * (`setMemoryLimit`) counts allocations through `malloc_usable_size`, which this Emscripten build lacks, so it
 * bounded almost nothing (2 GB were reached); a WebAssembly.Memory cannot grow past its maximum, so malloc fails
 * there and QuickJS throws "out of memory".
 */
export const ENGINE_MEMORY_MB = 96;
/** What the Emscripten build starts with (its INITIAL_MEMORY). */
const INITIAL_MEMORY_MB = 16;

/** A fresh WebAssembly instance of QuickJS (a separate linear memory of at most ENGINE_MEMORY_MB: nothing survives from other submissions). */
export async function newEngine(): Promise<QuickJSWASMModule> {
  variant ??= import('@jitl/quickjs-wasmfile-release-sync').then((m) => (m as unknown as { default: Variant }).default);
  const memory = new WebAssembly.Memory({ initial: (INITIAL_MEMORY_MB << 20) >> 16, maximum: (ENGINE_MEMORY_MB << 20) >> 16 });
  return newQuickJSWASMModuleFromVariant(newVariant(await variant, { wasmMemory: memory }) as Parameters<typeof newQuickJSWASMModuleFromVariant>[0]);
}

// QuickJS checks its interrupt handler between bytecodes only, so one long native operation (BigInt arithmetic,
// a huge string conversion) runs past any deadline. The thread's host (worker.ts) reads the current call's
// deadline here (epoch ms; 0 = no call running) and ends the whole thread when it is overrun.
let sharedDeadline: Float64Array | null = null;

/** Publishes each call's deadline in `view[0]` for a watcher on another thread. */
export function shareDeadline(view: Float64Array): void {
  sharedDeadline = view;
}

/** Sandboxes served by one WebAssembly instance before a fresh one is made (its memory only grows). */
const SANDBOXES_PER_ENGINE = 50;

/** True when an instance's linear memory is within 16 MB of ENGINE_MEMORY_MB (it only ever grows). */
function nearMaximum(engine: QuickJSWASMModule): boolean {
  return engine.getWasmMemory().buffer.byteLength > (ENGINE_MEMORY_MB - 16) << 20;
}

/** QuickJS sandboxes sharing a WebAssembly instance until it has served its share or failed. */
export function quickjsFactory(guest: string, limits: SandboxLimits = DEFAULT_LIMITS): SandboxFactory {
  let engine: QuickJSWASMModule | null = null;
  let served = 0;
  return {
    kind: 'quickjs',
    async open(afterFailure) {
      // A linear memory never shrinks: after one learner's memory bomb the instance stays near its maximum, and the
      // next learner's code would be told it ran out of memory. Such an instance is not used for another sandbox.
      if (!engine || afterFailure || served >= SANDBOXES_PER_ENGINE || nearMaximum(engine)) {
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

  constructor(private engine: QuickJSWASMModule, guest: string, limits: SandboxLimits = DEFAULT_LIMITS) {
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
    if (sharedDeadline) sharedDeadline[0] = Date.now() + timeoutMs;
    let argH: QuickJSHandle | null = null;
    try {
      argH = this.vm.newString(arg);
      const r = this.vm.callFunction(this.fns[fn], this.vm.undefined, argH);
      const timedOut = now() > this.deadline;
      if (this.exhausted()) {
        // Near the end of its linear memory QuickJS cannot even build its error (it throws null): whatever the
        // guest answered, this was the memory limit, and an engine whose malloc fails is not used again.
        r.error?.dispose();
        if (!r.error) r.value.dispose();
        this.broken = true;
        return { stop: 'memory', message: 'out of memory' };
      }
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
      if (sharedDeadline) sharedDeadline[0] = 0;
      this.cpuMs += now() - t0;
      try {
        argH?.dispose();
      } catch {
        this.broken = true;
      }
    }
  }

  /** The engine's linear memory is the bound that holds (see ENGINE_MEMORY_MB). */
  protected override memoryLimitMb(): number {
    return ENGINE_MEMORY_MB;
  }

  /** True when the instance's linear memory is near its maximum (see nearMaximum). */
  private exhausted(): boolean {
    return nearMaximum(this.engine);
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
