// @ts-check
// The script of the sandbox page (an opaque-origin iframe, sandbox="allow-scripts"). It holds the worker that
// runs the learner's code and relays messages between that worker and the course page. Plain JavaScript, inlined
// into /sandbox.html and allowed by its CSP hash, so it must stay self-contained (no imports).
//
// Requests are batches of calls (one Run sends most of its calls at once, since every page↔frame message costs
// time); each call has its own time limit, timed here between the worker's per-call answers.
(() => {
  /** @typedef {{ fn: string, args: unknown[], options?: unknown }} Call */
  /** @typedef {{ callId: number, calls: Call[], timeLimitMs: number }} Batch */
  /** @type {string | null} */ let workerUrl = null;
  /** Started workers waiting for a run: two, so back-to-back Runs always find one that has finished starting. */
  /** @type {Worker[]} */ let spares = [];
  const SPARES = 2;
  /**
   * The current run: its code, its worker, the batch in flight and the outcomes gathered so far.
   * @type {{ port: MessagePort | null, t0: number, runId: number, code: string, worker: Worker | null, timer: ReturnType<typeof setTimeout> | undefined, pending: Batch | null,
   *   outcomes: unknown[], dead: boolean, loaded: boolean, workerLoaded: boolean, loadLimitMs: number, direct: boolean } | null}
   */
  let run = null;
  /** @type {Batch[]} */
  let queue = [];

  /** Everything goes to the embedding page; targetOrigin must be "*" because this frame's own origin is opaque. */
  const toPage = (/** @type {unknown} */ m) => parent.postMessage(m, '*');

  const spawn = () => {
    if (!workerUrl) return null;
    // A module worker from a data: URL (Chromium refuses module workers from blob: URLs in an opaque origin); it
    // imports the learner's file as a module, also from a data: URL.
    const w = new Worker(workerUrl, { name: 'learner-code', type: 'module' });
    // A spare that dies before use is simply replaced.
    w.onerror = () => {
      spares = spares.filter((x) => x !== w);
    };
    return w;
  };
  const warm = () => {
    while (workerUrl && spares.length < SPARES) spares.push(/** @type {Worker} */ (spawn()));
  };
  /**
   * Starting a worker costs this frame's thread tens of milliseconds, and this frame shares its thread with the
   * course page: spares are made when the page is idle, never between a Run's click and its painted verdict.
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
   * Ends the batch in flight and goes on. Its outcomes go to the page from here when the batch was cut short (`last`
   * is the stop) or the worker has no port to the page; otherwise the worker has sent them itself, one hop shorter.
   */
  const finish = (/** @type {unknown} */ last) => {
    if (!run || !run.pending) return;
    clearTimeout(run.timer);
    if (last !== undefined) run.outcomes.push(last);
    if (last !== undefined || !run.direct) toPage({ type: 'outcomes', runId: run.runId, callId: run.pending.callId, outcomes: run.outcomes });
    run.pending = null;
    run.outcomes = [];
    next();
  };

  /** Answers every queued batch with a crash (the code cannot be run any more in this run). */
  const failQueued = (/** @type {string} */ message) => {
    if (!run) return;
    for (const b of queue) toPage({ type: 'outcomes', runId: run.runId, callId: b.callId, outcomes: [{ kind: 'crash', message }] });
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
      finish({ kind: 'timeout', ms: Math.round(performance.now() - t0) });
    }, limit);
  };

  /** Starts a worker for the current run and loads the learner's code into it (again, after a stopped call). */
  const attach = () => {
    if (!run) return;
    const r = run;
    const w = spares.shift() ?? spawn();
    if (!w) return;
    r.worker = w;
    r.dead = false;
    r.workerLoaded = false;
    w.onmessage = (ev) => {
      if (run !== r || r.worker !== w) return;
      const m = ev.data;
      if (!m || typeof m !== 'object') return;
      if (m.t === 'log') toPage({ type: 'log', runId: r.runId, level: m.level, text: m.text });
      // The worker's port to the page failed: its message comes this way instead.
      else if (m.t === 'relay' && m.m && typeof m.m === 'object') toPage({ ...m.m, runId: r.runId });
      else if (m.t === 'loaded') {
        clearTimeout(r.timer);
        r.workerLoaded = true;
        if (r.pending) arm();
        if (!r.loaded) {
          r.loaded = true;
          toPage({ type: 'loaded', runId: r.runId, exports: m.exports, timing: { ...m.timing, frameLoad: r.t0, frameLoaded: performance.timeOrigin + performance.now() } });
        }
        next();
      } else if (m.t === 'load-error') {
        clearTimeout(r.timer);
        stopWorker();
        r.dead = true;
        const why = r.loaded ? 'your code could not be loaded again after the previous stop: ' + m.message : 'your code could not be loaded';
        if (!r.loaded) toPage({ type: 'load-error', runId: r.runId, message: m.message, line: m.line, column: m.column });
        if (r.pending) finish({ kind: 'crash', message: why });
        failQueued(why);
      } else if (m.t === 'item' && r.pending) {
        r.outcomes.push(m.outcome);
        if (r.outcomes.length >= r.pending.calls.length) finish(undefined);
        else arm();
      }
    };
    const crashed = () => {
      if (run !== r || r.worker !== w) return;
      stopWorker();
      r.dead = true;
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
      if (!r.loaded) {
        toPage({ type: 'load-error', runId: r.runId, message: `loading your file took longer than ${r.loadLimitMs} ms — does top-level code loop forever?`, timeout: true });
      }
      const why = r.loaded ? 'reloading your code after a stopped call took too long' : 'your code could not be loaded';
      if (r.pending) finish({ kind: 'crash', message: why });
      failQueued(why);
    }, r.loadLimitMs);
    // The page's port goes to the first worker of the run only (a port can be handed over once).
    const port = r.port;
    r.port = null;
    r.direct = Boolean(port);
    w.postMessage({ t: 'load', code: r.code, port }, port ? [port] : []);
    // Only when no spare was left (a restart after a stop, or Runs in quick succession).
    if (spares.length === 0) warmSoon();
  };

  /** Sends the next queued batch to the worker, restarting the worker first if the last call was stopped. */
  const next = () => {
    if (!run || run.pending || queue.length === 0) return;
    if (!run.worker) {
      if (run.dead && run.loaded) attach();
      return;
    }
    run.pending = /** @type {Batch} */ (queue.shift());
    run.outcomes = [];
    // Sent at once, even while the code is still loading (one exchange fewer); the worker waits for its load.
    // The per-call limit starts when the code has loaded; until then the load limit applies.
    if (run.workerLoaded) arm();
    run.worker.postMessage({ t: 'batch', callId: run.pending.callId, calls: run.pending.calls });
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
      run = { port: m.port instanceof MessagePort ? m.port : null, t0: performance.timeOrigin + performance.now(), runId: m.runId, code: m.code, worker: null, timer: undefined, pending: null, outcomes: [], dead: false, loaded: false, workerLoaded: false, loadLimitMs: m.timeLimitMs, direct: false };
      attach();
    } else if (m.type === 'batch' && run && run.runId === m.runId && Array.isArray(m.calls)) {
      queue.push({ callId: m.callId, calls: m.calls, timeLimitMs: m.timeLimitMs });
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
