// The shipped weight file: one JSON document holding the manifest and every tensor as base64 float32.
import type { Tensor } from '../engine';
import type { CopyTaskSpec } from './data';

/** Where one tensor lives in the flat float32 buffer. */
export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements. */
  offset: number;
}

/** One training phase: its task, Adam steps, batch size, data seed and results. */
export interface TrainingPhase {
  task: CopyTaskSpec;
  steps: number;
  batchSize: number;
  /** Seed of this phase's data (and of the weights it initialises). */
  seed: number;
  /** Next-token loss at every position ('all') or only where the next token is a predictable copy ('copy'). */
  loss: 'all' | 'copy';
  /** When set, every step drew its length T uniformly from min … max, with the task `copyTaskFor(T)`. */
  lengths?: { min: number; max: number };
  /** Mean cross-entropy (nats) over the phase's last 50 steps, over the positions its loss uses. */
  finalLoss?: number;
  /** The same, only over the predictable copy positions. */
  finalCopyLoss?: number;
  /** Wall-clock seconds of the phase (on a shared, loaded machine: an upper bound). */
  seconds?: number;
  /** CPU seconds the training process used in the phase (what a quiet core would need, about). */
  cpuSeconds?: number;
}

/** What the model is, how it was trained, and where each tensor is. */
export interface ModelManifest {
  architecture: string;
  layers: number;
  heads: number;
  dModel: number;
  dHead: number;
  /** Longest sequence the learned positions cover. */
  maxSeqLen: number;
  vocab: string[];
  positions: 'learned';
  /** How the learned positions started: N(0, 1) or sinusoids (absent in older files: N(0, 1)). */
  positionInit?: 'normal' | 'sinusoidal';
  /** The task of the last phase (the one evaluations use). */
  task: CopyTaskSpec;
  trainingSeed: number;
  /** Adam steps over all phases. */
  steps: number;
  learningRate: number;
  /** Mean next-token cross-entropy (nats) over the last 50 steps of the last phase, over the positions its loss uses. */
  finalLoss: number;
  /** The same, only over the predictable copy positions. */
  finalCopyLoss: number;
  trainSeconds: number;
  /** CPU seconds over all phases (absent in older files). */
  trainCpuSeconds?: number;
  phases: TrainingPhase[];
  trainer: string;
  params: number;
  tensors: TensorEntry[];
}

/** The file on disk: `{ format, manifest, data }`. */
export interface WeightFile {
  format: 'amm-model/1';
  manifest: ModelManifest;
  /** Little-endian float32 values of every tensor, concatenated, base64. */
  data: string;
}

/** One attention layer's projections, each (d_model, d_model). */
export interface LayerWeights {
  wq: Tensor;
  wk: Tensor;
  wv: Tensor;
  wo: Tensor;
}

/** The model's weights as float64 engine tensors. */
export interface ModelWeights {
  manifest: ModelManifest;
  /** (V, d_model) */
  embed: Tensor;
  /** (maxSeqLen, d_model) */
  pos: Tensor;
  layers: LayerWeights[];
  /** (d_model, V) */
  unembed: Tensor;
}

/** Names of the tensors, in file order. */
export function tensorNames(layers: number): string[] {
  const names = ['embed', 'pos'];
  for (let l = 0; l < layers; l++) for (const w of ['wq', 'wk', 'wv', 'wo']) names.push(`layers.${l}.${w}`);
  names.push('unembed');
  return names;
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Parses and checks a weight file (from JSON.parse); throws a message naming what is wrong. */
export function loadWeights(file: unknown): ModelWeights {
  const f = file as WeightFile;
  if (!f || f.format !== 'amm-model/1' || typeof f.data !== 'string' || !f.manifest) {
    throw new Error('model weights: not an amm-model/1 file');
  }
  const m = f.manifest;
  const bytes = base64ToBytes(f.data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byName = new Map<string, Tensor>();
  for (const e of m.tensors) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    if ((e.offset + n) * 4 > bytes.byteLength) throw new Error(`model weights: tensor ${e.name} runs past the data`);
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32((e.offset + i) * 4, true);
    byName.set(e.name, { shape: [...e.shape], data });
  }
  const get = (name: string, shape: number[]): Tensor => {
    const t = byName.get(name);
    if (!t) throw new Error(`model weights: tensor ${name} is missing`);
    if (t.shape.join() !== shape.join()) throw new Error(`model weights: ${name} has shape (${t.shape}) but the manifest implies (${shape})`);
    return t;
  };
  const d = m.dModel;
  const V = m.vocab.length;
  return {
    manifest: m,
    embed: get('embed', [V, d]),
    pos: get('pos', [m.maxSeqLen, d]),
    layers: Array.from({ length: m.layers }, (_, l) => ({
      wq: get(`layers.${l}.wq`, [d, d]),
      wk: get(`layers.${l}.wk`, [d, d]),
      wv: get(`layers.${l}.wv`, [d, d]),
      wo: get(`layers.${l}.wo`, [d, d]),
    })),
    unembed: get('unembed', [d, V]),
  };
}
