// Wrong: the scores are QKᵀ without dividing by √d_k, so softmax is too sharp for wide heads.

export function shapes(Tq: number, Tk: number, dK: number, dV: number): AttentionShapes {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
}

export function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scores: Matrix = [];
  for (let i = 0; i < Q.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < K.length; j++) {
      let dot = 0;
      for (let d = 0; d < Q[i].length; d++) dot += Q[i][d] * K[j][d];
      row.push(dot); // forgot: / Math.sqrt(dK)
    }
    scores.push(row);
  }
  const weights = scores.map((row) => {
    const max = Math.max(...row);
    const e = row.map((s) => Math.exp(s - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
