// Unit checks of the data modules of lessons 01, 09 and 11.
import { describe, expect, it } from 'vitest';
import { attention2d, kvCacheBytes } from '../../src/engine';
import * as l01 from '../../src/lesson-data/01-intuition';
import * as l09 from '../../src/lesson-data/09-common-mistakes';
import { MISTAKE_IDS, runMistake } from '../../src/lesson-data/mistakes/lab';

describe('lesson 01 data', () => {
  it('the pronoun row puts most weight on "animal" and sums to 1', () => {
    const w = attention2d([l01.pronoun.query], l01.pronoun.K, l01.pronoun.V).weights[0];
    expect(l01.pronoun.tokens[w.indexOf(Math.max(...w))]).toBe('animal');
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(l01.pronoun.hardSlope).toBe(0);
    expect(l01.pronoun.softSlope).toBeCloseTo(l01.pronoun.analyticSlope, 2);
  });
  it('sampled variances follow d_k unscaled and 1 scaled', () => {
    for (const r of l01.scaling.table) {
      expect(r.varUnscaled / r.dk).toBeGreaterThan(0.9);
      expect(r.varUnscaled / r.dk).toBeLessThan(1.1);
      expect(Math.abs(r.varScaled - 1)).toBeLessThan(0.1);
    }
  });
  it('the causal example has an exactly zero upper triangle and rows summing to 1', () => {
    expect(l01.masks.upperZero).toBe(l01.masks.upperCount);
    for (const s of l01.masks.rowSums) expect(s).toBeCloseTo(1, 12);
    expect(l01.masks.causalChange).toBe(0);
  });
});

describe('lesson 09 mistakes', () => {
  it('every bug fails its test and every fix passes it, on 100 seeds', () => {
    for (let k = 1; k <= 100; k++) {
      for (const id of MISTAKE_IDS) {
        const r = runMistake(id, k * 104729);
        expect(r.bug.passes, `bug ${id} seed ${r.seed}`).toBe(false);
        expect(r.fix.passes, `fix ${id} seed ${r.seed}`).toBe(true);
      }
    }
  });
  it('shows source regions taken from the real files', () => {
    for (const id of MISTAKE_IDS) {
      const src = l09.mistakeSource(id);
      expect(src.bug.length).toBeGreaterThan(20);
      expect(src.fix).not.toBe(src.bug);
      expect(src.test).toContain('export function passes');
      expect(src.bug).not.toContain('#region');
    }
  });
  it('the cache fix equals the engine formula and the measured cache; the bug is half', () => {
    expect(l09.cache.fix).toBe(kvCacheBytes(l09.cache.config));
    expect(l09.cache.bug * 2).toBe(l09.cache.fix);
  });
  it('FlashAttention equals naive attention to rounding error', () => {
    expect(l09.flash.diff).toBeLessThan(1e-12);
  });
  it('the dead head has effect 0 and the others do not', () => {
    l09.headEffects.effects.forEach((e, h) => (h === l09.headEffects.dead ? expect(e).toBe(0) : expect(e).toBeGreaterThan(1e-6)));
  });
});
