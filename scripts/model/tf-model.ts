// The course model in TensorFlow.js (float32): used to train it and, in tests, as the independent check of
// the float64 engine forward pass. Same architecture as src/model/forward.ts.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Selects the WebAssembly backend (single-threaded in Node) once. */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== 'wasm') {
    await tf.setBackend('wasm');
    await tf.ready();
  }
}

/** Architecture of the attention-only model. */
export interface TfModelConfig {
  layers: number;
  heads: number;
  dModel: number;
  maxSeqLen: number;
  vocabSize: number;
}

/** Trainable tensors by file name (see src/model/weights.ts `tensorNames`). */
export type TfParams = Record<string, tf.Variable>;

/** Causal additive bias (T, T): 0 on and below the diagonal, −1e9 above (exp underflows to exactly 0). */
function causalBias(T: number): tf.Tensor2D {
  const data = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) data[i * T + j] = -1e9;
  return tf.tensor2d(data, [T, T]);
}

/**
 * Logits (B, T, V) for int32 tokens (B, T) placed at positions offset … offset + T − 1. Embedding is one-hot ×
 * matrix because the wasm backend has no UnsortedSegmentSum kernel for gather's gradient.
 */
export function tfForward(cfg: TfModelConfig, p: TfParams, tokens: tf.Tensor2D, offset = 0): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = tokens.shape;
    const { dModel: d, heads: H, vocabSize: V } = cfg;
    const dh = d / H;
    const oneHot = tf.oneHot(tokens.reshape([B * T]), V).toFloat(); // (B·T, V)
    let x = tf.matMul(oneHot, p.embed).reshape([B, T, d]).add(p.pos.slice([offset, 0], [T, d])); // (B, T, d_model)
    const bias = causalBias(T);
    for (let l = 0; l < cfg.layers; l++) {
      const x2 = x.reshape([B * T, d]); // (B·T, d_model)
      const split = (w: tf.Tensor) => tf.matMul(x2, w).reshape([B, T, H, dh]).transpose([0, 2, 1, 3]); // (B, H, T, d_h)
      const q = split(p[`layers.${l}.wq`]);
      const k = split(p[`layers.${l}.wk`]);
      const v = split(p[`layers.${l}.wv`]);
      const s = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dh)).add(bias); // (B, H, T, T)
      const a = tf.softmax(s);
      const o = tf.matMul(a, v).transpose([0, 2, 1, 3]).reshape([B * T, d]); // (B, H, T, d_h) → (B·T, d_model)
      x = x.add(tf.matMul(o, p[`layers.${l}.wo`]).reshape([B, T, d]));
    }
    return tf.matMul(x.reshape([B * T, d]), p.unembed).reshape([B, T, V]) as tf.Tensor3D; // (B, T, V)
  });
}
