// npm run model:train — trains the course's attention-only transformer on the in-context copy task with
// TensorFlow.js (wasm backend) and writes src/model/weights/copy-model.json.
//
// Two phases, each with a fixed seed (same data, same initial weights every run):
//   1. T = 32, an 8-token segment repeated at a random later offset, batch 64, next-token loss at every
//      position: the copying circuit forms (short sequences make the copy signal dense). The shipped file
//      is this phase alone (the default).
//   2. Optional (--steps2 N > 0): T = 64, segments of 8–16 tokens, batch 32, from phase 1's weights with
//      positions 32–63 added, loss only where the next token is a predictable copy (elsewhere the letters
//      are random and the gradient is noise). Measured: 100 steps cut copy accuracy at T = 64 to 0.18
//      (the new positions and a fresh Adam state disturb the circuit), so it does not ship.
// Options: --steps1 N, --steps2 N, --seg1 MIN,MAX (phase-1 segment lengths), --out PATH,
// --phase1-out PATH (also save phase 1's weights), --checkpoint PATH (write phase 2's weights there every
// 100 steps), --from PATH (skip phase 1 and continue from a saved phase-1 file; same result as one run).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../src/engine';
import { copyPositions, copySequence, TRAIN_TASK, VOCAB, type CopyTaskSpec } from '../../src/model/data';
import { loadWeights, tensorNames, type ModelManifest, type TrainingPhase, type WeightFile } from '../../src/model/weights';
import { tfForward, useWasm, type TfModelConfig, type TfParams } from './tf-model';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

const SEED = 1206;
const LR = 3e-3;
const LAYERS = 2;
const HEADS = 2;
const D_MODEL = 32;
const [seg1Min, seg1Max] = arg('seg1', '8,8').split(',').map(Number);
const PHASES: TrainingPhase[] = [
  { task: { seqLen: 32, minSegment: seg1Min, maxSegment: seg1Max, vocabSize: VOCAB.length }, steps: Number(arg('steps1', '2500')), batchSize: 64, seed: SEED, loss: 'all' },
  { task: TRAIN_TASK, steps: Number(arg('steps2', '0')), batchSize: 32, seed: SEED + 1, loss: 'copy' },
];
const OUT = resolve(arg('out', 'src/model/weights/copy-model.json'));

const configFor = (task: CopyTaskSpec): TfModelConfig => ({ layers: LAYERS, heads: HEADS, dModel: D_MODEL, maxSeqLen: task.seqLen, vocabSize: VOCAB.length });

function shapeOf(cfg: TfModelConfig, name: string): number[] {
  const { dModel: d, vocabSize: V, maxSeqLen } = cfg;
  if (name === 'embed') return [V, d];
  if (name === 'pos') return [maxSeqLen, d];
  if (name === 'unembed') return [d, V];
  return [d, d];
}

/** N(0, 1) for embeddings, N(0, 1/d_in) for projections, drawn from the course's seeded generator. */
function draw(rng: Rng, name: string, shape: number[]): Float32Array {
  const std = name === 'embed' || name === 'pos' ? 1 : 1 / Math.sqrt(shape[0]);
  return Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal() * std);
}

/** Runs one phase's Adam steps; returns the mean losses of its last 50 steps. */
function train(cfg: TfModelConfig, params: TfParams, phase: TrainingPhase, rng: Rng, label: string, checkpoint?: (done: TrainingPhase) => void) {
  const optimizer = tf.train.adam(LR);
  const T = phase.task.seqLen;
  const B = phase.batchSize;
  const started = performance.now();
  const losses: number[] = [];
  const copyLosses: number[] = [];
  const recent = (a: number[]) => a.slice(-50).reduce((x, y) => x + y, 0) / Math.min(50, a.length);
  for (let step = 1; step <= phase.steps; step++) {
    const seqs = Array.from({ length: B }, () => copySequence(rng, phase.task));
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
      const logits = tfForward(cfg, params, tokens).reshape([B * T, cfg.vocabSize]); // (B·T, V)
      const nll = tf.losses.softmaxCrossEntropy(targets, logits, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
      copyLoss = tf.tidy(() => nll.mul(copyWeights).sum().div(copyWeights.sum()).dataSync()[0]);
      const on = phase.loss === 'copy' ? copyWeights : weights;
      return nll.mul(on).sum().div(on.sum()) as tf.Scalar;
    }, true)!;
    losses.push(loss.dataSync()[0]);
    copyLosses.push(copyLoss);
    tf.dispose([loss, tokens, targets, weights, copyWeights]);
    if (step % 100 === 0 || step === phase.steps) {
      const secs = (performance.now() - started) / 1000;
      console.log(`${label} step ${step}  loss ${recent(losses).toFixed(4)}  copy loss ${recent(copyLosses).toFixed(4)}  ${secs.toFixed(1)} s`);
      // Without a learning-rate schedule, the weights after k steps equal a run with k steps in total.
      checkpoint?.({ ...phase, steps: step, finalLoss: Number(recent(losses).toFixed(5)), finalCopyLoss: Number(recent(copyLosses).toFixed(5)), seconds: Number(secs.toFixed(1)) });
    }
  }
  optimizer.dispose();
  return {
    finalLoss: Number(recent(losses).toFixed(5)),
    finalCopyLoss: Number(recent(copyLosses).toFixed(5)),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

function save(path: string, cfg: TfModelConfig, params: TfParams, phases: TrainingPhase[]): ModelManifest {
  const tensors: ModelManifest['tensors'] = [];
  const flat = new Float32Array(tensorNames(cfg.layers).reduce((n, name) => n + params[name].size, 0));
  let offset = 0;
  for (const name of tensorNames(cfg.layers)) {
    tensors.push({ name, shape: shapeOf(cfg, name), offset });
    const data = params[name].dataSync() as Float32Array;
    flat.set(data, offset);
    offset += data.length;
  }
  const last = phases[phases.length - 1];
  const manifest: ModelManifest = {
    architecture: 'decoder-only, attention-only transformer (no MLP, no LayerNorm, no biases): x = E[token] + P[position]; per layer x += MHA(x), causal; logits = x W_U',
    layers: cfg.layers,
    heads: cfg.heads,
    dModel: cfg.dModel,
    dHead: cfg.dModel / cfg.heads,
    maxSeqLen: cfg.maxSeqLen,
    vocab: [...VOCAB],
    positions: 'learned',
    task: last.task,
    trainingSeed: SEED,
    steps: phases.reduce((n, p) => n + p.steps, 0),
    learningRate: LR,
    finalLoss: last.finalLoss ?? NaN,
    finalCopyLoss: last.finalCopyLoss ?? NaN,
    trainSeconds: Number(phases.reduce((n, p) => n + (p.seconds ?? 0), 0).toFixed(1)),
    phases,
    trainer: `@tensorflow/tfjs ${tf.version.tfjs}, wasm backend, Adam lr ${LR}, scripts/model/train.ts`,
    params: flat.length,
    tensors,
  };
  // Little-endian on every platform we run on (x86, arm64); the loader reads with DataView(…, true).
  const file: WeightFile = { format: 'amm-model/1', manifest, data: Buffer.from(flat.buffer).toString('base64') };
  writeFileSync(path, JSON.stringify(file, null, 1) + '\n');
  console.log(`wrote ${path}: ${flat.length} parameters, final loss ${manifest.finalLoss}, copy loss ${manifest.finalCopyLoss}`);
  return manifest;
}

async function main(): Promise<void> {
  await useWasm();
  const [p1, p2] = PHASES;
  const cfg1 = configFor(p1.task);
  const params: TfParams = {};
  let done1: TrainingPhase;
  const from = arg('from', '');
  if (from) {
    const saved = loadWeights(JSON.parse(readFileSync(resolve(from), 'utf8')));
    // Files written before phases were recorded carry the same facts at the top level.
    const legacy = saved.manifest as Partial<ModelManifest> & { batchSize?: number };
    const sp: TrainingPhase | undefined = saved.manifest.phases?.[0] ?? (legacy.batchSize ? {
      task: legacy.task!, steps: legacy.steps!, batchSize: legacy.batchSize, seed: legacy.trainingSeed!,
      loss: 'all', finalLoss: legacy.finalLoss, finalCopyLoss: legacy.finalCopyLoss, seconds: legacy.trainSeconds,
    } : undefined);
    if (!sp || JSON.stringify(sp.task) !== JSON.stringify(p1.task) || sp.seed !== p1.seed) throw new Error(`${from} is not a phase-1 file of this recipe`);
    done1 = sp;
    const byName: Record<string, { shape: number[]; data: Float64Array }> = { embed: saved.embed, pos: saved.pos, unembed: saved.unembed };
    saved.layers.forEach((l, i) => Object.entries(l).forEach(([k, t]) => (byName[`layers.${i}.${k}`] = t)));
    for (const name of tensorNames(LAYERS)) params[name] = tf.variable(tf.tensor(Float32Array.from(byName[name].data), byName[name].shape), true, name);
  } else {
    const rng = createRng(p1.seed);
    for (const name of tensorNames(LAYERS)) {
      const shape = shapeOf(cfg1, name);
      params[name] = tf.variable(tf.tensor(draw(rng, name, shape), shape), true, name);
    }
    done1 = { ...p1, ...train(cfg1, params, p1, rng, 'phase 1') };
    const p1out = arg('phase1-out', '');
    if (p1out) save(resolve(p1out), cfg1, params, [done1]);
  }
  if (p2.steps === 0) {
    save(OUT, cfg1, params, [done1]);
    return;
  }
  // Phase 2: positions T1..T2−1 are new rows, drawn from phase 2's generator before its data.
  const cfg2 = configFor(p2.task);
  const rng2 = createRng(p2.seed);
  const extra = [p2.task.seqLen - p1.task.seqLen, D_MODEL];
  const pos = tf.concat([params.pos, tf.tensor(draw(rng2, 'pos', extra), extra)], 0);
  params.pos.dispose();
  params.pos = tf.variable(pos, true, 'pos');
  pos.dispose();
  const every = arg('checkpoint', '');
  const done2 = { ...p2, ...train(cfg2, params, p2, rng2, 'phase 2', every ? (d) => save(resolve(every), cfg2, params, [done1, d]) : undefined) };
  save(OUT, cfg2, params, [done1, done2]);
}

void main();
