// Wrong: softmax normalises each column (over queries) instead of each row (over keys).

export function shapes(Tq: number, Tk: number, dK: number, dV: number): AttentionShapes {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
}

export function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const Tq = Q.length;
  const Tk = K.length;
  const scale = 1 / Math.sqrt(Q[0].length);
  const scores = Q.map((q) => K.map((k) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0)));
  const weights: Matrix = scores.map((row) => row.map(() => 0));
  for (let j = 0; j < Tk; j++) {
    let max = -Infinity;
    for (let i = 0; i < Tq; i++) max = Math.max(max, scores[i][j]);
    let sum = 0;
    for (let i = 0; i < Tq; i++) sum += Math.exp(scores[i][j] - max);
    for (let i = 0; i < Tq; i++) weights[i][j] = Math.exp(scores[i][j] - max) / sum;
  }
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
