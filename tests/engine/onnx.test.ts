// Differential test: the engine against onnxruntime-node's ONNX `Attention` operator (opset 23, CPU, float32).
import { describe, expect, it } from 'vitest';
import {
  alibiBias, attention, causalMask, combineMasks, createRng, paddingMask, randomTensor, type AttentionOptions, type Tensor,
} from '../../src/engine/index.ts';
import { ortAttention, type OrtAttentionCase } from './onnx/ortAttention.ts';
import { maxAbsDiff } from './helpers.ts';

const rng = createRng(23);
/** Random values rounded to float32, so both sides see identical inputs. */
const rand = (shape: number[], scale = 1): Tensor => {
  const t = randomTensor(rng, shape, scale);
  return { shape, data: t.data.map(Math.fround) };
};
const ones = (shape: number[]): Tensor => ({ shape, data: new Float64Array(shape[0] * shape[1]).fill(1) });
const keep = (shape: number[], pVisible = 0.7): Tensor => ({ shape, data: rand(shape).data.map(() => (rng.next() < pVisible ? 1 : 0)) });

interface Case {
  name: string;
  q: Tensor;
  k: Tensor;
  v: Tensor;
  engine: AttentionOptions;
  ort: Omit<OrtAttentionCase, 'q' | 'k' | 'v'>;
}

function cases(): Case[] {
  const out: Case[] = [];
  const add = (name: string, B: number, H: number, Hkv: number, Tq: number, Tk: number, D: number, Dv: number, make: (c: { q: Tensor; k: Tensor; v: Tensor }) => [AttentionOptions, Case['ort']]) => {
    const c = { q: rand([B, H, Tq, D]), k: rand([B, Hkv, Tk, D]), v: rand([B, Hkv, Tk, Dv]) };
    const [engine, ort] = make(c);
    out.push({ name, ...c, engine, ort });
  };
  add('default scale', 2, 3, 3, 5, 7, 8, 6, () => [{}, {}]);
  add('custom scale', 1, 2, 2, 4, 4, 16, 16, () => [{ scale: 0.37 }, { scale: 0.37 }]);
  add('causal Tq = Tk', 2, 2, 2, 6, 6, 8, 8, () => [{ causal: true }, { causal: true }]);
  add('causal Tq < Tk without cache (top-left)', 1, 2, 2, 3, 7, 8, 4, () => [{ causal: true }, { causal: true }]);
  // ORT 1.30 requires the mask's Tq axis to be Tq itself (measured: "inconsistent q_sequence_length");
  // other axes broadcast. The engine broadcasts every axis, so (B, 1, 1, Tk) is compared after expanding.
  for (const shape of [[5, 9], [2, 1, 5, 9], [2, 3, 5, 9], [1, 3, 5, 9]]) {
    const m = keep(shape);
    add(`bool mask ${shape.join('×')}`, 2, 3, 3, 5, 9, 8, 8, () => [{ mask: m }, { mask: { kind: 'bool', t: m } }]);
  }
  const pad = paddingMask([6, 3], 9); // (2, 1, 1, 9)
  const padExpanded = combineMasks(pad, ones([5, 9])); // (2, 1, 5, 9) for ORT
  add('padding mask (B,1,1,Tk) broadcast over Tq', 2, 3, 3, 5, 9, 8, 8, () => [{ mask: pad }, { mask: { kind: 'bool', t: padExpanded } }]);
  const fm = rand([2, 1, 5, 9], 2);
  add('additive float mask', 2, 3, 3, 5, 9, 8, 8, () => [{ bias: fm }, { mask: { kind: 'float', t: fm } }]);
  add('softcap', 1, 2, 2, 6, 6, 8, 8, (c) => {
    c.q.data.forEach((x, n) => (c.q.data[n] = Math.fround(x * 3)));
    return [{ softcap: 2.5 }, { softcap: 2.5 }];
  });
  const fm2 = rand([6, 6], 3);
  add('softcap + float mask + causal', 1, 2, 2, 6, 6, 8, 8, () => [{ softcap: 1.7, bias: fm2, causal: true }, { softcap: 1.7, mask: { kind: 'float', t: fm2 }, causal: true }]);
  const bm = keep([1, 1, 6, 6]);
  add('softcap + bool mask', 1, 2, 2, 6, 6, 8, 8, () => [{ softcap: 1.7, mask: bm }, { softcap: 1.7, mask: { kind: 'bool', t: bm } }]);
  add('GQA (H=6, Hkv=2)', 2, 6, 2, 4, 5, 8, 8, () => [{ causal: true }, { causal: true }]);
  add('MQA (H=4, Hkv=1)', 1, 4, 1, 4, 4, 8, 8, () => [{}, {}]);
  const pk = rand([2, 2, 5, 8]);
  const pv = rand([2, 2, 5, 6]);
  add('past key/value + causal (bottom-right) + GQA', 2, 4, 2, 3, 3, 8, 6, () => [{ causal: true, pastKey: pk, pastValue: pv }, { causal: true, pastKey: pk, pastValue: pv }]);
  const pk1 = rand([1, 2, 6, 8]);
  const pv1 = rand([1, 2, 6, 8]);
  const pm = paddingMask([5], 7); // (1, 1, 1, 7) over Tk_total = 6 + 1
  add('decode step: past + one query + padding mask', 1, 2, 2, 1, 1, 8, 8, () => [{ causal: true, pastKey: pk1, pastValue: pv1, mask: pm }, { causal: true, pastKey: pk1, pastValue: pv1, mask: { kind: 'bool', t: pm } }]);
  const alibi = alibiBias(4, 6, 6); // (1, 4, 6, 6)
  add('ALiBi as a float mask + causal', 2, 4, 4, 6, 6, 8, 8, () => [{ bias: alibi, causal: true }, { mask: { kind: 'float', t: { shape: alibi.shape, data: alibi.data.map(Math.fround) } }, causal: true }]);
  const alibiPast = alibiBias(2, 2, 5, { past: 3 });
  const pk2 = rand([1, 2, 3, 8]);
  const pv2 = rand([1, 2, 3, 8]);
  add('ALiBi with past offset', 1, 2, 2, 2, 2, 8, 8, () => [{ bias: alibiPast, causal: true, pastKey: pk2, pastValue: pv2 }, { mask: { kind: 'float', t: { shape: alibiPast.shape, data: alibiPast.data.map(Math.fround) } }, causal: true, pastKey: pk2, pastValue: pv2 }]);
  const full = { shape: [4, 4], data: Float64Array.from([1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1]) };
  add('fully masked row (bool mask)', 1, 1, 1, 4, 4, 8, 8, () => [{ mask: full }, { mask: { kind: 'bool', t: full } }]);
  const cm = causalMask(4, 4);
  add('causal attribute + explicit causal bool mask', 1, 1, 1, 4, 4, 8, 8, () => [{ causal: true, mask: cm }, { causal: true, mask: { kind: 'bool', t: cm } }]);
  return out;
}

describe('engine vs onnxruntime-node Attention (opset 23)', () => {
  for (const c of cases()) {
    it(c.name, async () => {
      const want = await ortAttention({ q: c.q, k: c.k, v: c.v, ...c.ort });
      const got = attention(c.q, c.k, c.v, c.engine);
      expect(got.output.data.some(Number.isNaN)).toBe(false);
      // float32 arithmetic in ORT vs float64 here: ~1e-6 relative at unit scale.
      expect(maxAbsDiff(got.output, want.output)).toBeLessThan(1e-5);
      if (c.engine.pastKey) {
        expect(maxAbsDiff(got.presentKey, want.presentKey!)).toBe(0);
        expect(maxAbsDiff(got.presentValue, want.presentValue!)).toBe(0);
      }
    });
  }

  it('order of operations: ORT applies softcap to the scaled QKᵀ before adding the mask (qk_matmul_output_mode 2)', async () => {
    const q = rand([1, 1, 4, 8], 3);
    const k = rand([1, 1, 4, 8], 3);
    const v = rand([1, 1, 4, 8]);
    const bias = rand([4, 4], 2);
    const r = await ortAttention({ q, k, v, softcap: 1.5, mask: { kind: 'float', t: bias }, qkMode: 2 });
    const mine = attention(q, k, v, { softcap: 1.5, bias });
    expect(maxAbsDiff(mine.scores, r.qk!)).toBeLessThan(1e-5);
    // The other order, softcap(s + bias), would bound every score by 1.5; the measured scores are not.
    expect(Math.max(...Array.from(r.qk!.data, Math.abs))).toBeGreaterThan(1.5);
  });

  it('seeded random sweep of option combinations', async () => {
    let worst = 0;
    for (let n = 0; n < 24; n++) {
      const B = rng.int(1, 3);
      const Hkv = rng.int(1, 3);
      const H = Hkv * rng.int(1, 4);
      const Tq = rng.int(1, 7);
      const P = rng.int(0, 2) ? rng.int(1, 6) : 0;
      const Tk = P ? Tq : rng.int(1, 8);
      const D = 4 * rng.int(1, 5);
      const q = rand([B, H, Tq, D]);
      const k = rand([B, Hkv, Tk, D]);
      const v = rand([B, Hkv, Tk, D]);
      const engine: AttentionOptions = { causal: rng.next() < 0.5 && (P > 0 || Tq <= Tk) };
      const ort: Case['ort'] = { causal: engine.causal };
      if (P) {
        engine.pastKey = ort.pastKey = rand([B, Hkv, P, D]);
        engine.pastValue = ort.pastValue = rand([B, Hkv, P, D]);
      }
      if (rng.next() < 0.4) engine.softcap = ort.softcap = Math.fround(1 + 3 * rng.next());
      if (rng.next() < 0.4) engine.scale = ort.scale = Math.fround(0.1 + rng.next());
      const maskKind = rng.int(0, 3);
      if (maskKind === 1) {
        const m = keep([B, 1, Tq, P + Tk], 0.8);
        engine.mask = m;
        ort.mask = { kind: 'bool', t: m };
      } else if (maskKind === 2) {
        const m = rand([Tq, P + Tk], 2);
        engine.bias = m;
        ort.mask = { kind: 'float', t: m };
      }
      const want = await ortAttention({ q, k, v, ...ort });
      worst = Math.max(worst, maxAbsDiff(attention(q, k, v, engine).output, want.output));
    }
    expect(worst).toBeLessThan(1e-5);
  });
});
