// Exercise 07 — ALiBi. Fill in the four functions; the grader calls them.

/** Part (a): shapes of the slopes, the bias, S, A and O for h heads, Tq queries, Tk keys and widths dK, dV. */
export function shapes(h: number, Tq: number, Tk: number, dK: number, dV: number): AlibiShapes {
  throw new Error('Implement shapes() — see part (a)');
}

/** Part (b): one slope per head (any h ≥ 1, not only powers of two). */
export function alibiSlopes(h: number): number[] {
  throw new Error('Implement alibiSlopes() — see part (b)');
}

/** Part (b): the (h, Tq, Tk) distance bias; the queries are the last Tq of the Tk positions. */
export function alibiBias(h: number, Tq: number, Tk: number): number[][][] {
  throw new Error('Implement alibiBias() — see part (b)');
}

/** Part (b): causal attention with the ALiBi bias. Q is (h, Tq, d_k), K is (h, Tk, d_k), V is (h, Tk, d_v). */
export function attentionWithAlibi(Q: number[][][], K: number[][][], V: number[][][]): AlibiAttentionResult {
  throw new Error('Implement attentionWithAlibi() — see part (b)');
}
