// Quick checks: every lesson 1–8 has at least two, answers come from the engine, typed answers are parsed and
// compared at the shown precision, and answers are recorded in the learner's progress.
import { describe, expect, it } from 'vitest';
import { answerMatches, parseAnswer } from '../../src/components/quick-check';
import { emptyProgress, loadProgress, PROGRESS_KEY, recordCheck } from '../../src/progress/store';
import { quickChecks } from '../../src/lesson-data/quick-checks';

class MemoryStorage {
  private m = new Map<string, string>();
  get length() { return this.m.size; }
  clear() { this.m.clear(); }
  getItem(k: string) { return this.m.get(k) ?? null; }
  key(i: number) { return [...this.m.keys()][i] ?? null; }
  removeItem(k: string) { this.m.delete(k); }
  setItem(k: string, v: string) { this.m.set(k, v); }
}

describe('quick checks', () => {
  it('lessons 1–8 each have at least two checks with unique ids, finite answers and valid choices', () => {
    const ids = new Set<string>();
    for (let n = 1; n <= 8; n++) {
      expect(quickChecks[n].length, `lesson ${n}`).toBeGreaterThanOrEqual(2);
      for (const c of quickChecks[n]) {
        expect(c.id.startsWith(String(n).padStart(2, '0') + '-')).toBe(true);
        expect(ids.has(c.id)).toBe(false);
        ids.add(c.id);
        if ('answer' in c) expect(Number.isFinite(c.answer)).toBe(true);
        else expect(c.correct).toBeGreaterThanOrEqual(0), expect(c.correct).toBeLessThan(c.options.length);
      }
    }
  });

  it('engine answers match their closed forms', () => {
    const byId = Object.fromEntries(Object.values(quickChecks).flat().map((c) => [c.id, c]));
    const num = (id: string) => (byId[id] as { answer: number }).answer;
    expect(num('02-two-keys')).toBeCloseTo(Math.exp(Math.SQRT2) / (Math.exp(Math.SQRT2) + 1), 12);
    expect(num('02-causal-zeros')).toBe(10);
    expect(num('03-uniform-entropy')).toBeCloseTo(Math.log(4), 12);
    expect(num('04-gqa-factor')).toBe(8);
    expect(num('05-per-token')).toBe((2 * 32 * 32 * 128 * 2) / 1024);
    expect(num('06-kv-passes')).toBe(4096 / 128);
    expect(num('06-crossover')).toBe(4 * 1024);
    expect(num('07-max-entropy')).toBeCloseTo(Math.log(8), 12);
    expect(num('08-passage')).toBeCloseTo((2 * 32 * 2000 * 8 * 128 * 2) / 2 ** 20, 12);
  });

  it('parses typed numbers (separators, Unicode minus, exponents) and rejects text', () => {
    expect(parseAnswer(' 3,072 ')).toBe(3072);
    expect(parseAnswer('−2.5')).toBe(-2.5);
    expect(parseAnswer('1e-9')).toBe(1e-9);
    expect(parseAnswer('.25')).toBe(0.25);
    expect(parseAnswer('about 3')).toBeNull();
    expect(parseAnswer('')).toBeNull();
  });

  it('accepts the answer at the shown precision and rejects a different one', () => {
    expect(answerMatches(0.63, 0.6308, 2)).toBe(true);
    expect(answerMatches(0.62, 0.6308, 2)).toBe(false);
    expect(answerMatches(32, 32, 0)).toBe(true);
    expect(answerMatches(33, 32, 0)).toBe(false);
    expect(answerMatches(1.386, Math.log(4), 3)).toBe(true);
    expect(answerMatches(1.39, Math.log(4), 3)).toBe(true); // within 0.5 %
    expect(answerMatches(1.5, Math.log(4), 3)).toBe(false);
  });

  it('records attempts and keeps a check correct once answered correctly; old records without checks load', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    storage.setItem(PROGRESS_KEY, JSON.stringify(emptyProgress()));
    recordCheck('06-kv-passes', false, storage);
    recordCheck('06-kv-passes', true, storage);
    const after = recordCheck('06-kv-passes', false, storage);
    expect(after.ok).toBe(true);
    expect(loadProgress(storage).value.checks?.['06-kv-passes']).toEqual({ attempts: 3, correct: true });
  });
});
