// The vocabulary an exercise grader is written in: cases, tests (fixed or seeded random), mistakes.
import fc from 'fast-check';
import { createRng, type Rng } from '../../src/engine/index';
import type { Check } from './compare';
import type { LearnerModule } from './host';
import type { ExerciseMeta } from './meta';

/** Size parameters of a case (dimensions); shrinking lowers them. */
export type Params = Record<string, number>;

/** One concrete call of a learner function and how to check what it returns. */
export interface Case {
  /** Exported function to call. */
  fn: string;
  /** Plain-data arguments (copied before the call). */
  args: unknown[];
  /** When the function returns an object, the property this test checks (e.g. "weights"). */
  field?: string;
  /** The reference value, computed by the engine (never typed in by hand). */
  expected: unknown;
  check: Check;
  /** The case's size in words for messages, e.g. "Tq = 2, Tk = 3, d_k = 4". */
  describe: string;
  /** Record the peak allocation of the call (exercise 09); `extra` can then judge it. */
  probeAlloc?: boolean;
  /** A further rule on the (already correct) value or its allocation report: a failure message, or null. */
  extra?: (value: unknown, alloc: { peakElements: number; peakWhat: string } | null) => string | null;
  /**
   * Names of the arguments (e.g. ['Q', 'K', 'V']) when the statement says the function must not change them: the
   * host reports the arguments after the call and any change fails the test.
   */
  readOnly?: string[];
  /** Names of all arguments, for the learner's "inputs" excerpt and the runnable call (defaults to arg0, arg1 …). */
  argNames?: string[];
}

/** One test: a stable id, a sentence for the learner, and how to build its case. */
export interface TestDef<P extends Params = Params> {
  /** Stable id, e.g. "b.weights.fixed-two-token" or "b.weights.random-3". */
  id: string;
  part: 'a' | 'b';
  /** A sentence a learner can read: "weights for a 3-token causal sequence". */
  title: string;
  /** Seed the case's numbers come from (null for fixed cases). */
  seed: number | null;
  params: P;
  /** Builds the case for `params`; must be a pure function of (params, seed). */
  make(params: P, seed: number): Case;
  /** When present, a failing case is shrunk: fast-check's shrink stream of the params' arbitrary gives the candidates. */
  shrink?: Shrinker<P>;
}

/** Candidate smaller params one shrink step away from `p`, most promising first (fast-check's shrink order). */
export interface Shrinker<P extends Params = Params> {
  candidates(p: P): Iterable<P>;
}

/**
 * A shrinker over a fast-check arbitrary. fast-check shrinks a value best with the context it generated it with;
 * values from the stream keep theirs here, the first value shrinks without one (records and integers support that).
 */
export function arbShrinker<P extends Params>(arb: fc.Arbitrary<P>): Shrinker<P> {
  const contexts = new WeakMap<P, unknown>();
  return {
    *candidates(p) {
      for (const v of arb.shrink(p, contexts.get(p))) {
        const value = v.value;
        contexts.set(value, v.context);
        yield value;
      }
    },
  };
}

/**
 * A shrinker whose arbitrary is built on its first use: building fast-check arbitraries for every random test of
 * every seed cost about a sixth of grading a passing file (03: ~0.1 ms a grade), and only failing tests shrink.
 */
function lazyShrinker<P extends Params>(arb: () => fc.Arbitrary<P>): Shrinker<P> {
  let inner: Shrinker<P> | null = null;
  return { candidates: (p) => (inner ??= arbShrinker(arb())).candidates(p) };
}

/**
 * The arbitrary that shrinks params chosen by hand (`params(rng, k)`): each dimension is an integer from its
 * minimum up to the chosen value, and `valid` filters candidates.
 */
function boundedParams<P extends Params>(p: P, min: Partial<P>, valid?: (p: P) => boolean): fc.Arbitrary<P> {
  const fields: Record<string, fc.Arbitrary<number>> = {};
  for (const [k, v] of Object.entries(p)) {
    const lo = min[k];
    fields[k] = lo === undefined || lo >= v ? fc.constant(v) : fc.integer({ min: lo, max: v });
  }
  const arb = fc.record(fields) as unknown as fc.Arbitrary<P>;
  return valid ? arb.filter(valid) : arb;
}

/** A known-wrong variant of the solution, run to recognise the same bug in a learner's answer. */
export interface MistakeDef {
  /** The file name in mistakes/ without ".ts". */
  name: string;
  module: LearnerModule;
  /** Lesson section that explains the fix, e.g. "2.5". */
  section: string;
  /** What the match means, phrased for the learner: "your weights match applying the mask after softmax". */
  message: string;
}

/** Everything a runner needs to grade one exercise. */
export interface Grader {
  meta: ExerciseMeta;
  mistakes: MistakeDef[];
  /** The tests for a run seed, in a fixed order; random cases derive their seeds from it. */
  tests(seed: number): TestDef[];
}

/** A fixed case: the same numbers on every seed (worked examples, large-logit cases, edge shapes). */
export function fixed(t: { id: string; part: 'a' | 'b'; title: string; make: () => Case }): TestDef {
  return { id: t.id, part: t.part, title: t.title, seed: null, params: {}, make: () => t.make() };
}

/** Mixes the run seed, a test id and an index into a 32-bit case seed (FNV-1a), stable on every platform. */
export function deriveSeed(runSeed: number, id: string, k: number): number {
  let h = 0x811c9dc5 ^ (runSeed >>> 0);
  const s = `${id}#${k}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (runSeed >>> 16), 0x01000193);
  return h >>> 0;
}

/** How a random test picks its params: a fast-check arbitrary (preferred), or by hand with minimums to shrink to. */
export type ParamSource<P extends Params> =
  | { arb: (k: number) => fc.Arbitrary<P> }
  | { params: (rng: Rng, k: number) => P; min: Partial<P>; valid?: (p: P) => boolean };

/**
 * `count` seeded random tests "<id>-1" … "<id>-count". The params (dimensions and regime switches) come from
 * `arb(k)` sampled with the case seed (use k to force edge shapes, e.g. k = 0 → T = 1); `make(params, seed)` must
 * draw every number from `createRng(seed)`, so that shrinking can re-generate the case with smaller params from the
 * same seed. `repeat` lists test indices k whose params copy those of test k − 1 with new numbers: code that caches
 * its last result by input size fails them.
 */
export function random<P extends Params>(
  runSeed: number,
  t: {
    id: string;
    part: 'a' | 'b';
    count: number;
    title: (p: P) => string;
    make: (p: P, seed: number) => Case;
    repeat?: number[];
  } & ParamSource<P>,
): TestDef[] {
  const out: TestDef[] = [];
  const titles = new Set<string>();
  let prev: P | null = null;
  for (let k = 0; k < t.count; k++) {
    const seed = deriveSeed(runSeed, t.id, k);
    let params: P;
    let shrink: Shrinker<P>;
    if ('arb' in t) {
      const arb = t.arb(k);
      params = prev && t.repeat?.includes(k) ? prev : fc.sample(arb, { seed: seed ^ 0x5bd1e995, numRuns: 1 })[0];
      shrink = arbShrinker(arb);
    } else {
      params = prev && t.repeat?.includes(k) ? prev : t.params(createRng(seed ^ 0x5bd1e995), k);
      const chosen = params;
      shrink = lazyShrinker(() => boundedParams(chosen, t.min, t.valid));
    }
    const repeated = prev === params;
    prev = params;
    // Two tests of a group may share their sizes (a repeat on purpose, or two draws alike): the title says which.
    let title = t.title(params);
    if (titles.has(title)) title += repeated ? ' — the same sizes again, with new numbers' : ' — another draw of these sizes';
    titles.add(title);
    out.push({
      id: `${t.id}-${k + 1}`,
      part: t.part,
      title,
      seed,
      params,
      make: t.make as (p: Params, seed: number) => Case,
      shrink: shrink as unknown as Shrinker,
    });
  }
  return out;
}

/** Formats params as "Tq = 2, Tk = 3, d_k = 4" (keys are written as given). */
export function describeParams(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}
