// Exercise 08 — prefill versus decode. Fill in the functions; the grader calls them.

/** Part (a): shapes of prefill over P prompt tokens and of the decode step that follows it. */
export function decodeShapes(B: number, heads: number, kvHeads: number, P: number, headDim: number): DecodePhaseShapes {
  throw new Error('Implement decodeShapes() — see part (a)');
}

/** Part (b): FLOPs and bytes of prefilling a prompt of c.seqLen tokens. */
export function prefillCost(c: PhaseCostInput): PhaseCost {
  throw new Error('Implement prefillCost() — see part (b)');
}

/** Part (b): FLOPs and bytes of one decode step with c.seqLen tokens in context (the new one included). */
export function decodeStepCost(c: PhaseCostInput): PhaseCost {
  throw new Error('Implement decodeStepCost() — see part (b)');
}

/** Part (b): one decode step of one head: attend q to the cached keys plus the new key, and return the grown cache. */
export function decodeStep(q: Vector, kNew: Vector, vNew: Vector, cache: DecodeCache): DecodeStepOutput {
  throw new Error('Implement decodeStep() — see part (b)');
}

/** Part (b): prefill the cache with the first P positions, then decode positions P … T−1; return their outputs. */
export function generateWithCache(Q: Matrix, K: Matrix, V: Matrix, P: number): Matrix {
  throw new Error('Implement generateWithCache() — see part (b)');
}
