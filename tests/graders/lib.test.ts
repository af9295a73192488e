// Unit tests of the running machinery: shrinking, diagnosis, hosts and timeouts, part (c), meta, allocation probe,
// and the syllabus's worked numbers (computed in closed form and checked equal to the engine).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attention2d, softmax } from '../../src/engine/index';
import { graders } from '../../graders/index';
import {
  ExerciseMeta, GradeResult, MEMO_LIMIT, assemble, deriveSeed, executeCall, fnArg, grade, gradeConcept, inProcessHost, listTests, memoBySize, random,
  runTest, timeoutResult, withAllocProbe, type Case, type Grader, type LearnerHost,
} from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';

const g01 = graders['01'];
const exercisesDir = join(__dirname, '..', '..', 'exercises');
const solutionPath = (id: string) => join(exercisesDir, readdirSync(exercisesDir).find((d) => d.startsWith(`${id}-`))!, 'solution.ts');

describe('shrinking', () => {
  /** A toy grader: f(n) must return n; the "learner" is wrong whenever n ≥ 3. */
  const toy = (seed: number) =>
    random<{ n: number; m: number }>(seed, {
      id: 'b.toy', part: 'b', count: 1, min: { n: 1, m: 1 },
      params: () => ({ n: 9, m: 7 }),
      title: (p) => `toy case n = ${p.n}`,
      make: (p): Case => ({ fn: 'f', args: [p.n, p.m], expected: p.n, check: { kind: 'tensor', name: 'n', dims: [] }, describe: `n = ${p.n}, m = ${p.m}` }),
    });
  const grader: Grader = { meta: g01.meta, mistakes: [], tests: toy };

  it('reports the smallest failing parameters, with the seed', async () => {
    const host = inProcessHost({ f: (n: number) => (n >= 3 ? n + 1 : n) });
    const [t] = grader.tests(5);
    const r = await runTest(grader, t, host);
    expect(r.status).toBe('fail');
    expect(r.shrunk).toEqual({ params: { n: 3, m: 1 }, describe: 'n = 3, m = 1' });
    expect(r.message).toMatch(new RegExp(`^smallest failing case \\(n = 3, m = 1, seed ${t.seed}\\): n: expected 3, got 4`));
    expect(r.seed).toBe(deriveSeed(5, 'b.toy', 0));
  });

  it('does not shrink a passing case', async () => {
    const r = await runTest(grader, grader.tests(5)[0], inProcessHost({ f: (n: number) => n }));
    expect(r).toMatchObject({ status: 'pass', shrunk: null, message: '' });
  });

  it('leaves out a passing test\'s values only when asked (passValues: false), never a failing test\'s', async () => {
    const [t] = grader.tests(5);
    const pass = inProcessHost({ f: (n: number) => n });
    expect(await runTest(grader, t, pass)).toMatchObject({ status: 'pass', expected: 9, actual: 9 });
    expect(await runTest(grader, t, pass, { passValues: false })).toMatchObject({ status: 'pass', expected: null, actual: null });
    const fail = await runTest(grader, t, inProcessHost({ f: (n: number) => (n >= 3 ? n + 1 : n) }), { passValues: false });
    expect(fail).toMatchObject({ status: 'fail', expected: 3, actual: 4 });
  });

  it('titles every test of a random group differently, saying when sizes repeat', () => {
    for (const [id, g] of Object.entries(graders)) {
      for (let seed = 1; seed <= 50; seed++) {
        const groups = new Map<string, string[]>();
        for (const t of g.tests(seed)) {
          if (t.seed === null) continue;
          const group = t.id.replace(/-\d+$/, '');
          groups.set(group, [...(groups.get(group) ?? []), t.title]);
        }
        for (const [group, titles] of groups) expect(new Set(titles).size, `${id} seed ${seed} ${group}`).toBe(titles.length);
      }
    }
    const group = {
      part: 'b' as const, count: 2, min: { n: 1 }, params: () => ({ n: 4 }), title: (p: { n: number }) => `n = ${p.n}`,
      make: (p: { n: number }): Case => ({ fn: 'f', args: [p.n], expected: p.n, check: { kind: 'tensor', name: 'n', dims: [] }, describe: `n = ${p.n}` }),
    };
    const twice = random(3, { ...group, id: 'b.twice', repeat: [1] });
    expect(twice.map((t) => t.title)).toEqual(['n = 4', 'n = 4 — the same sizes again, with new numbers']);
    const alike = random(3, { ...group, id: 'b.alike' });
    expect(alike.map((t) => t.title)).toEqual(['n = 4', 'n = 4 — another draw of these sizes']);
  });

  it('derives different case seeds per run seed, stable per id', () => {
    expect(deriveSeed(1, 'a', 0)).toBe(deriveSeed(1, 'a', 0));
    expect(deriveSeed(1, 'a', 0)).not.toBe(deriveSeed(2, 'a', 0));
    expect(deriveSeed(1, 'a', 0)).not.toBe(deriveSeed(1, 'a', 1));
  });
});

describe('running learner code through a host', () => {
  it('never crashes on throws, missing exports, non-Error throws or async functions', async () => {
    const mod = loadLearner(`
      export function shapes() { throw 'a string'; }
      export async function attention() { return {}; }
    `);
    const r = await grade(g01, inProcessHost(mod), { seed: 1 });
    const first = r.tests.find((t) => t.id === 'a.shapes.two-token')!;
    expect(first).toMatchObject({ status: 'error', message: 'shapes() threw a non-Error value: a string' });
    const b = r.tests.find((t) => t.id === 'b.weights.two-token')!;
    expect(b.status).toBe('fail');
    expect(b.message).toBe('attention() returned a Promise (the function must not be async); expected an object with a field weights');
    expect(executeCall({}, 'attention', [])).toEqual({ kind: 'missing', message: 'your file does not export a function named attention' });
  });

  it('copies arguments, so a learner mutating its inputs cannot change the expected values, and reports the change', async () => {
    const solution = loadLearner(`export function attention(Q, K, V) { const r = { scores: [[0]], weights: [[1]], output: [V[0].slice()] }; Q[0][1] = 1e9; return r; }`);
    const r = await grade(g01, inProcessHost(solution), { seed: 1 });
    const t = r.tests.find((x) => x.id === 'b.output.single-token')!;
    expect(t.status).toBe('fail');
    expect(t.message).toBe('attention() changed its argument Q[0][1] in place (was -1, now 1000000000); the statement says attention() must not change its inputs');
    expect(t.expected).toEqual([[3, -2]]);
    // Without reportArgs the host sends no arguments back (the common, cheaper call).
    expect(executeCall(solution, 'attention', [[[1, 2]], [[1, 2]], [[3]]])).not.toHaveProperty('args');
  });

  it('turns a host timeout into a timeout status and keeps grading', async () => {
    let calls = 0;
    const host: LearnerHost = { call: () => (++calls === 1 ? { kind: 'timeout', ms: 3000 } : executeCall({}, 'x', [])) };
    const r = await grade(g01, host, { seed: 1 });
    expect(r.tests[0]).toMatchObject({ status: 'timeout', message: 'shapes() was stopped after 3000 ms — is there an endless loop?' });
    expect(r.tests.length).toBe(listTests(g01, 1).length + 1);
    expect(timeoutResult(listTests(g01, 1)[0], 500).status).toBe('timeout');
  });

  it('revives function arguments from their lookup tables inside the sandbox', () => {
    const out = executeCall({ f: (m: (i: number, j: number) => boolean) => [m(0, 1), m(1, 0)] }, 'f', [fnArg([[true, false], [true, true]])]);
    expect(out).toEqual({ kind: 'return', value: [false, true] });
  });

  it('assembles partial credit per part and validates against the schema', async () => {
    const r = await grade(g01, inProcessHost(loadLearner(`export function shapes(a, b, c, d) { return { Q: [a, c], K: [b, c], V: [b, d], S: [a, b], A: [a, b], O: [a, d] }; }`)), {
      seed: 3, answers: { c: 'saturate', freeText: 'keeps softmax sensitive' },
    });
    expect(GradeResult.parse(r)).toBeTruthy();
    expect(r.parts.a).toEqual({ points: 2, maxPoints: 2, passed: 5, total: 5 });
    expect(r.parts.b.points).toBe(0);
    expect(r.parts.c.points).toBe(3);
    expect(r.answers.freeText).toBe('keeps softmax sensitive');
    expect(r.total).toEqual({ points: 5, maxPoints: 10 });
  });
});

describe('diagnosis by symptom alone', () => {
  /** Every number in a returned value replaced by NaN (shapes and structure kept). */
  const nanEverywhere = (x: unknown): unknown =>
    typeof x === 'number' ? NaN : Array.isArray(x) ? x.map(nanEverywhere) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, nanEverywhere(v)])) : x;

  it.each(Object.keys(graders))('exercise %s: code that returns NaN everywhere is not told it made a known mistake', async (id) => {
    const solution = loadLearner(readFileSync(solutionPath(id), 'utf8'), 'solution.ts');
    const broken = Object.fromEntries(Object.entries(solution).map(([k, f]) => [k, typeof f === 'function' ? (...a: unknown[]) => nanEverywhere((f as (...a: unknown[]) => unknown)(...a)) : f]));
    for (const seed of [1, 2, 3]) {
      const r = await grade(graders[id], inProcessHost(broken), { seed });
      expect(r.tests.some((t) => t.status === 'fail'), `seed ${seed}`).toBe(true);
      expect(r.diagnoses, `seed ${seed}`).toEqual([]);
    }
  });

  it('keeps a NaN diagnosis when the learner passes the other tests of that function (the real bug)', async () => {
    // Softmax without the max subtracted: right on ordinary logits, all NaN in the output of the huge-logit case.
    const dir = join(exercisesDir, readdirSync(exercisesDir).find((d) => d.startsWith('01-'))!, 'mistakes');
    const mistake = loadLearner(readFileSync(join(dir, 'no-max-subtraction.ts'), 'utf8'), 'no-max-subtraction.ts');
    const r = await grade(g01, inProcessHost(mistake), { seed: 1 });
    const named = r.tests.filter((t) => t.diagnosis).map((t) => t.diagnosis!);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((d) => d.mistake === 'no-max-subtraction' && /reproduces your value on all \d+ failing tests? of attention\(\) and gives the right value/.test(d.evidence ?? ''))).toBe(true);
    expect(r.diagnoses.map((d) => d.mistake)).toEqual(['no-max-subtraction']);
  });
});

describe('part (c)', () => {
  it('passes only the correct choice and explains a wrong one', () => {
    expect(gradeConcept(g01, { c: 'saturate' }).status).toBe('pass');
    const wrong = gradeConcept(g01, { c: 'uniform' });
    expect(wrong.status).toBe('fail');
    expect(wrong.message).toMatch(/larger logits make softmax sharper/);
    expect(gradeConcept(g01, {}).message).toBe('no answer was given for the concept question');
    expect(gradeConcept(g01, { c: 'zzz' }).message).toMatch(/is not one of the choices/);
    const r = assemble(g01, 1, [gradeConcept(g01, { c: 'saturate' })], { c: 'saturate' });
    expect(r.parts.c).toEqual({ points: 3, maxPoints: 3, passed: 1, total: 1 });
  });
});

describe('meta.json schema', () => {
  it('rejects a concept question without exactly one correct choice, and unknown fields', () => {
    const bad = { ...g01.meta, concept: { ...g01.meta.concept, choices: g01.meta.concept.choices.map((c) => ({ ...c, correct: true })) } };
    expect(ExerciseMeta.safeParse(bad).success).toBe(false);
    expect(ExerciseMeta.safeParse({ ...g01.meta, extra: 1 }).success).toBe(false);
    expect(ExerciseMeta.safeParse({ ...g01.meta, slug: '02-x' }).success).toBe(false);
    expect(ExerciseMeta.safeParse(g01.meta).success).toBe(true);
  });
});

describe('allocation probe', () => {
  it('sees the largest array, matrices built from rows, and typed arrays; restores the globals', () => {
    const before = [Array, Float64Array, Array.prototype.map, Array.from];
    const { value, alloc } = withAllocProbe(() => {
      const rows = Array.from({ length: 8 }, () => new Array(8).fill(0)); // an 8×8 matrix
      const small = new Float64Array(10);
      return rows.length + small.length;
    });
    expect(value).toBe(18);
    expect(alloc.peakElements).toBe(64);
    expect(alloc.peakWhat).toMatch(/Array\(8\) of arrays \(64 elements\)/);
    expect([Array, Float64Array, Array.prototype.map, Array.from]).toEqual(before);
    expect(withAllocProbe(() => new Float64Array(100)).alloc.peakElements).toBe(100);
    expect(() => withAllocProbe(() => { throw new Error('x'); })).toThrow('x');
    expect(Array).toBe(before[0]);
  });

  it('counts matrices built by push and rows filled by index later, each array once', () => {
    const pushed = withAllocProbe(() => {
      const S: number[][] = [];
      for (let i = 0; i < 30; i++) {
        const row: number[] = [];
        for (let j = 0; j < 40; j++) row.push(i + j);
        S.push(row);
      }
      return S.length;
    });
    expect(pushed.alloc.peakElements).toBe(1200);
    expect(pushed.alloc.peakWhat).toMatch(/Array\(30\) of arrays \(1200 elements\)/);
    const byIndex = withAllocProbe(() => {
      const S = new Array(10);
      for (let i = 0; i < 10; i++) {
        const row = [] as number[];
        for (let j = 0; j < 25; j++) row[j] = j;
        S[i] = row;
      }
      return 0;
    });
    expect(byIndex.alloc.peakElements).toBe(250);
    // A flat array grown by push counts at its largest, even if emptied before returning.
    expect(withAllocProbe(() => { const a: number[] = []; for (let i = 0; i < 500; i++) a.push(i); a.length = 0; return 0; }).alloc.peakElements).toBe(500);
  });

  it('is linear in the number of pushes (no re-measuring on every push)', () => {
    const t0 = performance.now();
    const { alloc } = withAllocProbe(() => {
      const S: number[][] = [];
      for (let i = 0; i < 400; i++) {
        const row: number[] = [];
        for (let j = 0; j < 400; j++) row.push(j);
        S.push(row);
      }
      const flat: number[] = [];
      for (let i = 0; i < 200_000; i++) flat.push(i);
      return S.length + flat.length;
    });
    expect(alloc.peakElements).toBe(200_000);
    expect(performance.now() - t0).toBeLessThan(2000); // quadratic re-measuring took minutes here
  });
});

describe("the syllabus's worked numbers equal the engine", () => {
  it('worked example 1 (unscaled, one query, three keys): α = (e, 1, e)/(2e+1), o = (15e, 10+5e)/(2e+1)', () => {
    const e = Math.E;
    const r = attention2d([[1, 0]], [[1, 0], [0, 1], [1, 1]], [[10, 0], [0, 10], [5, 5]], { scale: 1 });
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 12));
    close(r.weights[0], [e / (2 * e + 1), 1 / (2 * e + 1), e / (2 * e + 1)]);
    close(r.output[0], [(15 * e) / (2 * e + 1), (10 + 5 * e) / (2 * e + 1)]);
  });

  it('worked example 3 (causal mask): row 1 of softmax(S + M) is (e^-3, 1, 0)/(1 + e^-3)', () => {
    const w = softmax([0, 3, -Infinity]);
    const d = 1 + Math.exp(-3);
    expect(w[0]).toBeCloseTo(Math.exp(-3) / d, 14);
    expect(w[1]).toBeCloseTo(1 / d, 14);
    expect(w[2]).toBe(0);
  });

  it("exercise 03's example rows have entropies 0, ln 4, ln 2", async () => {
    const sol = loadLearner(`export function rowEntropy(A) { return A.map((r) => r.reduce((h, w) => (w > 0 ? h - w * Math.log(w) : h), 0)); }`);
    const r = await runTest(graders['03'], graders['03'].tests(1).find((t) => t.id === 'b.entropy.example')!, inProcessHost(sol));
    expect(r.status).toBe('pass');
    expect(r.expected).toEqual([0, Math.log(4), Math.log(2)]);
  });
});

describe('fast-check params and shrinking through the host', () => {
  const toyCase = (p: { n: number; m: number }): Case => ({ fn: 'f', args: [p.n, p.m], expected: p.n, check: { kind: 'tensor', name: 'n', dims: [] }, describe: `n = ${p.n}, m = ${p.m}` });
  const toy = (seed: number) =>
    random<{ n: number; m: number }>(seed, {
      id: 'b.toy', part: 'b', count: 3, repeat: [2],
      params: () => ({ n: 9, m: 1 }), min: { n: 0, m: 1 },
      title: (p) => `toy case n = ${p.n}`,
      make: toyCase,
    });

  it('samples params reproducibly from the case seed, and `repeat` copies the previous params with a new seed', () => {
    const a = random<{ T: number }>(4, { id: 'b.r', part: 'b', count: 3, repeat: [2], arb: () => fc.record({ T: fc.integer({ min: 1, max: 50 }) }), title: () => 'a random case', make: () => toyCase({ n: 1, m: 1 }) });
    const b = random<{ T: number }>(4, { id: 'b.r', part: 'b', count: 3, repeat: [2], arb: () => fc.record({ T: fc.integer({ min: 1, max: 50 }) }), title: () => 'a random case', make: () => toyCase({ n: 1, m: 1 }) });
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    expect(a[2].params).toEqual(a[1].params);
    expect(a[2].seed).not.toBe(a[1].seed);
  });

  it('evaluates one shrink step in one callMany exchange; the first failing candidate in stream order wins', async () => {
    const wrong = (n: number) => n >= 5; // fast-check shrinks 9 towards 0 as 0, 5, 7, 8: the first failing one is 5
    const exchanges: number[] = [];
    const host: LearnerHost = {
      call: (fn, args) => ({ kind: 'return', value: wrong(args[0] as number) ? (args[0] as number) + 1 : args[0] }),
      callMany: async (calls) => {
        exchanges.push(calls.length);
        return calls.map((c) => ({ kind: 'return', value: wrong(c.args[0] as number) ? (c.args[0] as number) + 1 : c.args[0] }));
      },
    };
    const grader: Grader = { meta: g01.meta, mistakes: [], tests: toy };
    const r = await runTest(grader, grader.tests(1)[0], host);
    expect(r.shrunk?.params).toEqual({ n: 5, m: 1 });
    // From 9: one exchange for the whole step; from 5 fast-check's context skips 0 (already tried): 3, 4 pass.
    expect(exchanges).toEqual([4, 2]);
    expect(r.message.match(/smallest failing case/g)).toHaveLength(1);
    expect(r.inputs).toEqual({ arg0: 5, arg1: 1 });
  });
});

describe('diagnosis precision across all tests of a function', () => {
  const dir = join(exercisesDir, readdirSync(exercisesDir).find((d) => d.startsWith('01-'))!);
  const load = (f: string) => loadLearner(readFileSync(join(dir, f), 'utf8'), f);
  const solution = load('solution.ts');
  const missingScale = load('mistakes/missing-scale.ts');
  const attn = (m: Record<string, unknown>) => m.attention as (Q: number[][], K: number[][], V: number[][]) => Record<string, unknown>;

  it('names no mistake that a passed test contradicts, and says which test', async () => {
    // Missing the scale only when there are several queries: the single-query tests pass, where the mistake fails.
    const learner = { ...solution, attention: (Q: number[][], K: number[][], V: number[][]) => (Q.length > 1 ? attn(missingScale) : attn(solution))(Q, K, V) };
    const r = await grade(g01, inProcessHost(learner), { seed: 1 });
    expect(r.tests.some((t) => t.status === 'fail')).toBe(true);
    expect(r.diagnoses).toEqual([]);
    expect(r.undiagnosed).toHaveLength(1);
    expect(r.undiagnosed![0].message).toMatch(/^no known mistake matches attention\(\): the closest \("your scores match QKᵀ without the 1\/√d_k factor"\) reproduces every failing test, but it would also fail b\.\w+\.[\w-]+, which your code passes$/);
  });

  it('names no mistake that reproduces only some failing tests, with the count as evidence', async () => {
    const learner = { ...solution, attention: (Q: number[][], K: number[][], V: number[][]) => ({ ...attn(missingScale)(Q, K, V), output: V.map(() => V[0].map(() => 0)) }) };
    const r = await grade(g01, inProcessHost(learner), { seed: 1 });
    expect(r.diagnoses).toEqual([]);
    expect(r.undiagnosed![0].message).toMatch(/the closest \("your scores match QKᵀ without the 1\/√d_k factor"\) reproduces \d+ of \d+ failing tests, but not b\.output\./);
  });

  it('gives a runnable call for a failing test: pasting it reproduces the case', async () => {
    const r = await grade(g01, inProcessHost(missingScale), { seed: 1 });
    const t = r.tests.find((x) => x.id === 'b.weights.two-token')!;
    expect(t.inputs).toEqual({ Q: [[1, 2], [0, 1]], K: [[1, 0], [1, 1]], V: [[1, 0], [0, 2]] });
    let logged: unknown;
    new Function('attention', 'console', t.call!)(attn(solution), { log: (x: unknown) => (logged = x) });
    expect(logged).toEqual(t.expected);
  });
});

describe('memoBySize', () => {
  it('builds once per distinct sizes and gives back the same result; drops the oldest past its limit', () => {
    const built: string[] = [];
    const f = memoBySize((a: number, b: number) => {
      built.push(`${a},${b}`);
      return { sum: a + b };
    });
    const first = f(1, 2);
    expect(f(1, 2)).toBe(first);
    expect(f(12, 3)).toEqual({ sum: 15 });
    expect(f(1, 23)).toEqual({ sum: 24 }); // "1,23" ≠ "12,3": the key separates arguments
    expect(built).toEqual(['1,2', '12,3', '1,23']);
    for (let i = 0; i < MEMO_LIMIT; i++) f(100, i);
    expect(f(1, 2)).not.toBe(first); // the oldest entry was dropped and is built again
    expect(f(1, 2)).toEqual(first);
  });
});
