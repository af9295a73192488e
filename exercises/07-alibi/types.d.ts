// Types for exercise 07 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 07: the shapes of ALiBi attention for H heads (no batch axis). */
interface AlibiShapes {
  /** One slope per head, (H). */
  slopes: Shape1;
  /** The distance bias, (H, Tq, Tk). */
  bias: Shape3;
  /** Scores with the bias and the causal mask, (H, Tq, Tk). */
  S: Shape3;
  /** Weights, (H, Tq, Tk). */
  A: Shape3;
  /** Outputs, (H, Tq, d_v). */
  O: Shape3;
}

/** What `attentionWithAlibi` returns: one matrix per head, head index first. */
interface AlibiAttentionResult {
  /** (H, Tq, Tk); hidden (future) scores are −∞. */
  scores: number[][][];
  /** (H, Tq, Tk); hidden weights exactly 0. */
  weights: number[][][];
  /** (H, Tq, d_v). */
  output: number[][][];
}
