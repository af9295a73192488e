// "Your attention runs the model", its pure part: the model's forward pass with the attention step computed by an
// exercise function (here called directly; on the page it runs in the sandbox) against the engine's logits.
import { describe, expect, it } from 'vitest';
import { copyBatch, forward, HELD_OUT_SEED } from '../../src/model';
import { compareWithEngine, forwardWithLearner, layerCalls, PLUG_TOLERANCE, PlugError, type PlugExercise, type PlugOutcome, type RunCalls } from '../../src/model/plug';
import { shippedModel as model } from '../../src/model/shipped';
import * as sol01 from '../../exercises/01-scaled-dot-product/solution';
import * as sol02 from '../../exercises/02-causal-mask/solution';
import * as sol04 from '../../exercises/04-multi-head/solution';
import * as missingScale from '../../exercises/01-scaled-dot-product/mistakes/missing-scale';
import * as offByOne from '../../exercises/02-causal-mask/mistakes/causal-off-by-one';
import * as noWo from '../../exercises/04-multi-head/mistakes/missing-output-projection';

type Fns = Record<string, (...a: never[]) => unknown>;
/** Runs each call with `fns` in this process, as the sandbox would, turning a throw into its outcome. */
const local = (fns: Fns): RunCalls => async (calls) => calls.map((c): PlugOutcome => {
  const f = fns[c.fn];
  if (!f) return { kind: 'missing', message: `no export named ${c.fn}` };
  try {
    return { kind: 'return', value: structuredClone(f(...(c.args as never[]))) };
  } catch (e) {
    return { kind: 'throw', message: (e as Error).message };
  }
});

const [seq] = copyBatch(HELD_OUT_SEED + 11, 1, model.manifest.task);
const short = seq.tokens.slice(0, 20);

describe('the model run by an exercise function', () => {
  const cases: [PlugExercise, Fns][] = [['01', sol01 as Fns], ['02', sol02 as Fns], ['04', sol04 as Fns]];
  it.each(cases)('exercise %s: the reference solution reproduces the engine logits', async (ex, fns) => {
    const logits = await forwardWithLearner(ex, model, seq.tokens, local(fns));
    const c = compareWithEngine(model, seq.tokens, logits);
    expect(c.firstDifference).toBeNull();
    expect(c.predictionsDiffer).toBe(0);
    expect(c.maxAbsDiff).toBeLessThan(1e-9);
  });

  it('exercise 01 is called once per layer, head and query, with keys 0 … i only', () => {
    const x = short.map(() => new Array(model.manifest.dModel).fill(0.1));
    const calls = layerCalls('01', model, 0, x);
    expect(calls).toHaveLength(model.manifest.heads * short.length);
    expect((calls[5].args[1] as number[][]).length).toBe(6);
    expect(calls[5].where).toBe('layer 0, head 0, query 5');
  });

  const wrong: [PlugExercise, Fns][] = [['01', missingScale as Fns], ['02', offByOne as Fns], ['04', noWo as Fns]];
  it.each(wrong)('exercise %s: a known mistake changes the logits, and the first difference is the first beyond tolerance', async (ex, fns) => {
    const logits = await forwardWithLearner(ex, model, seq.tokens, local(fns));
    const c = compareWithEngine(model, seq.tokens, logits);
    const d = c.firstDifference!;
    expect(d).not.toBeNull();
    expect(d.token).toBe(seq.tokens[d.position]);
    expect(Math.abs(d.yours - d.reference)).toBeGreaterThan(1e-7);
    // Every logit before it, in (position, logit index) order, is within tolerance; and predictions differ.
    const ref = forward(model, [seq.tokens]).logits.data;
    const V = model.manifest.vocab.length;
    for (let n = 0; n < d.position * V + d.logit; n++) {
      const r = ref[n];
      expect(Math.abs(logits[Math.floor(n / V)][n % V] - r)).toBeLessThanOrEqual(PLUG_TOLERANCE.atol + PLUG_TOLERANCE.rtol * Math.abs(r));
    }
    expect(d.reference).toBe(ref[d.position * V + d.logit]);
  });

  it('names a throw, a missing export, garbage shapes and non-finite values with where they happened', async () => {
    const run = (f: (...a: never[]) => unknown, ex: PlugExercise = '02') => forwardWithLearner(ex, model, short, local({ causalAttention: f, multiHeadForward: f }));
    await expect(run(() => { throw new Error('boom'); })).rejects.toThrow(/causalAttention\(\) threw \(layer 0, head 0\): boom/);
    await expect(forwardWithLearner('02', model, short, local({}))).rejects.toThrow(/does not export causalAttention/);
    await expect(run(() => 42)).rejects.toThrow(/returned number without an "output" field/);
    await expect(run(() => ({ output: [[1]] }))).rejects.toThrow(/output has 1 rows but should have 20/);
    await expect(run((Q: never) => ({ output: (Q as number[][]).map((r) => r.map(() => NaN)) }))).rejects.toThrow(/output\[0\]\[0\] is NaN/);
    await expect(run(() => ({ output: 'x' }), '04')).rejects.toThrow(PlugError);
  });
});
