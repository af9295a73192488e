// Wrong: the mask ignores the offset Tk − Tq, so with a cache (Tq < Tk) the new queries cannot see the latest keys.

export function shapes(B: number, H: number, Tq: number, Tk: number): CausalShapes {
  return { S: [B, H, Tq, Tk], M: [1, 1, Tq, Tk], A: [B, H, Tq, Tk] };
}

export function causalMask(Tq: number, Tk: number): Matrix {
  const offset = Tk - Tq;
  const M: Matrix = [];
  for (let i = 0; i < Tq; i++) {
    const row: number[] = [];
    for (let j = 0; j < Tk; j++) row.push(j <= i ? 0 : -Infinity);
    M.push(row);
  }
  return M;
}

export function maskedSoftmax(S: Matrix, M: Matrix): Matrix {
  return S.map((row, i) => {
    const z = row.map((s, j) => s + M[i][j]);
    const max = Math.max(...z);
    if (max === -Infinity) return z.map(() => 0);
    const e = z.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
}

export function causalAttention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scale = 1 / Math.sqrt(Q[0].length);
  const M = causalMask(Q.length, K.length);
  const scores = Q.map((q, i) => K.map((k, j) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0) + M[i][j]));
  const weights = maskedSoftmax(scores, scores.map((row) => row.map(() => 0)));
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
