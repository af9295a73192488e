// Types for exercise 10 (global, loaded next to learner.d.ts).

/** Who a token belongs to; 'pad' marks padding. */
type PromptRole = 'system' | 'user' | 'tool' | 'assistant' | 'pad';

/** One segment of a prompt: positions start … end − 1 all have this role. Neighbouring segments differ in role. */
interface PromptSegment {
  role: PromptRole;
  start: number;
  /** Exclusive. */
  end: number;
}

/** Overrides of the default visibility rules (each field replaces the default of the same name). */
interface BoundaryRules {
  /** Only keys at or before the query's position are visible (j ≤ i). Default true. */
  causal?: boolean;
  /** For a query role, the key roles it may see; roles not listed here keep their default. */
  sees?: Partial<Record<PromptRole, PromptRole[]>>;
  /** Roles whose tokens see, among tokens of their own role, only their own segment. Default ['tool']. */
  isolate?: PromptRole[];
}

/** Why a visible (query, key) pair is forbidden, checked in this order. */
type LeakReason = 'pad' | 'future' | 'role' | 'segment';

/** One forbidden pair that the mask lets through: [query position, key position, reason]. */
type BoundaryViolation = [query: number, key: number, reason: LeakReason];

/** A T×T keep-mask (nonzero = visible) or a function telling whether query i sees key j. */
type VisibilityMask = Matrix | ((query: number, key: number) => boolean);

/** Part (a) of exercise 10: the shapes of the boundary mask alone, broadcast over a batch, and of the scores. */
interface BoundaryMaskShapes {
  /** The mask of one layout, (T, T). */
  mask: Shape2;
  /** The masks of a batch, one layout per sequence, shared by all heads: (B, 1, T, T). */
  batched: Shape4;
  /** The scores they are applied to, (B, H, T, T). */
  scores: Shape4;
}
