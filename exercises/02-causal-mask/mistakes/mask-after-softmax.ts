// Wrong: the softmax runs on the unmasked scores and the future weights are zeroed afterwards, so rows no longer sum to 1.

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
    const max = Math.max(...row);
    const e = row.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    // apply the mask to the probabilities
    return e.map((x, j) => (M[i][j] === -Infinity ? 0 : x / sum));
  });
}

export function causalAttention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const scale = 1 / Math.sqrt(Q[0].length);
  const M = causalMask(Q.length, K.length);
  const raw = Q.map((q) => K.map((k) => scale * q.reduce((acc, x, d) => acc + x * k[d], 0)));
  const weights = maskedSoftmax(raw, M);
  const scores = raw.map((row, i) => row.map((s, j) => s + M[i][j]));
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { scores, weights, output };
}
