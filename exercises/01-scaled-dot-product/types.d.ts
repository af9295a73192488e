// Types for exercise 01 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 01: the shape of every matrix of one attention head. */
interface AttentionShapes {
  /** Queries, (Tq, d_k). */
  Q: Shape2;
  /** Keys, (Tk, d_k). */
  K: Shape2;
  /** Values, (Tk, d_v). */
  V: Shape2;
  /** Scores QKᵀ/√d_k, (Tq, Tk). */
  S: Shape2;
  /** Weights softmax_row(S), (Tq, Tk). */
  A: Shape2;
  /** Output AV, (Tq, d_v). */
  O: Shape2;
}
