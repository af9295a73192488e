// The course model: shipped weights, engine forward pass vs TensorFlow.js, KV-cache decoding vs full pass.
import { statSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfForward, useWasm, type TfParams } from '../../scripts/model/tf-model';
import {
  argmaxAt, compositionScores, copyBatch, copyTaskFor, decodeWithCache, evaluate, forward, forwardPathAblated, HELD_OUT_SEED, loadWeights, parameterCount, tensorNames,
  type ModelWeights,
} from '../../src/model';
import file from '../../src/model/weights/copy-model.json';
import { shippedModel as model } from '../../src/model/shipped';

const WEIGHTS = new URL('../../src/model/weights/copy-model.json', import.meta.url);

/** Worst |a − b| against atol + rtol·|a| over two equal-shape arrays, with its index. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number) {
  let index = -1;
  let ratio = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    maxAbs = Math.max(maxAbs, diff);
    const r = diff / (atol + rtol * Math.abs(a[i]));
    if (!(r <= ratio)) {
      ratio = r;
      index = i;
    }
  }
  return { index, ratio, maxAbs, a: a[index], b: b[index] };
}

describe('shipped weights', () => {
  it('are one file of at most 512 KB whose manifest matches the tensors', () => {
    expect(statSync(WEIGHTS).size).toBeLessThanOrEqual(512 * 1024);
    const m = model.manifest;
    expect(m.tensors.map((t) => t.name)).toEqual(tensorNames(m.layers));
    expect(parameterCount(model)).toBe(m.params);
    expect(m.dHead * m.heads).toBe(m.dModel);
    expect(m.vocab).toHaveLength(26);
    expect(Number.isFinite(m.finalLoss) && m.steps > 0 && Number.isInteger(m.trainingSeed)).toBe(true);
  });

  it('are rejected with a message naming the problem when damaged', () => {
    expect(() => loadWeights({ format: 'other' })).toThrow(/not an amm-model\/1 file/);
    const wrong = structuredClone(file) as typeof file;
    wrong.manifest.tensors[0].shape = [wrong.manifest.tensors[0].shape[0] - 1, wrong.manifest.tensors[0].shape[1]];
    expect(() => loadWeights(wrong)).toThrow(/embed has shape/);
    const short = { ...file, data: file.data.slice(0, 400) };
    expect(() => loadWeights(short)).toThrow(/runs past the data/);
  });

  it('reject tokens outside the vocabulary, empty input and T beyond the learned positions', () => {
    expect(() => forward(model, [[0, 26]])).toThrow(/token 26 is outside \[0, 26\)/);
    expect(() => forward(model, [[]])).toThrow(/empty/);
    expect(() => forward(model, [new Array(model.manifest.maxSeqLen + 1).fill(0)])).toThrow(/tokens, but the model's learned positions stop/);
  });
});

describe('engine forward pass (float64) against TensorFlow.js (float32, wasm)', () => {
  let params: TfParams;
  beforeAll(async () => {
    await useWasm();
    params = Object.fromEntries(model.manifest.tensors.map((t) => {
      const w = tensorOf(model, t.name);
      return [t.name, tf.variable(tf.tensor(Float32Array.from(w.data), w.shape), false, `check.${t.name}`)];
    }));
  });

  // The longest sequences the model takes (its task, T = maxSeqLen) and a shorter length (fewer positions).
  it.each([model.manifest.task.seqLen, 20])('agrees on held-out sequences of T = %i: relative difference ≤ 1e-4, same argmax everywhere', (T0) => {
    const seqs = copyBatch(HELD_OUT_SEED + 1, 16, copyTaskFor(T0));
    const T = seqs[0].tokens.length;
    const m = model.manifest;
    const mine = forward(model, seqs.map((s) => s.tokens)).logits; // (B, T, V)
    const tokens = tf.tensor2d(seqs.flatMap((s) => s.tokens), [seqs.length, T], 'int32');
    const theirs = tfForward({ ...m, vocabSize: m.vocab.length }, params, tokens);
    const ref = theirs.dataSync();
    tf.dispose([tokens, theirs]);
    expect(mine.shape).toEqual([seqs.length, T, m.vocab.length]);
    let scale = 0;
    for (const x of mine.data) scale = Math.max(scale, Math.abs(x));
    const w = worst(mine.data, ref, 1e-4 * scale, 1e-4);
    expect(w.ratio, `worst at flat index ${w.index}: engine ${w.a}, tf.js ${w.b}`).toBeLessThanOrEqual(1);
    expect(w.maxAbs / scale).toBeLessThan(1e-4);
    console.log(`engine vs TF.js: max |Δlogit| ${w.maxAbs.toExponential(2)}, relative to max |logit| ${(w.maxAbs / scale).toExponential(2)}`);
    let argmaxDiffers = 0;
    for (let b = 0; b < seqs.length; b++) {
      for (let t = 0; t < T; t++) {
        const row = Array.from(ref.subarray((b * T + t) * 26, (b * T + t + 1) * 26));
        if (row.indexOf(Math.max(...row)) !== argmaxAt(mine, b, t)) argmaxDiffers++;
      }
    }
    expect(argmaxDiffers).toBe(0);
  });
});

function tensorOf(m: ModelWeights, name: string) {
  if (name === 'embed') return m.embed;
  if (name === 'pos') return m.pos;
  if (name === 'unembed') return m.unembed;
  const [, l, w] = name.split('.');
  return m.layers[Number(l)][w as 'wq' | 'wk' | 'wv' | 'wo'];
}

describe('KV-cache decoding', () => {
  it('gives the logits of the full forward pass at every step', () => {
    const [s] = copyBatch(HELD_OUT_SEED + 2, 1, model.manifest.task);
    const full = forward(model, [s.tokens]).logits;
    const cached = decodeWithCache(model, s.tokens);
    expect(cached.logits.shape).toEqual(full.shape);
    const w = worst(full.data, cached.logits.data, 1e-12, 1e-12);
    expect(w.ratio, `worst at flat index ${w.index}: full ${w.a}, cached ${w.b}`).toBeLessThanOrEqual(1);
    const { heads, dHead, layers } = model.manifest;
    expect(cached.caches).toHaveLength(layers);
    for (const c of cached.caches) expect(c.key.shape).toEqual([1, heads, s.tokens.length, dHead]);
  });

  it('matches with a head ablated too, and the ablation changes the logits', () => {
    const [s] = copyBatch(HELD_OUT_SEED + 3, 1, model.manifest.task);
    const ablate = [{ layer: 1, head: 0 }];
    const full = forward(model, [s.tokens], { ablate }).logits;
    const cached = decodeWithCache(model, s.tokens, { ablate }).logits;
    expect(worst(full.data, cached.data, 1e-12, 1e-12).ratio).toBeLessThanOrEqual(1);
    expect(worst(full.data, forward(model, [s.tokens]).logits.data, 1e-9, 0).ratio).toBeGreaterThan(1);
  });
});

describe('path ablation (lesson 8.1)', () => {
  const [s] = copyBatch(HELD_OUT_SEED + 4, 2, model.manifest.task);
  const last = model.manifest.layers - 1;

  it('of a last-layer head changes nothing (no later layer reads it), for every input', () => {
    const full = forward(model, [s.tokens]);
    for (const input of ['query', 'key', 'value'] as const) {
      const p = forwardPathAblated(model, [s.tokens], { layer: last, head: 0 }, input);
      expect(worst(full.logits.data, p.logits.data, 1e-12, 1e-12).ratio, input).toBeLessThanOrEqual(1);
    }
  });

  it("of a layer-0 head keeps layer 0's weights; through the keys it moves layer 1's weights, through the values only the output", () => {
    const full = forward(model, [s.tokens]);
    const k = forwardPathAblated(model, [s.tokens], { layer: 0, head: 0 }, 'key');
    expect(worst(full.weights[0].data, k.weights[0].data, 1e-12, 1e-12).ratio).toBeLessThanOrEqual(1);
    expect(worst(full.weights[1].data, k.weights[1].data, 1e-9, 0).ratio).toBeGreaterThan(1);
    // Values do not move the weights of layer 1; only its output.
    const v = forwardPathAblated(model, [s.tokens], { layer: 0, head: 0 }, 'value');
    expect(worst(full.weights[1].data, v.weights[1].data, 1e-12, 1e-12).ratio).toBeLessThanOrEqual(1);
    expect(worst(full.logits.data, v.logits.data, 1e-9, 0).ratio).toBeGreaterThan(1);
  });

  it('composition scores lie in [0, 1]', () => {
    for (let h = 0; h < model.manifest.heads; h++) {
      for (const x of Object.values(compositionScores(model, { layer: 0, head: h }, { layer: 1, head: 0 }))) {
        expect(x).toBeGreaterThan(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('the copy task at length T', () => {
  it('repeats a segment of T/4 … T/2 letters at a random later offset, for every T the model takes', () => {
    for (const T of [16, 32, 64]) {
      const seqs = copyBatch(7, 300, copyTaskFor(T));
      const gaps = new Set<number>();
      for (const s of seqs) {
        expect(s.tokens).toHaveLength(T);
        expect(s.len).toBeGreaterThanOrEqual(T / 4);
        expect(s.len).toBeLessThanOrEqual(T / 2);
        expect(s.dst).toBeGreaterThanOrEqual(s.src + s.len);
        expect(s.dst + s.len).toBeLessThanOrEqual(T);
        expect(s.tokens.slice(s.dst, s.dst + s.len)).toEqual(s.tokens.slice(s.src, s.src + s.len));
        gaps.add(s.dst - s.src);
      }
      expect(gaps.size, `T=${T}: the repeat's offset must vary`).toBeGreaterThan(5);
    }
    expect(model.manifest.task.seqLen).toBe(model.manifest.maxSeqLen);
  });
});

describe('copy accuracy of the shipped weights', () => {
  it('is at least 0.8 on 1,000 held-out sequences (chance 1/26)', () => {
    const e = evaluate(model, copyBatch(HELD_OUT_SEED, 1000, model.manifest.task));
    expect(e.copyPredictions).toBeGreaterThanOrEqual(1000 * (model.manifest.task.minSegment - 1));
    expect(e.copyAccuracy).toBeGreaterThanOrEqual(0.8);
    console.log(`copy accuracy of the shipped weights: ${e.copyAccuracy} over ${e.copyPredictions} predictions`);
  });

  // The model takes every T ≤ maxSeqLen, not only its longest sequences.
  it.each([16, 32, 48])('is at least 0.8 on 300 held-out sequences of T = %i too', (T) => {
    const e = evaluate(model, copyBatch(HELD_OUT_SEED, 300, copyTaskFor(T)));
    expect(e.copyAccuracy).toBeGreaterThanOrEqual(0.8);
  });
});
