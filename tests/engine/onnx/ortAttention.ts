// Runs onnxruntime-node's ONNX `Attention` operator (opset 23) on engine tensors: the differential oracle.
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../../../src/engine/index.ts';
import { DataType, modelBytes, type Attr } from './protobuf.ts';

/** Inputs and attributes of one ONNX Attention call. */
export interface OrtAttentionCase {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  /** A bool keep-mask (true = visible) or an additive float mask. */
  mask?: { kind: 'bool' | 'float'; t: Tensor };
  pastKey?: Tensor;
  pastValue?: Tensor;
  scale?: number;
  causal?: boolean;
  softcap?: number;
  /** qk_matmul_output_mode: 0 raw QKᵀ·scale, 1 after mask, 2 after softcap, 3 after softmax. */
  qkMode?: number;
}

/** Outputs of the ONNX operator, widened to float64. */
export interface OrtAttentionResult {
  output: Tensor;
  presentKey?: Tensor;
  presentValue?: Tensor;
  qk?: Tensor;
}

const f32 = (t: Tensor) => new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
const back = (t: ort.Tensor): Tensor => ({ shape: [...t.dims], data: Float64Array.from(t.data as Float32Array) });

/** Builds the one-node model for `c`, runs it single-threaded and returns its outputs. */
export async function ortAttention(c: OrtAttentionCase): Promise<OrtAttentionResult> {
  const feeds: Record<string, ort.Tensor> = { Q: f32(c.q), K: f32(c.k), V: f32(c.v) };
  const inputs: { name: string; elemType: number; shape: number[] }[] = [
    { name: 'Q', elemType: DataType.FLOAT, shape: c.q.shape },
    { name: 'K', elemType: DataType.FLOAT, shape: c.k.shape },
    { name: 'V', elemType: DataType.FLOAT, shape: c.v.shape },
  ];
  const nodeInputs = ['Q', 'K', 'V', '', '', ''];
  if (c.mask) {
    const { kind, t } = c.mask;
    feeds.M = kind === 'bool' ? new ort.Tensor('bool', Uint8Array.from(t.data, (x) => (x !== 0 ? 1 : 0)), t.shape) : f32(t);
    inputs.push({ name: 'M', elemType: kind === 'bool' ? DataType.BOOL : DataType.FLOAT, shape: t.shape });
    nodeInputs[3] = 'M';
  }
  if (c.pastKey && c.pastValue) {
    feeds.PK = f32(c.pastKey);
    feeds.PV = f32(c.pastValue);
    inputs.push({ name: 'PK', elemType: DataType.FLOAT, shape: c.pastKey.shape });
    inputs.push({ name: 'PV', elemType: DataType.FLOAT, shape: c.pastValue.shape });
    nodeInputs[4] = 'PK';
    nodeInputs[5] = 'PV';
  }
  while (nodeInputs[nodeInputs.length - 1] === '') nodeInputs.pop();
  const attrs: Attr[] = [];
  if (c.scale !== undefined) attrs.push({ name: 'scale', float: c.scale });
  if (c.causal) attrs.push({ name: 'is_causal', int: 1 });
  if (c.softcap) attrs.push({ name: 'softcap', float: c.softcap });
  if (c.qkMode !== undefined) attrs.push({ name: 'qk_matmul_output_mode', int: c.qkMode });
  const withPast = !!c.pastKey;
  const outputs = ['Y', withPast ? 'PKout' : '', withPast ? 'PVout' : '', c.qkMode !== undefined ? 'QK' : ''];
  while (outputs[outputs.length - 1] === '') outputs.pop();
  const model = modelBytes({ opType: 'Attention', opset: 23, inputs, nodeInputs, outputs, attrs });
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const r = await session.run(feeds);
    return {
      output: back(r.Y),
      presentKey: r.PKout && back(r.PKout),
      presentValue: r.PVout && back(r.PVout),
      qk: r.QK && back(r.QK),
    };
  } finally {
    await session.release();
  }
}
