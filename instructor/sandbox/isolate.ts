// The default isolation boundary: a separate V8 isolate per submission (isolated-vm), a fresh context per
// exercise. The learner's code gets its own heap with a hard memory limit and its own built-ins; nothing of Node
// (require, process, fs, net, timers) exists in it. Only strings cross, copied: the host never holds a reference
// to a learner value. V8 must run without Node's startup snapshot (`--no-node-snapshot`, instructor/README.md),
// so the pool runs these sandboxes in child processes started with that flag.
import { createRequire } from 'node:module';
import type IvmModule from 'isolated-vm';
import { DEFAULT_LIMITS, Sandbox, type GuestEntry, type Invoked, type SandboxFactory, type SandboxLimits } from './sandbox';

type Ivm = typeof IvmModule;
const require = createRequire(import.meta.url);

/** isolated-vm if it loads in this Node (prebuilt for Node 22 and 24), else the reason it does not. */
export function loadIsolatedVm(): { ivm: Ivm } | { error: string } {
  try {
    return { ivm: require('isolated-vm') as Ivm };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

/**
 * Sandboxes for one submission: each one a fresh context (own globals and built-ins) in an isolate shared by that
 * submission only; `close` disposes the isolate before the next learner's. An isolate that failed (memory limit)
 * is replaced, and so is one asked for `afterFailure`. Throws when isolated-vm cannot be used in this process.
 */
export function isolateFactory(guest: string, limits: SandboxLimits = DEFAULT_LIMITS): SandboxFactory {
  if (!process.execArgv.includes('--no-node-snapshot')) throw new Error('isolated-vm needs this process to run with --no-node-snapshot');
  const loaded = loadIsolatedVm();
  if ('error' in loaded) throw new Error(`isolated-vm could not be loaded: ${loaded.error}`);
  const { ivm } = loaded;
  let isolate: IvmModule.Isolate | null = null;
  let script: IvmModule.Script | null = null;
  const close = () => {
    if (isolate && !isolate.isDisposed) isolate.dispose();
    isolate = script = null;
  };
  return {
    kind: 'isolate',
    async open(afterFailure) {
      if (afterFailure || !isolate || isolate.isDisposed) {
        close();
        isolate = new ivm.Isolate({ memoryLimit: Math.max(8, limits.memoryBytes >> 20) });
        script = isolate.compileScriptSync(guest, { filename: 'guest.js' });
      }
      return new IsolateSandbox(isolate, script!, limits);
    },
    close,
  };
}

const now = () => performance.now();

/** One learner file in its own V8 context (fresh globals and built-ins) of an isolate owned by the factory. */
export class IsolateSandbox extends Sandbox {
  private context: IvmModule.Context;
  private fns: Record<GuestEntry, IvmModule.Reference<(arg: string) => string>>;

  constructor(private isolate: IvmModule.Isolate, guest: IvmModule.Script, limits: SandboxLimits = DEFAULT_LIMITS) {
    super(limits);
    this.context = isolate.createContextSync();
    guest.runSync(this.context, { timeout: 5000 });
    // Take the entry points, then remove the global so the learner's code cannot reach or replace them.
    const g = this.context.global.getSync('__guest', { reference: true }) as IvmModule.Reference<Record<GuestEntry, unknown>>;
    const fn = (k: GuestEntry) => g.getSync(k, { reference: true }) as IvmModule.Reference<(arg: string) => string>;
    this.fns = { load: fn('load'), call: fn('call'), takeLogs: fn('takeLogs') };
    g.release();
    this.context.global.deleteSync('__guest');
  }

  protected invoke(fn: GuestEntry, arg: string, timeoutMs: number): Invoked {
    if (this.broken || this.isolate.isDisposed) {
      this.broken = true;
      return { stop: 'engine', message: 'the sandbox had already failed' };
    }
    const t0 = now();
    try {
      const text = this.fns[fn].applySync(undefined, [arg], { timeout: Math.max(1, Math.ceil(timeoutMs)), arguments: { copy: true }, result: { copy: true } });
      return this.bounded(text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (this.isolate.isDisposed) {
        // The memory limit disposes the whole isolate: it cannot serve another call.
        this.broken = true;
        return /memory/i.test(message) ? { stop: 'memory', message } : { stop: 'engine', message: message.slice(0, 300) };
      }
      if (/timed out/i.test(message)) return { stop: 'timeout', message };
      return { stop: 'guest', message: message.slice(0, 500) };
    } finally {
      this.cpuMs += now() - t0;
    }
  }

  dispose(): void {
    for (const r of Object.values(this.fns)) r.release();
    try {
      this.context.release();
    } catch {
      this.broken = true;
    }
  }
}
