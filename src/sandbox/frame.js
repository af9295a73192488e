// @ts-check
// The script of the sandbox page (an opaque-origin iframe, sandbox="allow-scripts"). It owns the workers that run
// the learner's code: it starts them, times every call and ends a worker whose call runs too long.
//
// The page talks to a run's worker straight through a MessagePort the frame gave it when the worker was started
// as a spare: code and calls go page → worker and outcomes worker → page without passing through this frame,
// whose own thread (another process, often busy) would otherwise sit on the Run's critical path twice. The worker
// tells the frame only that it loaded and that a call finished ("ticks"), which is all the timing needs. A worker
// started after a stopped call has no port: then the frame carries the code and calls and relays the outcomes.
//
// Requests are batches of calls (one Run sends most of its calls at once); each call has its own time limit,
// timed here between the worker's per-call ticks.
(() => {
  /** @typedef {{ fn: string, args: unknown[], options?: unknown }} Call */
  /** A batch: its calls when the frame carries them, or only their count when they went to the worker directly. */
  /** @typedef {{ callId: number, calls: Call[] | null, count: number, timeLimitMs: number }} Batch */
  /** @typedef {{ w: Worker, id: number, early: unknown[] }} Spare */
  /** @type {string | null} */ let workerUrl = null;
  /** Started workers waiting for a run: two, so back-to-back Runs always find one that has finished starting. */
  /** @type {Spare[]} */ let spares = [];
  const SPARES = 2;
  let spareSeq = 0;
  /**
   * The current run: its code, its worker, the batch in flight, the outcomes (or ticks) gathered so far and ticks
   * that came before the page's note of their batch (`early`).
   * @type {{ t0: number, runId: number, code: string, worker: Worker | null, timer: ReturnType<typeof setTimeout> | undefined, pending: Batch | null,
   *   outcomes: unknown[], ticks: number, early: number, dead: boolean, loaded: boolean, workerLoaded: boolean, loadLimitMs: number, direct: boolean } | null}
   */
  let run = null;
  /** @type {Batch[]} */
  let queue = [];

  /** Everything goes to the embedding page; targetOrigin must be "*" because this frame's own origin is opaque. */
  const toPage = (/** @type {unknown} */ m, /** @type {Transferable[]} */ transfer = []) => parent.postMessage(m, '*', transfer);

  /** A new worker; a spare also gets a port whose other end goes to the page. */
  const spawn = (/** @type {boolean} */ withPort) => {
    if (!workerUrl) return null;
    // A module worker from a data: URL (Chromium refuses module workers from blob: URLs in an opaque origin); it
    // imports the learner's file as a module, also from a data: URL.
    const w = new Worker(workerUrl, { name: 'learner-code', type: 'module' });
    /** @type {Spare} */
    const spare = { w, id: ++spareSeq, early: [] };
    // A spare's worker may load and answer before the page's note of its run reaches this frame: keep what it says.
    w.onmessage = (ev) => void spare.early.push(ev.data);
    // A spare that dies before use is simply replaced.
    w.onerror = () => {
      spares = spares.filter((x) => x !== spare);
    };
    if (withPort) {
      const ch = new MessageChannel();
      w.postMessage({ t: 'port', port: ch.port2 }, [ch.port2]);
      toPage({ type: 'spare', id: spare.id }, [ch.port1]);
    }
    return spare;
  };
  const warm = () => {
    while (workerUrl && spares.length < SPARES) spares.push(/** @type {Spare} */ (spawn(true)));
  };
  /**
   * Starting a worker costs this frame's thread tens of milliseconds: spares are made when the frame is idle,
   * never between a Run's click and its painted verdict.
   */
  let warmQueued = false;
  const warmSoon = () => {
    if (warmQueued) return;
    warmQueued = true;
    const go = () => {
      warmQueued = false;
      warm();
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 1000 });
    else setTimeout(go, 200);
  };

  const stopWorker = () => {
    if (!run) return;
    clearTimeout(run.timer);
    run.worker?.terminate();
    run.worker = null;
  };

  /**
   * Ends the batch in flight and goes on. A batch the frame carried gets its outcomes from here. A direct batch
   * that ran to its end was answered by the worker itself; one cut short (`last` is the stop) is answered here with
   * the stop and how many calls had finished before it (their outcomes went down with the worker).
   */
  const finish = (/** @type {unknown} */ last) => {
    if (!run || !run.pending) return;
    clearTimeout(run.timer);
    const b = run.pending;
    if (b.calls === null) {
      if (last !== undefined) toPage({ type: 'outcomes', runId: run.runId, callId: b.callId, outcomes: [last], stoppedAt: run.ticks });
    } else {
      if (last !== undefined) run.outcomes.push(last);
      toPage({ type: 'outcomes', runId: run.runId, callId: b.callId, outcomes: run.outcomes });
    }
    run.pending = null;
    run.outcomes = [];
    run.ticks = 0;
    next();
  };

  /** Answers every queued batch with a crash (the code cannot be run any more in this run). */
  const failQueued = (/** @type {string} */ message) => {
    if (!run) return;
    for (const b of queue) toPage({ type: 'outcomes', runId: run.runId, callId: b.callId, outcomes: [{ kind: 'crash', message }], stoppedAt: 0 });
    queue = [];
  };

  /** Arms the per-call time limit of the call now running in the batch in flight. */
  const arm = () => {
    if (!run || !run.pending) return;
    const r = run;
    const limit = run.pending.timeLimitMs;
    const t0 = performance.now();
    clearTimeout(r.timer);
    r.timer = setTimeout(() => {
      // The learner's function is still running: the only way to stop synchronous code is to end its thread.
      stopWorker();
      r.dead = true;
      r.direct = false;
      finish({ kind: 'timeout', ms: Math.round(performance.now() - t0) });
    }, limit);
  };

  /** One call of the batch in flight has finished (`outcome` is undefined for a direct batch's tick). */
  const item = (/** @type {unknown} */ outcome) => {
    if (!run) return;
    const b = run.pending;
    // A tick of a direct batch whose note from the page has not arrived yet.
    if (!b) {
      if (run.direct) run.early++;
      return;
    }
    if (b.calls === null) run.ticks++;
    else run.outcomes.push(outcome);
    if ((b.calls === null ? run.ticks : run.outcomes.length) >= b.count) finish(undefined);
    else arm();
  };

  /**
   * Gives the run a worker: the page's chosen spare (`spare`, already sent the code by the page), or a fresh
   * worker that the frame sends the code (first load without a usable spare, or again after a stopped call).
   */
  const attach = (/** @type {Spare | null} */ spare) => {
    if (!run) return;
    const r = run;
    const s = spare ?? spawn(false);
    if (!s) return;
    const w = s.w;
    r.worker = w;
    r.dead = false;
    r.workerLoaded = false;
    r.direct = Boolean(spare);
    r.early = 0;
    const onMessage = (/** @type {any} */ m) => {
      if (run !== r || r.worker !== w) return;
      if (!m || typeof m !== 'object') return;
      if (m.t === 'log') toPage({ type: 'log', runId: r.runId, level: m.level, text: m.text });
      else if (m.t === 'loaded') {
        clearTimeout(r.timer);
        r.workerLoaded = true;
        if (r.pending) arm();
        if (!r.loaded) {
          r.loaded = true;
          toPage({ type: 'loaded', runId: r.runId, exports: m.exports, direct: r.direct, timing: { ...m.timing, frameLoad: r.t0, frameLoaded: performance.timeOrigin + performance.now() } });
        }
        next();
      } else if (m.t === 'load-error') {
        clearTimeout(r.timer);
        stopWorker();
        r.dead = true;
        r.direct = false;
        const why = r.loaded ? 'your code could not be loaded again after the previous stop: ' + m.message : 'your code could not be loaded';
        if (!r.loaded) toPage({ type: 'load-error', runId: r.runId, message: m.message, line: m.line, column: m.column });
        if (r.pending) finish({ kind: 'crash', message: why });
        failQueued(why);
      } else if (m.t === 'item') item(m.outcome);
    };
    w.onmessage = (ev) => onMessage(ev.data);
    const crashed = () => {
      if (run !== r || r.worker !== w) return;
      stopWorker();
      r.dead = true;
      r.direct = false;
      const message = 'the worker running your code crashed — it probably ran out of memory (a huge array, or an array that grows without end)';
      if (!r.loaded) toPage({ type: 'load-error', runId: r.runId, message });
      if (r.pending) finish({ kind: 'crash', message });
      failQueued(message);
    };
    w.onerror = (e) => {
      e.preventDefault();
      crashed();
    };
    w.onmessageerror = crashed;
    r.timer = setTimeout(() => {
      stopWorker();
      r.dead = true;
      r.direct = false;
      if (!r.loaded) {
        toPage({ type: 'load-error', runId: r.runId, message: `loading your file took longer than ${r.loadLimitMs} ms — does top-level code loop forever?`, timeout: true });
      }
      const why = r.loaded ? 'reloading your code after a stopped call took too long' : 'your code could not be loaded';
      if (r.pending) finish({ kind: 'crash', message: why });
      failQueued(why);
    }, r.loadLimitMs);
    if (!spare) w.postMessage({ t: 'load', code: r.code });
    // What the spare said before this run was noted here (its load, even its first calls' ticks).
    for (const m of s.early.splice(0)) onMessage(m);
    if (spares.length === 0) warmSoon();
  };

  /** Takes up the next queued batch, restarting the worker first if the last call was stopped. */
  const next = () => {
    if (!run || run.pending || queue.length === 0) return;
    if (!run.worker) {
      if (run.dead && run.loaded) attach(null);
      return;
    }
    const b = /** @type {Batch} */ (queue.shift());
    // A direct batch can only go to the spare the page chose; any other worker would never see its calls.
    if (b.calls === null && !run.direct) {
      toPage({ type: 'outcomes', runId: run.runId, callId: b.callId, outcomes: [], stoppedAt: 0, redo: true });
      return next();
    }
    run.pending = b;
    run.outcomes = [];
    run.ticks = b.calls === null ? run.early : 0;
    run.early = 0;
    // The per-call limit starts when the code has loaded; until then the load limit applies.
    if (run.workerLoaded) arm();
    // A frame-carried batch is sent at once, even while the code is still loading; the worker waits for its load.
    if (b.calls !== null) run.worker.postMessage({ t: 'batch', callId: b.callId, calls: b.calls });
    else if (run.ticks >= b.count) finish(undefined);
  };

  addEventListener('message', (ev) => {
    // Only the embedding page talks to this frame.
    if (ev.source !== parent) return;
    const m = ev.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'init' && typeof m.workerSource === 'string' && !workerUrl) {
      workerUrl = `data:text/javascript;charset=utf-8,${encodeURIComponent(m.workerSource)}`;
      warm();
      toPage({ type: 'warm' });
    } else if (m.type === 'load' && typeof m.code === 'string') {
      stopWorker();
      queue = [];
      run = { t0: performance.timeOrigin + performance.now(), runId: m.runId, code: m.code, worker: null, timer: undefined, pending: null, outcomes: [], ticks: 0, early: 0, dead: false, loaded: false, workerLoaded: false, loadLimitMs: m.timeLimitMs, direct: false };
      const k = spares.findIndex((s) => s.id === m.spareId);
      attach(k >= 0 ? spares.splice(k, 1)[0] : null);
    } else if (m.type === 'batch' && run && run.runId === m.runId && typeof m.count === 'number') {
      queue.push({ callId: m.callId, calls: Array.isArray(m.calls) ? m.calls : null, count: m.count, timeLimitMs: m.timeLimitMs });
      if (run.dead && !run.loaded) failQueued('your code could not be loaded');
      else next();
    } else if (m.type === 'end' && run && run.runId === m.runId) {
      stopWorker();
      run = null;
      queue = [];
      warmSoon();
    }
  });
  toPage({ type: 'ready' });
})();
