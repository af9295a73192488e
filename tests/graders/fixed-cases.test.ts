// Fixed tests promise the same case on every seed; runTest relies on it and makes each fixed case once per grader.
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';

describe.each(Object.keys(graders).sort())('exercise %s', (id) => {
  it('makes the same case for a fixed test on every seed', () => {
    const g = graders[id];
    const on = (seed: number) => new Map(g.tests(seed).filter((t) => t.seed === null).map((t) => [t.id, JSON.stringify(t.make(t.params, 0))]));
    const a = on(1);
    expect(a.size).toBeGreaterThan(0);
    for (const seed of [2, 17, 123456]) expect(on(seed)).toEqual(a);
  });
});
