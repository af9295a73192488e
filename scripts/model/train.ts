// npm run model:train — trains the course's attention-only transformer on the in-context copy task with
// TensorFlow.js (wasm backend) and writes src/model/weights/copy-model.json.
//
// The defaults are the shipped recipe: 2 layers × 2 heads, d_model 64, learned positions for T ≤ 64 that start
// as sinusoids, every step a batch of 32 sequences of one length T drawn uniformly from 16 … 64 with a segment
// of T/4 … T/2 letters repeated at a random later offset (`copyTaskFor`), 1,500 Adam steps at lr 5e-3,
// next-token loss at every position, fixed seed (same data and initial weights every run).
// Options: --steps N, --batch N, --lr X, --dmodel N, --heads N, --mix MIN,MAX (the range of T; --mix none
// trains at one length: --seqlen T with --seg MIN,MAX), --pos normal|sin (initial learned positions: N(0, 1)
// or the sinusoids of Vaswani et al.), --short N (the first N steps at T = 32), --windows yes (those short
// sequences at random windows of the T positions), --loss all|copy (copy: only where the next letter is a
// predictable copy), --from PATH (continue from a file this script wrote; its phases stay in the manifest),
// --probe N (every N steps, a multiple of 100, the engine measures copy accuracy at T and at 32 and every
// head's previous-token, duplicate-token and induction scores on 40 held-out sequences, to watch the circuit
// form), --out PATH.
// README "The trained model" records the recipes tried before this one.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng, type Tensor } from '../../src/engine';
import { copyBatch, copyPositions, copySequence, copyTaskFor, HELD_OUT_SEED, TRAIN_TASK, VOCAB, type CopyTaskSpec } from '../../src/model/data';
import { evaluate } from '../../src/model/analysis';
import { loadWeights, tensorNames, type ModelManifest, type ModelWeights, type TrainingPhase, type WeightFile } from '../../src/model/weights';
import { tfForward, useWasm, type TfModelConfig, type TfParams } from './tf-model';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

const SEED = 1206;
const LR = Number(arg('lr', '5e-3'));
const LAYERS = 2;
const HEADS = Number(arg('heads', '2'));
const D_MODEL = Number(arg('dmodel', '64'));
const POS_INIT = arg('pos', 'sin') as 'normal' | 'sin';
const PROBE_EVERY = Number(arg('probe', '0'));
const SEQ_LEN = Number(arg('seqlen', '64'));
const [segMin, segMax] = arg('seg', '16,32').split(',').map(Number);
/** Continue from a weight file written by this script (its phases are kept in the new manifest). */
const FROM = arg('from', '');
const prior: ModelManifest | null = FROM ? (JSON.parse(readFileSync(resolve(FROM), 'utf8')) as WeightFile).manifest : null;
/** Steps at T = 32 before T = 64 (same optimizer): with uniform early attention a short context forms the circuit sooner. */
const SHORT_STEPS = Number(arg('short', '0'));
const SHORT_WINDOWS = arg('windows', 'no') === 'yes';
/** --mix MIN,MAX: every step draws T uniformly from MIN … MAX with the task `copyTaskFor(T)` (segments T/4 … T/2). */
const MIX = arg('mix', '16,64') === 'none' ? null : arg('mix', '16,64').split(',').map(Number);
const PHASE: TrainingPhase = {
  // With mixed lengths the phase's task (its longest sequences, which set maxSeqLen) is copyTaskFor(MAX).
  task: MIX ? copyTaskFor(MIX[1]) : { ...TRAIN_TASK, seqLen: SEQ_LEN, minSegment: segMin, maxSegment: segMax },
  steps: Number(arg('steps', '1500')),
  batchSize: Number(arg('batch', '32')),
  // A continuation draws other sequences than the run it continues.
  seed: SEED + (prior?.phases.length ?? 0),
  loss: arg('loss', 'all') as 'all' | 'copy',
  ...(MIX ? { lengths: { min: MIX[0], max: MIX[1] } } : {}),
};
const OUT = resolve(arg('out', 'src/model/weights/copy-model.json'));

const configFor = (task: CopyTaskSpec): TfModelConfig => ({ layers: LAYERS, heads: HEADS, dModel: D_MODEL, maxSeqLen: task.seqLen, vocabSize: VOCAB.length });

function shapeOf(cfg: TfModelConfig, name: string): number[] {
  const { dModel: d, vocabSize: V, maxSeqLen } = cfg;
  if (name === 'embed') return [V, d];
  if (name === 'pos') return [maxSeqLen, d];
  if (name === 'unembed') return [d, V];
  return [d, d];
}

/**
 * Initial values: N(0, 1) for token embeddings, N(0, 1/d_in) for projections, and for positions either N(0, 1)
 * or the sinusoids of Vaswani et al. (2017), in which P[t − 1] is a fixed rotation of P[t] — a previous-token
 * head then only has to learn that rotation. All drawn from the course's seeded generator.
 */
function draw(rng: Rng, name: string, shape: number[]): Float32Array {
  if (name === 'pos' && POS_INIT === 'sin') {
    const [T, d] = shape;
    const out = new Float32Array(T * d);
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < d; c += 2) {
        const angle = t / 10000 ** (c / d);
        out[t * d + c] = Math.sin(angle);
        out[t * d + c + 1] = Math.cos(angle);
      }
    }
    return out;
  }
  const std = name === 'embed' || name === 'pos' ? 1 : 1 / Math.sqrt(shape[0]);
  return Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal() * std);
}

/** The current parameters as a weight file (float32, base64) with its manifest. */
function weightFile(cfg: TfModelConfig, params: TfParams, phase: TrainingPhase): WeightFile {
  const tensors: ModelManifest['tensors'] = [];
  const flat = new Float32Array(tensorNames(cfg.layers).reduce((n, name) => n + params[name].size, 0));
  let offset = 0;
  for (const name of tensorNames(cfg.layers)) {
    tensors.push({ name, shape: shapeOf(cfg, name), offset });
    const data = params[name].dataSync() as Float32Array;
    flat.set(data, offset);
    offset += data.length;
  }
  const manifest: ModelManifest = {
    architecture: 'decoder-only, attention-only transformer (no MLP, no LayerNorm, no biases): x = E[token] + P[position]; per layer x += MHA(x), causal; logits = x W_U',
    layers: cfg.layers,
    heads: cfg.heads,
    dModel: cfg.dModel,
    dHead: cfg.dModel / cfg.heads,
    maxSeqLen: cfg.maxSeqLen,
    vocab: [...VOCAB],
    positions: 'learned',
    positionInit: POS_INIT === 'sin' ? 'sinusoidal' : 'normal',
    task: phase.task,
    trainingSeed: SEED,
    steps: (prior?.steps ?? 0) + phase.steps,
    learningRate: LR,
    finalLoss: phase.finalLoss ?? NaN,
    finalCopyLoss: phase.finalCopyLoss ?? NaN,
    trainSeconds: Number(((prior?.trainSeconds ?? 0) + (phase.seconds ?? NaN)).toFixed(1)),
    trainCpuSeconds: Number(((prior?.trainCpuSeconds ?? 0) + (phase.cpuSeconds ?? NaN)).toFixed(1)),
    // The first SHORT_STEPS steps drew sequences of 32 letters; a run --from a file keeps that file's phases first.
    phases: [
      ...(prior?.phases ?? []),
      ...(SHORT_STEPS > 0
        ? [{ ...phase, task: { ...phase.task, seqLen: 32 }, steps: SHORT_STEPS, finalLoss: undefined, finalCopyLoss: undefined, seconds: undefined, cpuSeconds: undefined }, { ...phase, steps: phase.steps - SHORT_STEPS }]
        : [phase]),
    ],
    trainer: `@tensorflow/tfjs ${tf.version.tfjs}, wasm backend, Adam lr ${LR}, scripts/model/train.ts`,
    params: flat.length,
    tensors,
  };
  // Little-endian on every platform we run on (x86, arm64); the loader reads with DataView(…, true).
  return { format: 'amm-model/1', manifest, data: Buffer.from(flat.buffer).toString('base64') };
}

/** Copy accuracy and the best previous-token and induction head, by the engine, on a few held-out sequences. */
function probe(cfg: TfModelConfig, params: TfParams, phase: TrainingPhase): string {
  const model = loadWeights(weightFile(cfg, params, phase));
  const e = evaluate(model, copyBatch(HELD_OUT_SEED + 99, 40, phase.task));
  const short = phase.task.seqLen > 32 ? `  T=32 ${evaluate(model, copyBatch(HELD_OUT_SEED + 99, 40, copyTaskFor(32))).copyAccuracy.toFixed(3)}` : '';
  const fmt = (g: number[][]) => g.map((row) => row.map((x) => x.toFixed(2)).join(' ')).join(' | ');
  return `copy acc ${e.copyAccuracy.toFixed(3)}${short}  prev [${fmt(e.scores.previousToken)}]  dup [${fmt(e.scores.duplicate)}]  ind [${fmt(e.scores.induction)}]`;
}

function tensorOf(m: ModelWeights, name: string): Tensor {
  if (name === 'embed' || name === 'pos' || name === 'unembed') return m[name];
  const [, l, w] = name.split('.');
  return m.layers[Number(l)][w as keyof ModelWeights['layers'][number]];
}

async function main(): Promise<void> {
  await useWasm();
  const cfg = configFor(PHASE.task);
  const rng = createRng(PHASE.seed);
  const params: TfParams = {};
  const saved = FROM ? loadWeights(JSON.parse(readFileSync(resolve(FROM), 'utf8'))) : null;
  for (const name of tensorNames(LAYERS)) {
    const shape = shapeOf(cfg, name);
    const t = saved ? tensorOf(saved, name) : null;
    params[name] = tf.variable(tf.tensor(t ? Float32Array.from(t.data) : draw(rng, name, shape), shape), true, name);
  }
  const optimizer = tf.train.adam(LR);
  const B = PHASE.batchSize;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const losses: number[] = [];
  const copyLosses: number[] = [];
  const recent = (a: number[]) => a.slice(-50).reduce((x, y) => x + y, 0) / Math.min(50, a.length);
  for (let step = 1; step <= PHASE.steps; step++) {
    const short = step <= SHORT_STEPS;
    const task = short ? { ...PHASE.task, seqLen: 32 } : MIX ? copyTaskFor(rng.int(MIX[0], MIX[1] + 1)) : PHASE.task;
    const T = task.seqLen;
    // A short sequence sits at a random window of the 64 positions, so every position trains.
    const offset = short && SHORT_WINDOWS ? rng.int(0, PHASE.task.seqLen - T + 1) : 0;
    const seqs = Array.from({ length: B }, () => copySequence(rng, task));
    const tokens = tf.tensor2d(seqs.flatMap((s) => s.tokens), [B, T], 'int32');
    // Targets: the next token; position T−1 has none (weight 0). Copy weights mark the predictable copies.
    const targetIds = seqs.flatMap((s) => s.tokens.map((_, i) => s.tokens[i + 1] ?? 0));
    const w = new Float32Array(B * T);
    const cw = new Float32Array(B * T);
    seqs.forEach((s, b) => {
      for (let i = 0; i < T - 1; i++) w[b * T + i] = 1;
      for (const i of copyPositions(s)) cw[b * T + i] = 1;
    });
    const targets = tf.oneHot(tf.tensor1d(targetIds, 'int32'), cfg.vocabSize).toFloat(); // (B·T, V)
    const weights = tf.tensor1d(w);
    const copyWeights = tf.tensor1d(cw);
    let copyLoss = 0;
    const loss = optimizer.minimize(() => {
      const logits = tfForward(cfg, params, tokens, offset).reshape([B * T, cfg.vocabSize]); // (B·T, V)
      const nll = tf.losses.softmaxCrossEntropy(targets, logits, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
      copyLoss = tf.tidy(() => nll.mul(copyWeights).sum().div(copyWeights.sum()).dataSync()[0]);
      const on = PHASE.loss === 'copy' ? copyWeights : weights;
      return nll.mul(on).sum().div(on.sum()) as tf.Scalar;
    }, true)!;
    losses.push(loss.dataSync()[0]);
    copyLosses.push(copyLoss);
    tf.dispose([loss, tokens, targets, weights, copyWeights]);
    if (step % 100 === 0 || step === PHASE.steps) {
      const secs = (performance.now() - started) / 1000;
      const line = `step ${step}  loss ${recent(losses).toFixed(4)}  copy loss ${recent(copyLosses).toFixed(4)}  ${secs.toFixed(1)} s`;
      console.log(PROBE_EVERY > 0 && (step % PROBE_EVERY === 0 || step === PHASE.steps) ? `${line}  ${probe(cfg, params, PHASE)}` : line);
    }
  }
  optimizer.dispose();
  const cpu = process.cpuUsage(cpu0);
  const done: TrainingPhase = {
    ...PHASE,
    finalLoss: Number(recent(losses).toFixed(5)),
    finalCopyLoss: Number(recent(copyLosses).toFixed(5)),
    // Wall time of the whole loop, probes included.
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
  };
  const file = weightFile(cfg, params, done);
  writeFileSync(OUT, JSON.stringify(file, null, 1) + '\n');
  console.log(`wrote ${OUT}: ${file.manifest.params} parameters, final loss ${done.finalLoss}, copy loss ${done.finalCopyLoss}, ${done.seconds} s`);
}

void main();
