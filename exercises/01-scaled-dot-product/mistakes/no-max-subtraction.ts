// Wrong: softmax exponentiates the raw scores; large logits overflow to Infinity and the weights become NaN.

export function shapes(Tq: number, Tk: number, dK: number, dV: number): AttentionShapes {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
}

export function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scale = 1 / Math.sqrt(Q[0].length);
  const scores = Q.map((q) => K.map((k) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0)));
  const weights = scores.map((row) => {
    const e = row.map((s) => Math.exp(s));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
