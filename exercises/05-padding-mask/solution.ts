// Exercise 05 — reference solution.

/** Part (a): broadcast shapes of the padding mask, the causal mask, both combined, and the scores. */
export function maskShapes(B: number, H: number, T: number): PaddingMaskShapes {
  return { padding: [B, 1, 1, T], causal: [1, 1, T, T], combined: [B, 1, T, T], scores: [B, H, T, T] };
}

/** Part (b): the (B, 1, 1, T) keep-mask: 1 where key j of sequence b is a real token (j < lengths[b]), else 0. */
export function paddingMask(lengths: number[], T: number): number[][][][] {
  const mask: number[][][][] = [];
  for (let b = 0; b < lengths.length; b++) {
    const row: number[] = [];
    for (let j = 0; j < T; j++) row.push(j < lengths[b] ? 1 : 0);
    mask.push([[row]]);
  }
  return mask;
}

/** Part (b): self-attention of each sequence over its real keys only. Q, K are (B, T, d_k), V is (B, T, d_v). */
export function maskedAttention(Q: SequenceBatch, K: SequenceBatch, V: SequenceBatch, lengths: number[]): PaddedAttentionResult {
  const T = K[0].length;
  const mask = paddingMask(lengths, T);
  const weights: SequenceBatch = [];
  const output: SequenceBatch = [];
  for (let b = 0; b < Q.length; b++) {
    const keep = mask[b][0][0];
    const dK = Q[b][0].length;
    const dV = V[b][0].length;
    const A: Matrix = [];
    const O: Matrix = [];
    for (let i = 0; i < Q[b].length; i++) {
      // Scores with the additive mask: 0 for real keys, −∞ for pads.
      const s: number[] = [];
      for (let j = 0; j < T; j++) {
        let dot = 0;
        for (let c = 0; c < dK; c++) dot += Q[b][i][c] * K[b][j][c];
        s.push(keep[j] === 1 ? dot / Math.sqrt(dK) : -Infinity);
      }
      const max = Math.max(...s);
      const e = s.map((x) => Math.exp(x - max));
      const sum = e.reduce((a, x) => a + x, 0);
      const w = e.map((x) => x / sum);
      const o = new Array<number>(dV).fill(0);
      // A pad key's weight is exactly 0 and its value finite, so it adds nothing.
      for (let j = 0; j < T; j++) for (let c = 0; c < dV; c++) o[c] += w[j] * V[b][j][c];
      A.push(w);
      O.push(o);
    }
    weights.push(A);
    output.push(O);
  }
  return { weights, output };
}
