// Exercise 02 — causal masking. Fill in the four functions; the grader calls them.

/** Part (a): shapes of S, of the causal mask M (smallest broadcastable shape) and of A, as 4-tuples. */
export function shapes(B: number, H: number, Tq: number, Tk: number): CausalShapes {
  throw new Error('Implement shapes() — see part (a)');
}

/** Part (b): the Tq×Tk additive causal mask (0 = visible, -Infinity = hidden); queries are the last Tq positions. */
export function causalMask(Tq: number, Tk: number): Matrix {
  throw new Error('Implement causalMask() — see part (b)');
}

/** Part (b): the row-wise softmax of S + M (S is already scaled). */
export function maskedSoftmax(S: Matrix, M: Matrix): Matrix {
  throw new Error('Implement maskedSoftmax() — see part (b)');
}

/** Part (b): causal scaled dot-product attention; Q is Tq×d_k, K is Tk×d_k, V is Tk×d_v, Tq ≤ Tk. */
export function causalAttention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  throw new Error('Implement causalAttention() — see part (b)');
}
