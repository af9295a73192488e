// The sandboxes on their own — a V8 isolate (isolated-vm, the default) and QuickJS (the fallback): hostile code
// ends as a CallOutcome, never as a host failure, and nothing one sandbox does is visible in the next one.
import { beforeAll, describe, expect, it } from 'vitest';
import { guestScript } from '../../instructor/sandbox/bundle';
import { isolateFactory } from '../../instructor/sandbox/isolate';
import { quickjsFactory } from '../../instructor/sandbox/quickjs';
import { parseOutcome, plainSize, type SandboxFactory } from '../../instructor/sandbox/sandbox';
import vm from 'node:vm';
import { decodeTagged, decodeWire, encodeTagged, encodeWire, isPlainJson } from '../../instructor/sandbox/wire';
import { Worker } from 'node:worker_threads';

let guest = '';
beforeAll(async () => {
  guest = await guestScript();
});

describe('structured answers (isolate)', () => {
  it('are read only when they are plain data within the output limit', () => {
    expect(plainSize({ kind: 'return', value: [[1, NaN], { a: undefined, b: 'xy' }] }, 100)).toBeGreaterThan(0);
    for (const odd of [new Map(), new Date(0), new Float64Array(2), 10n, [Object.create(null)]]) expect(plainSize({ kind: 'return', value: odd }, 100)).toBe(-1);
    expect(plainSize({ kind: 'return', value: 'x'.repeat(101) }, 100)).toBeGreaterThan(100);
    expect(plainSize({ kind: 'return', value: new Array(200).fill(0) }, 100)).toBeGreaterThan(100);
  });
});

describe('wire format', () => {
  it('round-trips the values JSON loses', () => {
    const v = [NaN, Infinity, -Infinity, -0, undefined, { a: undefined, b: [1, null] }, 'x'];
    const back = decodeWire(encodeWire(v)) as unknown[];
    expect(back[0]).toBeNaN();
    expect(back.slice(1, 3)).toEqual([Infinity, -Infinity]);
    expect(Object.is(back[3], -0)).toBe(true);
    expect(back[4]).toBeUndefined();
    expect(back[5]).toEqual({ a: undefined, b: [1, null] });
    expect('a' in (back[5] as object)).toBe(true);
  });

  it('uses plain JSON only when it is exact (the fast path), else the markers', () => {
    expect(encodeTagged([[1, 2.5], { a: 'x', b: true, c: null }]).startsWith('J')).toBe(true);
    for (const special of [NaN, Infinity, -Infinity, -0, undefined]) {
      const text = encodeTagged([[1, special]]);
      expect(text.startsWith('W')).toBe(true);
      expect(Object.is((decodeTagged(text) as number[][])[0][1], special)).toBe(true);
    }
    expect(isPlainJson({ a: undefined })).toBe(false);
    expect(decodeTagged(encodeTagged({ m: [[0, -Infinity]] }))).toEqual({ m: [[0, -Infinity]] });
    expect(() => decodeTagged('{}')).toThrow();
  });
  it('turns an invalid guest answer into a crash', () => {
    expect(parseOutcome('{"kind":"timeout","ms":1}').kind).toBe('crash');
    expect(parseOutcome('not json').kind).toBe('crash');
    expect(parseOutcome('{"kind":"throw","message":7}').kind).toBe('crash');
  });
});

const engines: { name: string; factory: () => SandboxFactory }[] = [
  { name: 'V8 isolate (isolated-vm)', factory: () => isolateFactory(guest) },
  { name: 'QuickJS', factory: () => quickjsFactory(guest) },
];

describe.each(engines)('$name sandbox', ({ factory }) => {
  async function box(code: string) {
    const b = await factory().open(false);
    const load = b.load(`"use strict"; ${code}`, 500);
    return { b, load };
  }

  it('calls an export with non-finite arguments and returns typed arrays as plain numbers', async () => {
    const { b, load } = await box('exports.f = (m) => [m[0][1], new Float64Array([1.5, -0])];');
    expect(load).toEqual({ ok: true, exports: ['f'] });
    const o = b.call('f', [[[1, -Infinity]]], undefined, 500);
    expect(o).toEqual({ kind: 'return', value: [-Infinity, [1.5, -0]] });
    b.dispose();
  });

  it('stops an endless loop at the call limit and stays usable', async () => {
    const { b } = await box('exports.loop = () => { for (;;) {} }; exports.ok = () => 1;');
    const t0 = performance.now();
    expect(b.call('loop', [], undefined, 100)).toEqual({ kind: 'timeout', ms: 100 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(b.call('ok', [], undefined, 100)).toEqual({ kind: 'return', value: 1 });
    b.dispose();
  });

  it('stops an endless loop at the top level of the file', async () => {
    const { load } = await box('while (true) {}');
    expect(load.ok).toBe(false);
    expect(load.ok === false && load.timeout).toBe(true);
  });

  it('ends deep recursion with a catchable stack overflow inside the sandbox', async () => {
    const { b } = await box('exports.f = function g(n) { return g(n + 1) + 1; }; exports.j = () => { let a = []; for (let i = 0; i < 1e5; i++) a = [a]; return JSON.stringify(a).length; };');
    const o = b.call('f', [0], undefined, 2000);
    expect(o.kind).toBe('throw');
    expect(o.kind === 'throw' && o.message).toMatch(/stack overflow|call stack size/);
    expect(b.broken).toBe(false);
    expect(b.call('f', [0], undefined, 2000).kind).toBe('throw');
    b.dispose();
  });

  it('ends a memory bomb with "out of memory" and frees the runtime', async () => {
    const { b } = await box('exports.f = () => { const a = []; for (let i = 0; ; i++) a.push([i, i + 1, i + 2, i + 3]); }; exports.g = () => 1;');
    const o = b.call('f', [], undefined, 20_000);
    expect(['throw', 'crash']).toContain(o.kind);
    expect(JSON.stringify(o)).toMatch(/out of memory/);
    // Whatever the engine left behind, the next call is an outcome too (a dead isolate answers "failed").
    expect(['return', 'crash']).toContain(b.call('g', [], undefined, 500).kind);
    b.dispose();
  });

  it('ends a typed-array memory bomb at the memory limit', async () => {
    const { b } = await box('exports.f = () => { const a = []; for (;;) a.push(new Float64Array(1 << 20)); };');
    const o = b.call('f', [], undefined, 20_000);
    expect(['throw', 'crash']).toContain(o.kind);
    expect(JSON.stringify(o)).toMatch(/memory|allocation failed|Array buffer/i);
    b.dispose();
  });

  it("takes the grading process's gc (isolate workers run with --expose-gc) out of the learner's realm", () => {
    const realm = vm.createContext({});
    // As V8 defines it with --expose-gc: writable, not configurable.
    Object.defineProperty(realm, 'gc', { value: () => 'collected', writable: true, enumerable: true, configurable: false });
    vm.runInContext(guest, realm);
    expect(vm.runInContext('typeof gc', realm)).toBe('undefined');
  });

  it('has no file system, network, environment, process, timers or imports', async () => {
    const { b } = await box(`exports.f = () => {
      const g = globalThis, out = {};
      for (const k of ['process', 'require', 'fetch', 'XMLHttpRequest', 'WebSocket', 'std', 'os', 'setTimeout', 'setInterval', 'Deno', 'Bun', 'navigator', 'importScripts', '__guest', 'FinalizationRegistry'])
        out[k] = typeof g[k];
      try { require('fs'); out.req = 'loaded'; } catch (e) { out.req = String(e.message); }
      return out;
    };`);
    const o = b.call('f', [], undefined, 500);
    expect(o.kind).toBe('return');
    const v = (o as { value: Record<string, string> }).value;
    for (const k of ['process', 'fetch', 'XMLHttpRequest', 'WebSocket', 'std', 'os', 'setTimeout', 'setInterval', 'Deno', 'Bun', 'navigator', 'importScripts', '__guest', 'FinalizationRegistry']) expect(v[k], k).toBe('undefined');
    expect(v.req).toMatch(/imports are not available/);
    b.dispose();
  });

  it('reports a hostile thrown value without running its toString in the host', async () => {
    const { b } = await box('exports.f = () => { throw { toString() { for (;;) {} } }; }; exports.p = () => { throw 42; }; exports.s = () => { throw Symbol("s"); };');
    expect(b.call('f', [], undefined, 100).kind).toBe('timeout');
    expect(b.call('p', [], undefined, 100)).toEqual({ kind: 'throw', message: 'a non-Error value: 42' });
    expect(b.call('s', [], undefined, 100).kind).toBe('throw');
    b.dispose();
  });

  it('keeps tampering with built-ins inside one sandbox', async () => {
    const f = factory();
    const a = await f.open(false);
    a.load('Array.prototype.map = () => "pwned"; Math.exp = () => 1; globalThis.Float64Array = null; JSON.stringify = () => "1"; exports.f = () => [1, 2].map((x) => x * 2);', 500);
    expect(a.call('f', [], undefined, 500)).toEqual({ kind: 'return', value: 'pwned' });
    a.dispose();
    // The next sandbox of the same factory (for QuickJS: the same WebAssembly instance) starts from pristine built-ins.
    const b = await f.open(false);
    b.load('exports.f = () => [[1, 2].map((x) => x * 2), Math.exp(0), typeof Float64Array];', 500);
    expect(b.call('f', [], undefined, 500)).toEqual({ kind: 'return', value: [[2, 4], 1, 'function'] });
    // And the host's own built-ins were never touched.
    expect([1].map((x) => x + 1)).toEqual([2]);
    expect(Math.exp(0)).toBe(1);
    b.dispose();
  });

  it('caps console output and refuses a return value too large to check', async () => {
    const { b } = await box('exports.f = () => { for (let i = 0; i < 100000; i++) console.log("x".repeat(5000), i); return Array.from({ length: 3e6 }, () => 0.5); };');
    const o = b.call('f', [], undefined, 10_000);
    expect(o.kind === 'return' ? JSON.stringify(o.value) : o.kind).toMatch(/too large|out of memory|crash|throw|timeout/);
    const logs = b.takeLogs();
    expect(logs.lines.length).toBeLessThanOrEqual(200);
    expect(logs.lines.every((l) => l.length <= 2000)).toBe(true);
    b.dispose();
  });

  it('never shares a never-settling promise with the host', async () => {
    const { b } = await box('exports.f = async () => { await new Promise(() => {}); };');
    const o = b.call('f', [], undefined, 500);
    expect(o).toEqual({ kind: 'return', value: { $unsupported: 'a Promise (the function must not be async)' } });
    b.dispose();
  });
});

describe('V8 isolate reused across submissions', () => {
  /** One submission of one file: load, call f, dispose the sandbox, end the submission. */
  async function submit(f: ReturnType<typeof isolateFactory>, code: string, timeoutMs = 300) {
    const b = await f.open(false);
    const load = b.load(code, 500);
    const out = load.ok ? b.call('f', [], undefined, timeoutMs) : null;
    b.dispose();
    f.close();
    return out;
  }

  it('serves the next learner from a clean isolate with fresh globals, and never from one that was cut short', async () => {
    const f = isolateFactory(guest);
    expect(await submit(f, 'globalThis.mine = "first learner"; Array.prototype.map = () => "pwned"; exports.f = () => 1;')).toEqual({ kind: 'return', value: 1 });
    expect(await submit(f, 'exports.f = () => [typeof mine, [1].map((x) => x + 1)];')).toEqual({ kind: 'return', value: ['undefined', [2]] });
    expect(f.isolatesCreated).toBe(1);
    // A timeout ends that isolate's service: the next learner gets a new one.
    expect(await submit(f, 'exports.f = () => { for (;;) {} };', 100)).toEqual({ kind: 'timeout', ms: 100 });
    expect(await submit(f, 'exports.f = () => 2;', 5000)).toEqual({ kind: 'return', value: 2 });
    expect(f.isolatesCreated).toBe(2);
    // So does a memory bomb.
    const bomb = await submit(f, 'exports.f = () => { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); };', 20_000);
    expect(JSON.stringify(bomb)).toMatch(/out of memory/);
    // The next learner has the whole memory limit again (8 MB of doubles here).
    expect(await submit(f, 'exports.f = () => new Array(1e6).fill(0.5).length;', 5000)).toEqual({ kind: 'return', value: 1e6 });
    expect(f.isolatesCreated).toBe(3);
  });
});

describe('QuickJS sandbox', () => {
  it('survives native deep recursion inside a worker thread with the pool\'s stack size', async () => {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const w = new Worker(new URL('./fixtures/deep-json-worker.ts', import.meta.url), { workerData: { guest }, execArgv: ['--import', tsx], resourceLimits: { stackSizeMb: 16 } });
    const msg = await new Promise<{ o?: { kind: string; message?: string }; broken?: boolean; error?: string }>((res) => w.once('message', res));
    await w.terminate();
    expect(msg.error).toBeUndefined();
    expect(msg.broken).toBe(false);
    expect(msg.o?.kind).toBe('throw');
    expect(msg.o?.message).toMatch(/stack overflow/);
  });
});
