// Wrong: hidden scores are set to 0 instead of −∞, so every future key still gets a weight of e^0 / Σ.

export function shapes(B: number, H: number, Tq: number, Tk: number): CausalShapes {
  return { S: [B, H, Tq, Tk], M: [1, 1, Tq, Tk], A: [B, H, Tq, Tk] };
}

export function causalMask(Tq: number, Tk: number): Matrix {
  const offset = Tk - Tq;
  const M: Matrix = [];
  for (let i = 0; i < Tq; i++) {
    const row: number[] = [];
    for (let j = 0; j < Tk; j++) row.push(j <= i + offset ? 0 : -Infinity);
    M.push(row);
  }
  return M;
}

export function maskedSoftmax(S: Matrix, M: Matrix): Matrix {
  return S.map((row, i) => {
    const z = row.map((s, j) => (M[i][j] === 0 ? s : 0)); // "remove" the hidden scores
    const max = Math.max(...z);
    const e = z.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
}

export function causalAttention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scale = 1 / Math.sqrt(Q[0].length);
  const M = causalMask(Q.length, K.length);
  const scores = Q.map((q) => K.map((k) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0)));
  const weights = maskedSoftmax(scores, M);
  for (let i = 0; i < scores.length; i++) for (let j = 0; j < scores[i].length; j++) if (M[i][j] !== 0) scores[i][j] = 0;
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
