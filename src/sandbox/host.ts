// The course page's side of the sandbox: one hidden opaque-origin iframe per page, fed with the worker
// bundle's source text (an opaque origin cannot load a same-site worker URL itself). Every message that comes
// back is checked for its source and parsed with the protocol schemas before anything uses it.
import workerUrl from './worker.ts?worker&url';
import { DEV_WORKER_PATH } from './dev-worker-path';
import type { CallOptions, CallOutcome, LearnerHost } from '../../graders/lib/host';
import { toPlain } from '../../graders/lib/plain';
import { transpile } from './transpile';
import { FromFrameSchema, type CallRequest, type FromFrame, type ToFrame } from './protocol';

/** A console line printed by the learner's code. */
export interface LogLine {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
}

/** The learner's file could not be loaded (syntax error, throw at top level, endless top-level loop). */
export interface LoadFailure {
  message: string;
  line?: number;
  column?: number;
  timeout?: boolean;
  /** The run was stopped before it loaded because a newer one took the sandbox (it runs one at a time). */
  superseded?: boolean;
}

/** One run of one learner file: a LearnerHost for the grader, plus the names the file exports. */
export interface RunSession {
  host: LearnerHost;
  /**
   * Runs several calls in one message exchange, in order. The result has one outcome per call, or fewer when a
   * call was stopped (its outcome is the last one; the calls after it did not run).
   */
  batch(calls: CallRequest[]): Promise<CallOutcome[]>;
  /** Outcomes of the `first` calls given to `start`, with the same shape as `batch`'s. */
  first: Promise<CallOutcome[]>;
  exports: string[];
  /** Ends the run: the worker is terminated and a fresh one is prepared for the next run. */
  end(): void;
  /** False once the run has ended, or a newer run has stopped it (its worker is gone). */
  alive(): boolean;
}

/** Extra time the page waits beyond a call's limit before deciding the frame itself is gone. */
const FRAME_GRACE_MS = 2500;

/** What a run's waiters get when a newer run takes the frame, which runs one run at a time. */
const SUPERSEDED = { type: 'superseded' } as const;
type Answer = FromFrame | typeof SUPERSEDED | null;
type Waiter = (m: Answer) => void;
/** The outcome of a call of a run that a newer run stopped. */
const supersededCall: CallOutcome = { kind: 'crash', message: 'another run took over the code sandbox before this call finished' };

class Sandbox {
  private frame!: HTMLIFrameElement;
  private runSeq = 0;
  private callSeq = 0;
  private waiters = new Map<string, Waiter>();
  private logSinks = new Map<number, (l: LogLine) => void>();
  /** Runs started and not yet ended (or superseded). */
  private live = new Set<number>();
  /** The live runs that were started ahead of a click (see `start`). */
  private ahead = new Set<number>();
  /** Ports to the frame's started spare workers, oldest first: a Run talks to its worker through one of them. */
  private spares: { id: number; port: MessagePort }[] = [];
  private source: Promise<string>;
  ready!: Promise<void>;

  constructor() {
    // Fetched once from the site itself; the frame turns it into a data: URL.
    const url = import.meta.env.DEV ? `${import.meta.env.BASE_URL.replace(/\/$/, '')}${DEV_WORKER_PATH}` : workerUrl;
    this.source = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`could not load the code runner (${r.status})`);
      return r.text();
    });
    window.addEventListener('message', (e) => this.receive(e));
    this.boot();
  }

  /** Creates (or re-creates, after a crash) the frame and waits until its first worker is warm. */
  private boot(): void {
    this.frame?.remove();
    for (const s of this.spares) s.port.close();
    this.spares = [];
    this.live.clear();
    this.ahead.clear();
    for (const w of this.waiters.values()) w(null);
    this.waiters.clear();
    const f = document.createElement('iframe');
    f.setAttribute('sandbox', 'allow-scripts');
    f.src = `${import.meta.env.BASE_URL.replace(/\/$/, '')}/sandbox.html`;
    f.title = 'code sandbox';
    f.tabIndex = -1;
    f.setAttribute('aria-hidden', 'true');
    f.hidden = true;
    this.frame = f;
    this.ready = (async () => {
      const readyMsg = this.wait('ready', 15_000);
      document.body.append(f);
      if (!(await readyMsg)) throw new Error('the code sandbox did not start');
      const warm = this.wait('warm', 15_000);
      this.post({ type: 'init', workerSource: await this.source });
      if (!(await warm)) throw new Error('the code sandbox did not start its worker');
    })();
    this.ready.catch(() => {});
  }

  private post(m: ToFrame): void {
    this.frame.contentWindow?.postMessage(m, '*');
  }

  private receive(e: MessageEvent): void {
    // Untrusted: accept only messages from our own frame, in the shape we expect.
    if (!this.frame || e.source !== this.frame.contentWindow) return;
    const d = e.data as { type?: unknown; id?: unknown } | null;
    if (d && typeof d === 'object' && d.type === 'spare') {
      if (typeof d.id === 'number' && e.ports.length === 1) this.spares.push({ id: d.id, port: e.ports[0] });
      return;
    }
    this.accept(e.data);
  }

  /** The key a waiter is filed under for a message, read from its raw fields (before parsing). */
  private keyOf(d: unknown): string | null {
    if (!d || typeof d !== 'object') return null;
    const m = d as { type?: unknown; runId?: unknown; callId?: unknown };
    if (m.type === 'outcomes') return `outcome:${String(m.runId)}:${String(m.callId)}`;
    if (m.type === 'loaded' || m.type === 'load-error') return `load:${String(m.runId)}`;
    return typeof m.type === 'string' ? m.type : null;
  }

  /** Parses a message from the frame (or the run's port) and hands it to whoever waits for it. */
  private accept(data: unknown): void {
    // 'loaded' and 'load-error' come twice (port and frame); the second copy finds no waiter and is dropped before
    // parsing.
    const key = this.keyOf(data);
    if (key === null || (key !== 'log' && !this.waiters.has(key))) return;
    const parsed = FromFrameSchema.safeParse(data);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.type === 'log') {
      this.logSinks.get(m.runId)?.(m);
      return;
    }
    const w = this.waiters.get(key);
    if (w) {
      this.waiters.delete(key);
      w(m);
    }
  }

  /** Resolves with the message filed under `key`, or null after `ms` (or when the frame is rebuilt). */
  private wait(key: string, ms: number): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(null);
      }, ms);
      this.waiters.set(key, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  /** Runs not started ahead whose code is still on its way (being transpiled): they count as live already. */
  private asked = 0;

  /** True while a run not started ahead is live or about to be: a run started now would stop it. */
  get busy(): boolean {
    if (this.asked > 0) return true;
    for (const id of this.live) if (!this.ahead.has(id)) return true;
    return false;
  }

  /**
   * Answers every wait of the runs before `runId`: the frame has just been told to stop them (a new load ends the
   * frame's current run), so their answers will never come, and waiting out their time limits would end in a
   * needless restart of the frame.
   */
  private supersede(runId: number): void {
    for (const [key, w] of [...this.waiters]) {
      const id = /^(?:load|outcome):(\d+)/.exec(key);
      if (id && Number(id[1]) < runId) {
        this.waiters.delete(key);
        w(SUPERSEDED);
      }
    }
    for (const id of this.live) if (id < runId) this.live.delete(id);
    for (const id of this.ahead) if (!this.live.has(id)) this.ahead.delete(id);
  }

  /**
   * Loads `code` (TypeScript) into a fresh worker; resolves with a session, or with why the file could not be
   * loaded. The `first` calls are built right after the code is sent (so building them overlaps the worker's
   * loading) and sent without waiting for the load to finish; their outcomes are `session.first`.
   */
  async start(
    ts: string,
    timeLimitMs: number,
    onLog: (l: LogLine) => void,
    first: () => CallRequest[] = () => [],
    /** Started ahead of a click (a guess): it does not make the sandbox `busy`. */
    ahead = false,
  ): Promise<RunSession | LoadFailure> {
    if (!ahead) this.asked++;
    let js: Awaited<ReturnType<typeof transpile>>;
    try {
      [js] = await Promise.all([transpile(ts), this.ready]);
    } finally {
      if (!ahead) this.asked--;
    }
    if (!js.ok) return { message: `your file is not valid TypeScript: ${js.message}`, line: js.line, column: js.column };
    // A guess never takes the sandbox from a run that was asked for, whether it started during this transpile or is
    // still being transpiled itself (it would otherwise end that run: the model plug-in's, say).
    if (ahead && this.busy) return { message: 'another run took over the code sandbox while your file was loading', superseded: true };
    const code = js.js;
    const runId = ++this.runSeq;
    this.supersede(runId);
    this.live.add(runId);
    if (ahead) this.ahead.add(runId);
    this.logSinks.set(runId, onLog);
    const loaded = this.wait(`load:${runId}`, timeLimitMs + FRAME_GRACE_MS);
    performance.mark('amm:post-load');
    // The code and calls go straight to a started spare worker through its port, and its outcomes come back the
    // same way; the frame hears of them only to time the calls. Without a spare (or once a call has been stopped,
    // which ends that worker) everything goes through the frame.
    const spare = this.spares.shift() ?? null;
    let direct = spare !== null;
    if (spare) {
      spare.port.onmessage = (e) => {
        if (e.data && typeof e.data === 'object') this.accept({ ...(e.data as object), runId });
      };
      spare.port.postMessage({ t: 'load', code });
    }
    this.post({ type: 'load', runId, code, timeLimitMs, spareId: spare?.id });
    let firstOutcomes: Promise<CallOutcome[]> = Promise.resolve([]);
    const batch = async (calls: CallRequest[]): Promise<CallOutcome[]> => {
      if (calls.length === 0) return [];
      // The frame no longer runs this run's code (a newer run took it, or this one ended): nothing would answer.
      if (!this.live.has(runId)) return calls.map(() => supersededCall);
      const callId = ++this.callSeq;
      const answer = this.wait(`outcome:${runId}:${callId}`, timeLimitMs * (calls.length + 1) + FRAME_GRACE_MS);
      if (direct && spare) {
        spare.port.postMessage({ t: 'batch', callId, calls });
        this.post({ type: 'batch', runId, callId, count: calls.length, timeLimitMs });
      } else this.post({ type: 'batch', runId, callId, calls, count: calls.length, timeLimitMs });
      const r = await answer;
      if (r === SUPERSEDED) return [supersededCall];
      if (r?.type === 'outcomes') for (const [k, v] of Object.entries(r.timing ?? {})) performance.mark(`amm:${k}`, { startTime: v - performance.timeOrigin });
      if (!r || r.type !== 'outcomes') {
        this.boot();
        return [{ kind: 'crash', message: 'the code sandbox stopped answering (it probably ran out of memory); it has been restarted' }];
      }
      // The frame answered a direct batch: the spare was unusable, or a call was stopped and its worker ended.
      if (r.stoppedAt !== undefined || r.redo) direct = false;
      if (r.redo) return batch(calls);
      // Trusted copies: the values came from the learner's realm.
      const outcomes = r.outcomes.slice(0, calls.length).map((o): CallOutcome => (o.kind === 'return' ? { kind: 'return', value: toPlain(o.value), alloc: o.alloc, ...(o.args ? { args: toPlain(o.args) as unknown[] } : {}) } : o));
      // The calls that finished before the stop went down with their worker: they run again, in a fresh one.
      const k = r.stoppedAt ?? 0;
      if (k === 0) return outcomes;
      const before = await batch(calls.slice(0, k));
      return before.length < k ? before : [...before, ...outcomes];
    };
    // The frame queues this batch until the code has loaded (and fails it if loading fails).
    const calls = first();
    if (calls.length) firstOutcomes = batch(calls);
    performance.mark('amm:post-first');
    const m = await loaded;
    const end = () => {
      this.live.delete(runId);
      this.ahead.delete(runId);
      this.post({ type: 'end', runId });
      spare?.port.close();
      // Late log lines of an ended run are dropped.
      setTimeout(() => this.logSinks.delete(runId), 0);
    };
    if (m === SUPERSEDED) {
      spare?.port.close();
      this.logSinks.delete(runId);
      return { message: 'another run took over the code sandbox while your file was loading', superseded: true };
    }
    if (!m) {
      this.boot();
      return { message: 'the code sandbox stopped answering while loading your file; it has been restarted' };
    }
    if (m.type === 'load-error') {
      end();
      return { message: m.message, line: m.line, column: m.column, timeout: m.timeout };
    }
    if (m.type !== 'loaded') return { message: 'unexpected answer from the code sandbox' };
    if (m.direct === false) direct = false;
    // Where the load's time went (frame and worker clocks share the epoch), as marks for the bench.
    for (const [k, v] of Object.entries(m.timing ?? {})) performance.mark(`amm:${k}`, { startTime: v - performance.timeOrigin });
    const call = async (fn: string, args: unknown[], options?: CallOptions): Promise<CallOutcome> =>
      (await batch([{ fn, args, options }]))[0] ?? { kind: 'crash', message: 'the code sandbox gave no answer' };
    return { host: { call, callMany: (calls) => batchAll(batch, calls) }, batch, first: firstOutcomes, exports: m.exports, end, alive: () => this.live.has(runId) };
  }
}

/**
 * Every call's outcome, in as few exchanges as possible: a batch cut short by a stopped call (timeout) answers up
 * to the stop, and the calls after it go in the next batch, in a fresh worker, as they would have one by one.
 */
export async function batchAll(batch: RunSession['batch'], calls: CallRequest[]): Promise<CallOutcome[]> {
  const out: CallOutcome[] = [];
  while (out.length < calls.length) {
    const got = await batch(calls.slice(out.length));
    out.push(...got);
    const last = got[got.length - 1];
    // A crash (worker out of memory, frame restarted) answers the remaining calls too: retrying them would wait on
    // a sandbox that is gone or cost a crash each.
    if (!last || last.kind === 'crash') {
      const crash = last ?? { kind: 'crash', message: 'the code sandbox gave no answer' };
      while (out.length < calls.length) out.push(crash);
    }
  }
  return out;
}

let shared: Sandbox | null = null;

/** The page's sandbox, created on first use; `ready` settles when a worker is warm. */
export function getSandbox(): Sandbox {
  shared ??= new Sandbox();
  return shared;
}

/** True when `start` failed to load the file. */
export function isLoadFailure(x: RunSession | LoadFailure): x is LoadFailure {
  return 'message' in x;
}
