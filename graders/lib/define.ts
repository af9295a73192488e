// The vocabulary an exercise grader is written in: cases, tests (fixed or seeded random), mistakes.
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
  /** Arguments the learner must leave unchanged (by index, with the name used in messages), checked after the call. */
  unchangedArgs?: { index: number; name: string }[];
  /** A further rule on the (already correct) value or its allocation report: a failure message, or null. */
  extra?: (value: unknown, alloc: { peakElements: number; peakWhat: string } | null) => string | null;
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
  /** When present, a failing case is shrunk towards these minimum dimensions. */
  shrink?: { min: Partial<P>; valid?: (p: P) => boolean };
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

/**
 * `count` seeded random tests "<id>-1" … "<id>-count". `params(rng, k)` picks the dimensions (use k to force edge
 * shapes, e.g. k = 0 → T = 1); `make(params, seed)` must draw every number from `createRng(seed)` so that shrinking
 * can re-generate the case with smaller dimensions from the same seed.
 */
export function random<P extends Params>(
  runSeed: number,
  t: {
    id: string;
    part: 'a' | 'b';
    count: number;
    title: (p: P) => string;
    params: (rng: Rng, k: number) => P;
    make: (p: P, seed: number) => Case;
    min: Partial<P>;
    valid?: (p: P) => boolean;
  },
): TestDef[] {
  const out: TestDef[] = [];
  for (let k = 0; k < t.count; k++) {
    const seed = deriveSeed(runSeed, t.id, k);
    const params = t.params(createRng(seed ^ 0x5bd1e995), k);
    out.push({
      id: `${t.id}-${k + 1}`,
      part: t.part,
      title: t.title(params),
      seed,
      params,
      make: t.make as (p: Params, seed: number) => Case,
      shrink: { min: t.min as Partial<Params>, valid: t.valid as ((p: Params) => boolean) | undefined },
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
