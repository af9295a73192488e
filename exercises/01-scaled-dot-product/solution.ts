// Exercise 01 — reference solution.

/** Part (a): the shape [rows, columns] of Q, K, V, S, A and O for these sizes. */
export function shapes(Tq: number, Tk: number, dK: number, dV: number): AttentionShapes {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
}

/** Softmax of one row, shifted by its maximum so Math.exp never overflows. */
function softmaxRow(row: Vector): Vector {
  const max = Math.max(...row);
  const exps = row.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Part (b): S = QKᵀ/√d_k, A = row-wise softmax of S, O = AV. */
export function attention(Q: Matrix, K: Matrix, V: Matrix): AttentionResult {
  const dK = Q[0].length;
  const scale = 1 / Math.sqrt(dK);
  const scores = Q.map((q) => K.map((k) => scale * q.reduce((acc, qd, d) => acc + qd * k[d], 0)));
  const weights = scores.map(softmaxRow);
  const dV = V[0].length;
  const output = weights.map((w) => {
    const o = new Array<number>(dV).fill(0);
    w.forEach((wj, j) => V[j].forEach((v, e) => (o[e] += wj * v)));
    return o;
  });
  return { scores, weights, output };
}
