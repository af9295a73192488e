// Exercise 02 — reference solution.

/** Part (a): shapes of S, of the causal mask M (smallest broadcastable shape) and of A, as 4-tuples. */
export function shapes(B: number, H: number, Tq: number, Tk: number): CausalShapes {
  return { S: [B, H, Tq, Tk], M: [1, 1, Tq, Tk], A: [B, H, Tq, Tk] };
}

/** Part (b): the Tq×Tk additive causal mask (0 = visible, -Infinity = hidden); queries are the last Tq positions. */
export function causalMask(Tq: number, Tk: number): Matrix {
  const offset = Tk - Tq; // query i sits at position i + offset
  const M: Matrix = [];
  for (let i = 0; i < Tq; i++) {
    const row: number[] = [];
    for (let j = 0; j < Tk; j++) row.push(j <= i + offset ? 0 : -Infinity);
    M.push(row);
  }
  return M;
}

/** Part (b): the row-wise softmax of S + M (S is already scaled); a row with no visible key gives zeros. */
export function maskedSoftmax(S: Matrix, M: Matrix): Matrix {
  return S.map((row, i) => {
    const z = row.map((s, j) => s + M[i][j]);
    const max = Math.max(...z);
    if (max === -Infinity) return z.map(() => 0); // nothing to attend to; exp(−∞ − (−∞)) would be NaN
    const e = z.map((x) => Math.exp(x - max)); // exp(-Infinity) = 0: hidden keys get exactly 0
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
}

/** Part (b): causal scaled dot-product attention; Q is Tq×d_k, K is Tk×d_k, V is Tk×d_v, Tq ≤ Tk. */
export function causalAttention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scale = 1 / Math.sqrt(Q[0].length);
  const M = causalMask(Q.length, K.length);
  const scores = Q.map((q, i) => K.map((k, j) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0) + M[i][j]));
  const weights = maskedSoftmax(scores, scores.map((row) => row.map(() => 0)));
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
