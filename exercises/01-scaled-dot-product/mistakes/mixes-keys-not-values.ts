// Wrong: the output averages the rows of K instead of the rows of V (the roles of keys and values are confused).

export function shapes(Tq: number, Tk: number, dK: number, dV: number): AttentionShapes {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
}

export function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scale = 1 / Math.sqrt(Q[0].length);
  const scores = Q.map((q) => K.map((k) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0)));
  const weights = scores.map((row) => {
    const max = Math.max(...row);
    const e = row.map((s) => Math.exp(s - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
  const output = weights.map((w) => K[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * K[j][c], 0)));
  return { scores, weights, output };
}
