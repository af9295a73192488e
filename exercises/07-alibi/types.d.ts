// Types for exercise 07 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 07: the shapes of ALiBi attention for h heads (no batch axis). */
interface AlibiShapes {
  /** One slope per head, (h). */
  slopes: Shape1;
  /** The distance bias, (h, Tq, Tk). */
  bias: Shape3;
  /** Scores with the bias and the causal mask, (h, Tq, Tk). */
  S: Shape3;
  /** Weights, (h, Tq, Tk). */
  A: Shape3;
  /** Outputs, (h, Tq, d_v). */
  O: Shape3;
}

/** What `attentionWithAlibi` returns: one matrix per head, head index first. */
interface AlibiAttentionResult {
  /** (h, Tq, Tk); hidden (future) scores are −∞. */
  scores: number[][][];
  /** (h, Tq, Tk); hidden weights exactly 0. */
  weights: number[][][];
  /** (h, Tq, d_v). */
  output: number[][][];
}
