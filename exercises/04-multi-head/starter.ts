// Exercise 04 — multi-head attention. Fill in the four functions; the grader calls them.

/** Part (a): the shapes inside one multi-head self-attention layer with T tokens, width dModel and H heads. */
export function shapes(T: number, dModel: number, H: number): MultiHeadShapes {
  throw new Error('Implement shapes() — see part (a)');
}

/** Part (b): (T, d_model) → (H, T, d_h) with d_h = d_model / H. */
export function splitHeads(X: Matrix, H: number): HeadStack {
  throw new Error('Implement splitHeads() — see part (b)');
}

/** Part (b): (H, T, d_h) → (T, H·d_h), the inverse of splitHeads. */
export function mergeHeads(heads: HeadStack): Matrix {
  throw new Error('Implement mergeHeads() — see part (b)');
}

/** Part (b): the whole layer. X is (T, d_model); W_Q, W_K, W_V and W_O are (d_model, d_model). */
export function multiHeadForward(X: Matrix, Wq: Matrix, Wk: Matrix, Wv: Matrix, Wo: Matrix, H: number, causal: boolean): MultiHeadForward {
  throw new Error('Implement multiHeadForward() — see part (b)');
}
