// Exercise 07 — ALiBi. Fill in the four functions; the grader calls them.

/** Part (a): shapes of the slopes, the bias, S, A and O for H heads, Tq queries, Tk keys and widths dK, dV. */
export function shapes(H: number, Tq: number, Tk: number, dK: number, dV: number): AlibiShapes {
  throw new Error('Implement shapes() — see part (a)');
}

/** Part (b): one slope per head (any H ≥ 1, not only powers of two). */
export function alibiSlopes(H: number): number[] {
  throw new Error('Implement alibiSlopes() — see part (b)');
}

/** Part (b): the (H, Tq, Tk) distance bias; the queries are the last Tq of the Tk positions. */
export function alibiBias(H: number, Tq: number, Tk: number): number[][][] {
  throw new Error('Implement alibiBias() — see part (b)');
}

/** Part (b): causal attention with the ALiBi bias. Q is (H, Tq, d_k), K is (H, Tk, d_k), V is (H, Tk, d_v). */
export function attentionWithAlibi(Q: number[][][], K: number[][][], V: number[][][]): AlibiAttentionResult {
  throw new Error('Implement attentionWithAlibi() — see part (b)');
}
