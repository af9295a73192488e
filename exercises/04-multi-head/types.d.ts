// Types for exercise 04 (global, loaded next to learner.d.ts).

/** A stack of matrices, one per head: `x[h][t][c]` is head h, token t, column c — e.g. (H, T, d_h). */
type HeadStack = number[][][];

/** Part (a) of exercise 04: the shapes inside one multi-head self-attention layer (no batch axis). */
interface MultiHeadShapes {
  /** Queries before the split, X·W_Q: (T, d_model). */
  Q: Shape2;
  /** Queries after the split: (H, T, d_h). */
  Qh: Shape3;
  /** Scores of every head: (H, T, T). */
  S: Shape3;
  /** Per-head outputs A·V: (H, T, d_h). */
  Oh: Shape3;
  /** Heads merged back side by side: (T, H·d_h). */
  concat: Shape2;
  /** Output projection: (H·d_h, d_model). */
  Wo: Shape2;
  /** Layer output: (T, d_model). */
  output: Shape2;
}

/** What `multiHeadForward` returns. */
interface MultiHeadForward {
  /** Softmax weights of every head, (H, T, T). */
  weights: HeadStack;
  /** Per-head outputs before merging, (H, T, d_h). */
  heads: HeadStack;
  /** The layer output merge(heads)·W_O, (T, d_model). */
  output: Matrix;
}
