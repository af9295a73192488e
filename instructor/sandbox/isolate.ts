// The default isolation boundary: a separate V8 isolate per submission (isolated-vm), a fresh context per
// exercise. The learner's code gets its own heap with a hard memory limit and its own built-ins; nothing of Node
// (require, process, fs, net, timers) exists in it. Only copies cross (text, or a call's plain data as a V8
// structured copy): the host never holds a reference to a learner value. V8 must run without Node's startup snapshot (`--no-node-snapshot`, instructor/README.md),
// so the pool runs these sandboxes in child processes started with that flag.
import { createRequire } from 'node:module';
import type IvmModule from 'isolated-vm';
import type { CallOutcome } from '../../graders/lib/host';
import { DEFAULT_LIMITS, outcomeOf, plainSize, Sandbox, type CallRequest, type GuestEntry, type Invoked, type SandboxFactory, type SandboxLimits } from './sandbox';

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

/** Submissions one isolate serves before it is replaced (bounds whatever an isolate's heap keeps between them). */
export const SUBMISSIONS_PER_ISOLATE = 40;
/** Share of the memory limit an isolate's heap may still hold after a submission for the isolate to be reused. */
const REUSE_HEAP_SHARE = 0.5;

/**
 * Sandboxes, each a fresh context (own globals and built-ins) of an isolate. An isolate is reused for the next
 * submission only when nothing of the last one was cut short (no timeout, memory or engine stop, no restart), its
 * heap holds less than REUSE_HEAP_SHARE of the limit, and it has served fewer than SUBMISSIONS_PER_ISOLATE:
 * a spent engine is never reused, and a learner's contexts are released (unreachable) before the next learner's
 * code runs. Reuse keeps the guest's compiled code warm across learners. `close` ends a submission. Throws when
 * isolated-vm cannot be used in this process.
 */
export function isolateFactory(guest: string, limits: SandboxLimits = DEFAULT_LIMITS): SandboxFactory & { readonly isolatesCreated: number } {
  if (!process.execArgv.includes('--no-node-snapshot')) throw new Error('isolated-vm needs this process to run with --no-node-snapshot');
  const loaded = loadIsolatedVm();
  if ('error' in loaded) throw new Error(`isolated-vm could not be loaded: ${loaded.error}`);
  const { ivm } = loaded;
  const limitMb = Math.max(8, limits.memoryBytes >> 20);
  let isolate: IvmModule.Isolate | null = null;
  let script: IvmModule.Script | null = null;
  /**
   * A context of the isolate that only the host uses, made at its first collection, to call `gc` between
   * submissions (a context made per collection cost ≈ 0.45 ms). No learner code runs in it and no learner's context
   * has a way to reach it.
   */
  let janitor: IvmModule.Context | null = null;
  let served = 0;
  let created = 0;
  /** Sandboxes of the current submission (to see whether any was cut short). */
  let opened: IsolateSandbox[] = [];
  const dispose = () => {
    if (isolate && !isolate.isDisposed) isolate.dispose();
    isolate = script = janitor = null;
  };
  /**
   * A full collection of a reused isolate between submissions, on no learner's clock: otherwise the previous
   * learners' contexts (3–4 MB of garbage each, measured) were collected during a later learner's call, whose
   * wall-clock limit then paid for it. Needs --expose-gc (pool.ts); without it the isolate collects as before.
   */
  const collect = () => {
    try {
      janitor ??= isolate!.createContextSync();
      janitor.evalSync('typeof gc === "function" && gc()', { timeout: 1000 });
    } catch {
      dispose(); // an isolate that cannot even collect serves no one
    }
  };
  const reusable = (): boolean => {
    if (!isolate || isolate.isDisposed || served >= SUBMISSIONS_PER_ISOLATE) return false;
    if (opened.some((b) => b.interrupted || b.broken)) return false;
    const h = isolate.getHeapStatisticsSync();
    return h.used_heap_size + h.externally_allocated_size < REUSE_HEAP_SHARE * limitMb * 1048576;
  };
  return {
    kind: 'isolate',
    /** Isolates made so far (each reuse saves one). */
    get isolatesCreated() {
      return created;
    },
    async open(afterFailure) {
      if (afterFailure || !isolate || isolate.isDisposed) {
        dispose();
        isolate = new ivm.Isolate({ memoryLimit: limitMb });
        created++;
        script = isolate.compileScriptSync(guest, { filename: 'guest.js' });
        served = 0;
      }
      try {
        const box = new IsolateSandbox(isolate, script!, limits, ivm);
        opened.push(box);
        return box;
      } catch (e) {
        dispose(); // an isolate that cannot even set up a context serves no one
        throw e;
      }
    },
    close() {
      served++;
      if (!reusable()) dispose();
      else collect();
      opened = [];
    },
  };
}

const now = () => performance.now();

/** isolated-vm, for a sandbox made without a factory (throws when it cannot load). */
function loadedIvm(): Ivm {
  const loaded = loadIsolatedVm();
  if ('error' in loaded) throw new Error(`isolated-vm could not be loaded: ${loaded.error}`);
  return loaded.ivm;
}

/**
 * Each request, serialized once outside any isolate. A request is made once per case and the cases are shared by
 * the whole class (grade-exercise.ts, case-cache.ts), so every learner's call of it only deserializes this copy into
 * their context — a new private copy each time — instead of serializing the arguments again (instructor/README.md, Throughput).
 */
const serializedRequests = new WeakMap<CallRequest['plain'], IvmModule.ExternalCopy<CallRequest['plain']>>();

function serialized(ivm: Ivm, plain: CallRequest['plain']): IvmModule.ExternalCopy<CallRequest['plain']> {
  let copy = serializedRequests.get(plain);
  if (!copy) serializedRequests.set(plain, (copy = new ivm.ExternalCopy(plain)));
  return copy;
}

/** One learner file in its own V8 context (fresh globals and built-ins) of an isolate owned by the factory. */
export class IsolateSandbox extends Sandbox {
  private context: IvmModule.Context;
  private fns: Record<GuestEntry, IvmModule.Reference<(arg: string) => string>>;
  private callPlain: IvmModule.Reference<(req: CallRequest['plain']) => unknown>;

  constructor(private isolate: IvmModule.Isolate, guest: IvmModule.Script, limits: SandboxLimits = DEFAULT_LIMITS, private ivm: Ivm = loadedIvm()) {
    super(limits);
    this.context = isolate.createContextSync();
    guest.runSync(this.context, { timeout: 5000 });
    // Take the entry points, then remove the global so the learner's code cannot reach or replace them.
    const g = this.context.global.getSync('__guest', { reference: true }) as IvmModule.Reference<Record<GuestEntry | 'callPlain', unknown>>;
    const fn = (k: GuestEntry) => g.getSync(k, { reference: true }) as IvmModule.Reference<(arg: string) => string>;
    this.fns = { load: fn('load'), call: fn('call'), takeLogs: fn('takeLogs') };
    this.callPlain = g.getSync('callPlain', { reference: true }) as IvmModule.Reference<(req: CallRequest['plain']) => unknown>;
    g.release();
    this.context.global.deleteSync('__guest');
  }

  protected invoke(fn: GuestEntry, arg: string, timeoutMs: number): Invoked {
    const r = this.cross(this.fns[fn], arg, timeoutMs);
    return 'stop' in r ? r : this.bounded(r.value);
  }

  /**
   * Calls through `callPlain`: the request goes in and the outcome comes back as V8 structured copies (no JSON on
   * either side; NaN, ±Infinity, -0 and undefined are kept as they are). The copy is checked to be plain data within
   * the output limit before anything reads it.
   */
  override callRequest(request: CallRequest, timeoutMs: number): CallOutcome {
    const r = this.cross(this.callPlain, serialized(this.ivm, request.plain).copyInto(), timeoutMs, false);
    if ('stop' in r) return this.stopped(r, timeoutMs);
    const size = plainSize(r.value, this.limits.maxOutputChars);
    if (size < 0) return { kind: 'crash', message: 'the result of the call could not be read' };
    if (size > this.limits.maxOutputChars) return { kind: 'crash', message: `the returned value is too large to check (more than ${this.limits.maxOutputChars} elements and characters of data)` };
    return outcomeOf(r.value as Record<string, unknown>);
  }

  /** One crossing into the isolate under the time limit; the answer is copied, the argument too unless it is already a transferable copy. */
  private cross(ref: IvmModule.Reference<(arg: never) => unknown> | IvmModule.Reference<(arg: string) => string> | IvmModule.Reference<(req: CallRequest['plain']) => unknown>, arg: unknown, timeoutMs: number, copyArg = true): { value: unknown } | Exclude<Invoked, { text: string }> {
    if (this.broken || this.isolate.isDisposed) {
      this.broken = true;
      return { stop: 'engine', message: 'the sandbox had already failed' };
    }
    const t0 = now();
    try {
      const f = ref as IvmModule.Reference<(arg: unknown) => unknown>;
      const timeout = Math.max(1, Math.ceil(timeoutMs));
      const value = copyArg
        ? f.applySync(undefined, [arg], { timeout, arguments: { copy: true }, result: { copy: true } })
        : f.applySync(undefined, [arg as IvmModule.Transferable], { timeout, result: { copy: true } });
      return { value };
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
    this.callPlain.release();
    try {
      this.context.release();
    } catch {
      this.broken = true;
    }
  }
}
