// Every clause of a statement has a test: each exercise's spec table (graders/NN-slug.spec.ts) names test ids that
// exist in its grader, and no clause is left without one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { refersTo, specProblems, type Clause } from '../../graders/lib/spec';

const root = join(__dirname, '..', '..', 'graders');
/** Exercises whose spec table is still to be written (each helper removes its ids as it adds the tables). */
const PENDING = new Set<string>([]);

describe.each(Object.keys(graders).sort())('exercise %s', (id) => {
  const g = graders[id];
  const file = join(root, `${g.meta.slug}.spec.ts`);
  it.skipIf(PENDING.has(id) && !existsSync(file))('has a spec table whose every clause names existing tests', async () => {
    expect(existsSync(file), `${file} is missing`).toBe(true);
    const { spec } = (await import(file)) as { spec: Clause[] };
    expect(spec.length).toBeGreaterThan(0);
    // Tests of several seeds: a random group exists on every seed.
    for (const seed of [1, 2, 3]) expect(specProblems(spec, g.tests(seed).map((t) => t.id))).toEqual([]);
  });
});

describe('the spec checker', () => {
  it('reports a clause without tests, a reference to no test, and a duplicate clause', () => {
    const ids = ['b.weights.random-1', 'b.weights.random-2', 'b.output.two-token'];
    expect(specProblems([{ id: 'x', text: 'x', tests: ['b.weights.random'] }], ids)).toEqual([]);
    expect(specProblems([{ id: 'x', text: 'a clause', tests: [] }], ids)).toEqual(['clause x ("a clause") has no test']);
    expect(specProblems([{ id: 'x', text: 'x', tests: ['b.scores.random'] }], ids)).toEqual(['clause x names b.scores.random, which is not a test']);
    expect(specProblems([{ id: 'x', text: 'x', tests: ['b.output.two-token'] }, { id: 'x', text: 'x', tests: ['b.output.two-token'] }], ids)).toEqual(['clause x is listed twice']);
    expect(refersTo('b.output', 'b.output.two-token')).toBe(false);
    expect(refersTo('b.weights.random', 'b.weights.random-12')).toBe(true);
  });
});
