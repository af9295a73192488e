// Exercise 01 — scaled dot-product attention. Fill in the two functions; the grader calls them.

/** Part (a): the shape [rows, columns] of Q, K, V, S, A and O for these sizes. */
export function shapes(Tq: number, Tk: number, dK: number, dV: number): AttentionShapes {
  throw new Error('Implement shapes() — see part (a)');
}

/** Part (b): S = QKᵀ/√d_k, A = row-wise softmax of S, O = AV. Q is Tq×d_k, K is Tk×d_k, V is Tk×d_v. */
export function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  throw new Error('Implement attention() — see part (b)');
}
