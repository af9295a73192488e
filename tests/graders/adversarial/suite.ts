// The vitest suite over one exercise's adversarial variants (see variants.ts). GRADER_SEEDS narrows the seed range.
import { describe, expect, it } from 'vitest';
import { rightFailures, survivingSeeds, variantFiles, variantSource } from './variants';

const SEEDS = Number(process.env.GRADER_SEEDS ?? 200);

/** Registers the tests for exercise `id`: every wrong variant fails on each seed 1 … 200, every right one passes. */
export function adversarialSuite(id: string): void {
  const { wrong, right } = variantFiles(id);
  describe(`exercise ${id}: adversarial variants`, () => {
    it('has wrong and right variants with a first line saying which', () => {
      expect(wrong.length).toBeGreaterThan(0);
      expect(right.length).toBeGreaterThan(0);
      for (const f of wrong) expect(variantSource(id, f), f).toMatch(/^\/\/ Wrong: .+/);
      for (const f of right) expect(variantSource(id, f), f).toMatch(/^\/\/ Right: .+/);
    });
    it.each(wrong)(`%s fails some test on every seed 1 … ${SEEDS}`, async (file) => {
      expect(await survivingSeeds(id, file, SEEDS)).toEqual([]);
    });
    it.each(right)(`%s passes every test on every seed 1 … ${SEEDS}`, async (file) => {
      expect(await rightFailures(id, file, SEEDS)).toEqual([]);
    });
  });
}
