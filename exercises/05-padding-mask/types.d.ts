// Types for exercise 05 (global, loaded next to learner.d.ts).

/** One matrix per sequence of a batch: `x[b][t][c]` is sequence b, token t, column c. */
type SequenceBatch = number[][][];

/** Part (a) of exercise 05: the broadcast shapes of the masks of a batched multi-head layer. */
interface PaddingMaskShapes {
  /** The padding keep-mask in its smallest broadcastable shape, (B, 1, 1, T). */
  padding: Shape4;
  /** The causal mask in its smallest broadcastable shape, (1, 1, T, T). */
  causal: Shape4;
  /** Padding AND causal, broadcast together, (B, 1, T, T). */
  combined: Shape4;
  /** The scores the masks apply to, (B, H, T, T). */
  scores: Shape4;
}

/** What `maskedAttention` returns. */
interface PaddedAttentionResult {
  /** Weights of every sequence, (B, T, T); padded keys exactly 0. */
  weights: SequenceBatch;
  /** Outputs of every sequence, (B, T, d_v). */
  output: SequenceBatch;
}
