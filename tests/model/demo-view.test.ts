// The trained-model demo's pure parts: parsing typed letters, finding repeat positions, scoring them.
import { describe, expect, it } from 'vitest';
import { computeView, parseSequence, presets, repeatPositions, repeatScore } from '../../src/components/demos/model-demo-view';
import { copyBatch, copyPositions, encode, evaluate, HELD_OUT_SEED } from '../../src/model';
import { shippedModel as model } from '../../src/model/shipped';

describe('model demo view', () => {
  it('keeps only A–Z (either case), names what it dropped, and cuts at the learned positions', () => {
    expect(parseSequence('ab c!d', 32)).toEqual({ tokens: [0, 1, 2, 3], note: '1 character other than A–Z ignored' });
    expect(parseSequence('', 32).note).toBe('type at least one letter A–Z');
    const long = parseSequence('Z'.repeat(40), 32);
    expect(long.tokens).toHaveLength(32);
    expect(long.note).toMatch(/cut to the first 32 letters/);
  });

  it('marks a position when its letter pair occurred earlier, and nothing in a sequence without repeats', () => {
    expect(repeatPositions(encode('ABCXABC'))).toEqual([4, 5]);
    expect(repeatPositions(encode('ABCDEFG'))).toEqual([]);
    // Every copy position of a generated sequence is found (random letters may add a few more).
    for (const s of copyBatch(HELD_OUT_SEED + 11, 20, model.manifest.task)) {
      const found = new Set(repeatPositions(s.tokens));
      for (const i of copyPositions(s)) expect(found.has(i), `position ${i}`).toBe(true);
    }
  });

  it('presets fit the model, and ablating the induction head costs the held-out preset its copies', () => {
    for (const p of presets(model)) expect(parseSequence(p.text, model.manifest.maxSeqLen).note).toBe('');
    const tokens = parseSequence(presets(model)[0].text, model.manifest.maxSeqLen).tokens;
    const ind = evaluate(model, copyBatch(HELD_OUT_SEED + 12, 50, model.manifest.task)).scores.induction[1];
    const v = computeView(model, tokens, [{ layer: 1, head: ind.indexOf(Math.max(...ind)) }]);
    const s = repeatScore(v);
    expect(s.total).toBeGreaterThan(5);
    expect(s.correctBase).toBeGreaterThan(s.correct);
  });
});
