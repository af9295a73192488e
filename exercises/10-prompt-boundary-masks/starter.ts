// Exercise 10 — a mask test for prompt-boundary safety. Fill in the functions; the grader calls them.

/** Part (a): shapes of the mask of this layout, of the masks of a batch of B such layouts, and of the scores. */
export function maskShapes(B: number, H: number, segments: PromptSegment[]): BoundaryMaskShapes {
  throw new Error('Implement maskShapes() — see part (a)');
}

/** Part (b): the T×T keep-mask (1 visible, 0 hidden) that the rules allow for this layout. */
export function allowedMask(segments: PromptSegment[], rules?: BoundaryRules): Matrix {
  throw new Error('Implement allowedMask() — see part (b)');
}

/** Part (b): every (query, key) pair the mask shows but the rules forbid, sorted by query, then key. */
export function findViolations(mask: VisibilityMask, segments: PromptSegment[], rules?: BoundaryRules): BoundaryViolation[] {
  throw new Error('Implement findViolations() — see part (b)');
}
