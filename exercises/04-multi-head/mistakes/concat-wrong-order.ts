// Wrong: mergeHeads interleaves the heads column by column (column c·h + r holds head r, column c) instead of placing head 0's d_h columns, then head 1's, and so on.

/** Part (a): the shapes inside one multi-head self-attention layer with T tokens, width dModel and h heads. */
export function shapes(T: number, dModel: number, h: number): MultiHeadShapes {
  const dH = dModel / h;
  return {
    Q: [T, dModel],
    Qh: [h, T, dH],
    S: [h, T, T],
    Oh: [h, T, dH],
    concat: [T, h * dH],
    Wo: [h * dH, dModel],
    output: [T, dModel],
  };
}

/** Part (b): (T, d_model) → (h, T, d_h). Head r takes columns r·d_h … (r+1)·d_h − 1 of every row. */
export function splitHeads(X: Matrix, h: number): HeadStack {
  const T = X.length;
  const dH = X[0].length / h;
  const heads: HeadStack = [];
  for (let r = 0; r < h; r++) {
    const head: Matrix = [];
    for (let t = 0; t < T; t++) {
      const row: number[] = [];
      for (let c = 0; c < dH; c++) row.push(X[t][r * dH + c]);
      head.push(row);
    }
    heads.push(head);
  }
  return heads;
}

/** Part (b): (h, T, d_h) → (T, h·d_h), the inverse of splitHeads: row t is head 0's row t, then head 1's, … */
export function mergeHeads(heads: HeadStack): Matrix {
  const h = heads.length;
  const T = heads[0].length;
  const dH = heads[0][0].length;
  const out: Matrix = [];
  for (let t = 0; t < T; t++) {
    const row: number[] = [];
    for (let c = 0; c < dH; c++) {
      for (let r = 0; r < h; r++) row.push(heads[r][t][c]);
    }
    out.push(row);
  }
  return out;
}

function matmul(A: Matrix, B: Matrix): Matrix {
  const out: Matrix = [];
  for (let i = 0; i < A.length; i++) {
    const row = new Array<number>(B[0].length).fill(0);
    for (let p = 0; p < B.length; p++) {
      for (let j = 0; j < B[0].length; j++) row[j] += A[i][p] * B[p][j];
    }
    out.push(row);
  }
  return out;
}

function softmaxRow(row: Vector): Vector {
  const max = Math.max(...row);
  const exps = row.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** One head: softmax(QKᵀ/√d_h + causal mask)·V. */
function oneHead(Q: Matrix, K: Matrix, V: Matrix, causal: boolean): { weights: Matrix; output: Matrix } {
  const dH = Q[0].length;
  const weights: Matrix = [];
  for (let i = 0; i < Q.length; i++) {
    const scores: number[] = [];
    for (let j = 0; j < K.length; j++) {
      let dot = 0;
      for (let c = 0; c < dH; c++) dot += Q[i][c] * K[j][c];
      scores.push(causal && j > i ? -Infinity : dot / Math.sqrt(dH));
    }
    weights.push(softmaxRow(scores));
  }
  return { weights, output: matmul(weights, V) };
}

/** Part (b): the whole layer. X is (T, d_model); W_Q, W_K, W_V and W_O are (d_model, d_model). */
export function multiHeadForward(X: Matrix, Wq: Matrix, Wk: Matrix, Wv: Matrix, Wo: Matrix, h: number, causal: boolean): MultiHeadForward {
  const Qh = splitHeads(matmul(X, Wq), h);
  const Kh = splitHeads(matmul(X, Wk), h);
  const Vh = splitHeads(matmul(X, Wv), h);
  const weights: HeadStack = [];
  const heads: HeadStack = [];
  for (let r = 0; r < h; r++) {
    const one = oneHead(Qh[r], Kh[r], Vh[r], causal);
    weights.push(one.weights);
    heads.push(one.output);
  }
  return { weights, heads, output: matmul(mergeHeads(heads), Wo) };
}
