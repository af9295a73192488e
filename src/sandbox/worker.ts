// The worker that runs a learner's file inside the sandbox frame: a fresh one per run, so nothing the code does
// can leak into later runs. It imports the learner's file (already transpiled to JavaScript by the page's
// transpile worker) from a data: URL as an ES module, then executes the calls the (trusted) grader asks for
// through the grading library's `executeCall`. Kept small so a fresh one starts quickly.
import { executeCall, thrownMessage, type CallOptions, type CallOutcome, type LearnerModule } from '../../graders/lib/host';
import { LEARNER_LINE_OFFSET, LEARNER_SOURCE_URL } from '../../graders/lib/learner-source';
import { LOG_LIMITS, formatLogArgs } from './log-format';

type Incoming =
  | { t: 'port'; port: MessagePort }
  | { t: 'load'; code: string }
  | { t: 'batch'; callId: number; calls: { fn: string; args: unknown[]; options?: CallOptions }[] };

// Taken before the learner's file loads: code that replaces postMessage on the global or on MessagePort's prototype
// (or Function.prototype.call) cannot cut the worker off from the frame or the page.
/** To the frame, which times every call (and, for a worker without a port, relays to the page). */
const post: (m: unknown) => void = (self as unknown as Worker).postMessage.bind(self);
const portPost: (port: MessagePort, m: unknown) => void = Function.prototype.call.bind(MessagePort.prototype.postMessage);
/**
 * The port straight to the page, given to a spare worker when it starts: the page sends the code and calls this way
 * and gets the outcomes back this way, without passing through the frame's thread. A worker started after a stopped
 * call has none; then everything goes through the frame.
 */
let port: MessagePort | null = null;
const toPage = (m: unknown) => {
  try {
    if (port) portPost(port, m);
  } catch {
    // The page has closed its end: the run is over.
  }
};

/**
 * A console line goes the way the outcomes go, so it reaches the page before the outcomes of the calls after it
 * (a line sent through the frame could arrive after the Run has ended and be dropped).
 */
const log = (level: string, text: string) => (port ? toPage({ type: 'log', level, text }) : post({ t: 'log', level, text }));

// console.* of the learner's code goes to the page, capped so a chatty loop cannot flood it.
let lines = 0;
let chars = 0;
let cut = false;
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[level] = (...args: unknown[]) => {
    if (cut) return;
    if (lines >= LOG_LIMITS.lines || chars >= LOG_LIMITS.chars) {
      cut = true;
      log('warn', '… further output was cut');
      return;
    }
    const text = formatLogArgs(args);
    lines++;
    chars += text.length;
    log(level, text);
  };
}

let mod: LearnerModule | null = null;

const abs = () => performance.timeOrigin + performance.now();

async function load(js: string): Promise<void> {
  const timing: Record<string, number> = { workerLoad: abs() };
  // A data: URL is read inside this process; a blob: URL costs a round trip to the browser process (~5 ms a Run).
  // Named like the graders' own loader names learner code, and shifted by the lines its wrapper adds, so
  // `executeCall` reports the learner's line that threw the same way here as in the instructor's sandboxes.
  const named = `${'\n'.repeat(LEARNER_LINE_OFFSET)}${js}\n//# sourceURL=${LEARNER_SOURCE_URL}`;
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(named)}`;
  try {
    mod = (await import(/* @vite-ignore */ url)) as LearnerModule;
  } catch (e) {
    // The URL holds the whole file: name it instead of printing it.
    const message = thrownMessage(e).split(url).join('your file');
    const hint = /resolve module specifier|Failed to fetch dynamically imported/i.test(message)
      ? ' — exercises must be self-contained: only `import type` is allowed'
      : '';
    post({ t: 'load-error', message: `your file threw while loading: ${message}${hint}` });
    toPage({ type: 'load-error', message: `your file threw while loading: ${message}${hint}` });
    return;
  }
  timing.workerLoaded = abs();
  post({ t: 'loaded', exports: Object.keys(mod), timing });
  toPage({ type: 'loaded', exports: Object.keys(mod), timing });
}

/** toPlain already made every value cloneable; this is the outcome of one that still is not. */
const unsendable = (err: unknown): CallOutcome => ({ kind: 'throw', message: `the returned value cannot be sent back: ${thrownMessage(err)}` });

/**
 * Answers one call: the frame times each call between these answers. A batch that came by the port gets its
 * outcomes back by the port, all together, so the frame only hears that the call finished.
 */
function answer(outcome: CallOutcome, direct: boolean): CallOutcome {
  if (direct) {
    post({ t: 'item' });
    return outcome;
  }
  try {
    post({ t: 'item', outcome });
    return outcome;
  } catch (err) {
    const bad = unsendable(err);
    post({ t: 'item', outcome: bad });
    return bad;
  }
}

let loading: Promise<void> | null = null;

/** A message from the frame or, when `direct`, from the page through the port. */
async function receive(m: Incoming, direct: boolean): Promise<void> {
  if (!m || typeof m !== 'object') return;
  if (m.t === 'port' && !direct && m.port instanceof MessagePort) {
    port = m.port;
    port.onmessage = (e: MessageEvent<Incoming>) => void receive(e.data, true);
  } else if (m.t === 'load' && typeof m.code === 'string') {
    // One file per worker, ever.
    loading ??= load(m.code);
  } else if (m.t === 'batch' && Array.isArray(m.calls)) {
    // The first batch is sent together with the code; it runs as soon as the code has loaded.
    await loading;
    if (!mod) return; // the frame has been told why (load-error) and answers the batch itself
    const outcomes: CallOutcome[] = [];
    const start = abs();
    for (const c of m.calls) outcomes.push(answer(executeCall(mod, c.fn, c.args, c.options), direct));
    if (!direct) return;
    try {
      portPost(port!, { type: 'outcomes', callId: m.callId, outcomes, timing: { workerBatch: start, workerBatchDone: abs() } });
    } catch {
      const sendable = outcomes.map((o): CallOutcome => {
        try {
          structuredClone(o);
          return o;
        } catch (err) {
          return unsendable(err);
        }
      });
      toPage({ type: 'outcomes', callId: m.callId, outcomes: sendable });
    }
  }
}

self.onmessage = (e: MessageEvent<Incoming>) => void receive(e.data, false);
