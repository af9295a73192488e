// Engine bench: naive reference vs tiled flash kernel (WebAssembly SIMD float64, the opt-in float32 f32x4 kernel,
// and the pure-JS fallback) vs
// onnxruntime-node (single-threaded CPU), B = 1, H = 1, D = 64, T ∈ {256, 1024, 4096}; FLOPs counted as
// 4·T²·D (QKᵀ and AV).
// Every kernel runs on one thread, so process CPU time is also reported: on a shared machine it is
// steadier than wall time, and the ratios to onnxruntime use it.
import * as ort from 'onnxruntime-node';
import { attention, createRng, flashAttention, randomTensor } from '../src/engine/index.ts';
import { configureFlashKernel, flashKernelName } from '../src/engine/flash.ts';
import { kernelLayout } from '../src/engine/wasm/flash-kernel.ts';
import { kernelLayoutF32 } from '../src/engine/wasm/flash-kernel-f32.ts';
import { DataType, modelBytes } from '../tests/engine/onnx/protobuf.ts';
import { median, type BenchRow } from './lib.ts';

/** Runs fn `warmup` times unmeasured, then `runs` times; returns the median wall and process-CPU milliseconds. */
async function measure(fn: () => unknown, runs: number, warmup = 1): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const D = 64;
const SIZES = [256, 1024, 4096];
/** Fewer runs where one run takes seconds, to keep the whole bench under a few minutes. */
const RUNS: Record<string, Record<number, number>> = {
  naive: { 256: 7, 1024: 5, 4096: 2 },
  flash: { 256: 7, 1024: 5, 4096: 3 },
  flash32: { 256: 9, 1024: 7, 4096: 3 },
  flashJs: { 256: 5, 1024: 3, 4096: 2 },
  ort: { 256: 9, 1024: 7, 4096: 5 },
};

const fmtMs = (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
const gflops = (T: number, ms: number) => (4 * T * T * D) / (ms * 1e6);

export default async function engineBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rng = createRng(2024);
  for (const T of SIZES) {
    const shape = [1, 1, T, D]; // (B, H, T, D)
    const [q, k, v] = [0, 1, 2].map(() => randomTensor(rng, shape));
    const model = modelBytes({
      opType: 'Attention',
      opset: 23,
      inputs: ['Q', 'K', 'V'].map((name) => ({ name, elemType: DataType.FLOAT, shape })),
      nodeInputs: ['Q', 'K', 'V'],
      outputs: ['Y'],
      attrs: [],
    });
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feeds = Object.fromEntries(
      (['Q', 'K', 'V'] as const).map((name, n) => [name, new ort.Tensor('float32', Float32Array.from([q, k, v][n].data), shape)]),
    );
    const ortT = await measure(() => session.run(feeds), RUNS.ort[T], 2);
    await session.release();
    const naiveT = await measure(() => attention(q, k, v), RUNS.naive[T]);
    configureFlashKernel({ mode: 'auto' });
    const kernel = flashKernelName(D, D, 64, 64);
    const flashT = await measure(() => flashAttention(q, k, v), RUNS.flash[T]);
    const kernel32 = flashKernelName(D, D, 64, 64, 'float32');
    const flash32T = await measure(() => flashAttention(q, k, v, { precision: 'float32' }), RUNS.flash32[T]);
    configureFlashKernel({ mode: 'js' });
    const flashJsT = await measure(() => flashAttention(q, k, v), RUNS.flashJs[T]);
    configureFlashKernel({ mode: 'auto' });
    const label = `T=${T} (B=1, H=1, D=${D})`;
    const row = (name: string, t: { wall: number; cpu: number }, runs: number, extra = ''): BenchRow => ({
      area: 'engine',
      metric: `${name} ${label} median`,
      value: fmtMs(t.wall),
      note: `cpu ${fmtMs(t.cpu)}, ${gflops(T, t.cpu).toFixed(2)} GFLOP/s${name.startsWith('onnx') ? '' : `, ${(t.cpu / ortT.cpu).toFixed(1)}× onnxruntime (cpu)`}, ${runs} runs${extra}`,
    });
    rows.push(row('onnxruntime-node 1 thread', ortT, RUNS.ort[T]));
    rows.push(row('naive attention()', naiveT, RUNS.naive[T]));
    rows.push(row(`flashAttention() 64×64 tiles, ${kernel}`, flashT, RUNS.flash[T], T >= 1024 ? '; target ≤ 3× (aim 1.5×)' : ''));
    rows.push(row(`flash f32 (wasm) 64×64 tiles, ${kernel32}`, flash32T, RUNS.flash32[T], T >= 1024 ? '; target ≤ 3× (aim 1.5×)' : ''));
    rows.push(row('flashAttention() 64×64 tiles, JS fallback', flashJsT, RUNS.flashJs[T]));
  }
  const T = 4096;
  const x = randomTensor(rng, [1, 1, T, D]);
  const scratchBytes = flashAttention(x, x, x).scratchElements * 8;
  const pageBytes = Math.ceil(kernelLayout({ D, Dv: D, bq4: 64, bk4: 64 }).elements * 8 / 65536) * 65536;
  const naiveBytes = T * T * 8;
  rows.push({
    area: 'engine',
    metric: `flash extra memory T=${T} D=${D}`,
    value: `${scratchBytes} B`,
    note:
      `${((100 * scratchBytes) / naiveBytes).toFixed(3)}% of the ${naiveBytes} B T×T float64 buffer naive needs (target < 1%); ` +
      `the wasm module memory holding these tiles is ${pageBytes} B in 64 KiB pages (${((100 * pageBytes) / naiveBytes).toFixed(3)}%)`,
  });
  const L32 = kernelLayoutF32({ D, Dv: D, bq8: 64, bk4: 64 });
  const elements32 = flashAttention(x, x, x, { precision: 'float32' }).scratchElements;
  const pageBytes32 = Math.ceil(L32.bytes / 65536) * 65536;
  rows.push({
    area: 'engine',
    metric: `flash f32 (wasm) extra memory T=${T} D=${D}`,
    value: `${L32.bytes} B`,
    note:
      `${elements32} elements (Q, S, m float32; K, V staged as float64, O, ℓ, α float64): ` +
      `${((100 * L32.bytes) / naiveBytes).toFixed(3)}% of the ${naiveBytes} B T×T float64 buffer (target < 1%); ` +
      `module memory ${pageBytes32} B (${((100 * pageBytes32) / naiveBytes).toFixed(3)}%)`,
  });
  return rows;
}
