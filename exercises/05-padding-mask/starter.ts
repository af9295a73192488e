// Exercise 05 — a padding mask for a ragged batch. Fill in the three functions; the grader calls them.

/** Part (a): broadcast shapes of the padding mask, the causal mask, both combined, and the scores. */
export function maskShapes(B: number, H: number, T: number): PaddingMaskShapes {
  throw new Error('Implement maskShapes() — see part (a)');
}

/** Part (b): the (B, 1, 1, T) keep-mask: 1 where key j of sequence b is a real token, else 0. */
export function paddingMask(lengths: number[], T: number): number[][][][] {
  throw new Error('Implement paddingMask() — see part (b)');
}

/** Part (b): self-attention of each sequence over its real keys only. Q, K are (B, T, d_k), V is (B, T, d_v). */
export function maskedAttention(Q: SequenceBatch, K: SequenceBatch, V: SequenceBatch, lengths: number[]): PaddedAttentionResult {
  throw new Error('Implement maskedAttention() — see part (b)');
}
