// The one result format every runner produces (in-process, browser worker, CLI, batch grader).
// Versioned so stored results and submissions can be read back by later graders.
import { z } from 'zod';

/** Current version of the result schema; bump on any incompatible change. */
export const RESULT_SCHEMA_VERSION = 1 as const;

/** The three graded parts: (a) shapes, (b) numbers, (c) the LLM consequence. */
export const PartId = z.enum(['a', 'b', 'c']);
export type PartId = z.infer<typeof PartId>;

/** pass / fail (wrong value) / error (threw, missing export, bad value type) / timeout (stopped by the runner). */
export const TestStatus = z.enum(['pass', 'fail', 'error', 'timeout']);
export type TestStatus = z.infer<typeof TestStatus>;

/** JSON-safe excerpt of a value: numbers that JSON cannot hold appear as the strings "NaN", "Infinity", "-Infinity". */
export const Excerpt = z.unknown();

/** A known mistake recognised in the learner's answer. */
export const Diagnosis = z.object({
  /** File name of the mistake without extension, e.g. "mask-after-softmax". */
  mistake: z.string(),
  /** Lesson section to revisit, e.g. "2.5". */
  section: z.string(),
  /** Sentence for the learner, e.g. "your weights match applying the mask after softmax — see 2.5". */
  message: z.string(),
  /** Other known mistakes that produce the same value on this case (the case cannot tell them apart). */
  alsoMatches: z.array(z.string()),
  /** Written by graders before version 2 of the diagnosis rule (a match by symptom alone); no longer produced. */
  symptomOnly: z.boolean().optional(),
  /** Why this mistake is named: on how many failing tests it reproduces the learner's value, and that no passed test contradicts it. */
  evidence: z.string().optional(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

/** Where the largest error sits (index into the compared value) and the two numbers there. */
export const Worst = z.object({
  index: z.array(z.number().int()),
  expected: Excerpt,
  actual: Excerpt,
  diff: z.number().nullable(),
});

/** One test: one call of one learner function on one case, one compared value (or the part (c) answer). */
export const TestResult = z.object({
  /** Stable across runs and seeds, e.g. "b.weights.random-3". */
  id: z.string(),
  part: PartId,
  /** A sentence a learner can read: "weights for a 3-token causal sequence". */
  title: z.string(),
  /** The learner's export the test calls (absent for part (c) and for tests that did not run). */
  fn: z.string().optional(),
  status: TestStatus,
  /** Why it failed (empty on pass). */
  message: z.string(),
  expected: Excerpt.nullable(),
  actual: Excerpt.nullable(),
  worst: Worst.nullable(),
  /** Hidden (masked) positions that received a nonzero weight, as indices. */
  leaks: z.array(z.array(z.number().int())),
  diagnosis: Diagnosis.nullable(),
  /** Seed of the random case (null for fixed cases). */
  seed: z.number().int().nullable(),
  /** When a random case failed: the smallest failing case found by shrinking (its excerpts replace the original's). */
  shrunk: z.object({ params: z.record(z.string(), z.number()), describe: z.string() }).nullable(),
  /** Peak allocation seen during the learner call, when the test probes it. */
  alloc: z.object({ peakElements: z.number(), peakWhat: z.string() }).nullable(),
  durationMs: z.number().nonnegative(),
  /** Failing tests: names of the known mistakes that reproduce the learner's value on this test's failing case(s). */
  matches: z.array(z.string()).optional(),
  /** Failing tests: the arguments of the reported case by name (Q, K, V, masks, sizes), big tensors truncated. */
  inputs: z.record(z.string(), Excerpt).optional(),
  /** Failing tests: runnable TypeScript that makes the reported call ("copy as code"); absent when too large. */
  call: z.string().optional(),
});
export type TestResult = z.infer<typeof TestResult>;

/** Points of one part. */
export const PartScore = z.object({
  points: z.number().nonnegative(),
  maxPoints: z.number().nonnegative(),
  passed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type PartScore = z.infer<typeof PartScore>;

/** The graded result of one exercise for one learner file. */
export const GradeResult = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  exerciseId: z.string(),
  graderVersion: z.string(),
  engineVersion: z.string().nullable(),
  /** Run seed: the random cases are a pure function of (exercise, seed). */
  seed: z.number().int(),
  parts: z.object({ a: PartScore, b: PartScore, c: PartScore }),
  total: z.object({ points: z.number().nonnegative(), maxPoints: z.number().nonnegative() }),
  tests: z.array(TestResult),
  /** What the learner answered for part (c); the free text is kept for the instructor, not graded. */
  answers: z.object({ c: z.string().nullable(), freeText: z.string().nullable() }),
  /** Diagnosed mistakes over all tests, most frequent first. */
  diagnoses: z.array(z.object({ mistake: z.string(), section: z.string(), count: z.number().int().positive() })),
  allPassed: z.boolean(),
  /**
   * Functions with failing tests that no known mistake explains, with the evidence: which mistake came closest
   * and the test it does not reproduce (or a passed test it would fail).
   */
  undiagnosed: z.array(z.object({ fn: z.string(), message: z.string() })).optional(),
});
export type GradeResult = z.infer<typeof GradeResult>;

/** Answers for part (c) passed to the grader: the chosen concept option id and the free-text answer. */
export interface Answers {
  c?: string;
  freeText?: string;
}
