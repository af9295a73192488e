// Types for exercise 02 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 02: shapes in a batched multi-head layer. */
interface CausalShapes {
  /** Scores, (B, H, Tq, Tk). */
  S: Shape4;
  /** The causal mask in its smallest broadcastable shape, (1, 1, Tq, Tk). */
  M: Shape4;
  /** Weights, (B, H, Tq, Tk). */
  A: Shape4;
}
