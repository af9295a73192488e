// Exercise 07 — reference solution.

/** Part (a): shapes of the slopes, the bias, S, A and O for H heads, Tq queries, Tk keys and widths dK, dV. */
export function shapes(H: number, Tq: number, Tk: number, dK: number, dV: number): AlibiShapes {
  return { slopes: [H], bias: [H, Tq, Tk], S: [H, Tq, Tk], A: [H, Tq, Tk], O: [H, Tq, dV] };
}

/** The geometric sequence 2^(−8r/n), r = 1..n. */
function powerOfTwoSlopes(n: number): number[] {
  const out: number[] = [];
  for (let r = 1; r <= n; r++) out.push(Math.pow(2, (-8 * r) / n));
  return out;
}

/** Part (b): one slope per head. */
export function alibiSlopes(H: number): number[] {
  let n = 1;
  while (n * 2 <= H) n *= 2; // the largest power of two ≤ H
  const slopes = powerOfTwoSlopes(n);
  const finer = powerOfTwoSlopes(2 * n);
  // When H is not a power of two: the slopes of heads 0, 2, 4 … of 2n heads (none when n = H).
  for (let r = 0; slopes.length < H; r += 2) slopes.push(finer[r]);
  return slopes;
}

/** Part (b): bias[h][i][j] = −m_h · (p_i − j), where query i sits at position p_i = i + (Tk − Tq). */
export function alibiBias(H: number, Tq: number, Tk: number): number[][][] {
  const m = alibiSlopes(H);
  const offset = Tk - Tq;
  const bias: number[][][] = [];
  for (let h = 0; h < H; h++) {
    const B: Matrix = [];
    for (let i = 0; i < Tq; i++) {
      const row: number[] = [];
      for (let j = 0; j < Tk; j++) row.push(-m[h] * (i + offset - j));
      B.push(row);
    }
    bias.push(B);
  }
  return bias;
}

/** Part (b): causal attention with the ALiBi bias for every head. Q is (H, Tq, d_k), K is (H, Tk, d_k), V is (H, Tk, d_v). */
export function attentionWithAlibi(Q: number[][][], K: number[][][], V: number[][][]): AlibiAttentionResult {
  const H = Q.length;
  const Tq = Q[0].length;
  const Tk = K[0].length;
  const dK = Q[0][0].length;
  const dV = V[0][0].length;
  const bias = alibiBias(H, Tq, Tk);
  const scores: number[][][] = [];
  const weights: number[][][] = [];
  const output: number[][][] = [];
  for (let h = 0; h < H; h++) {
    const S: Matrix = [];
    const A: Matrix = [];
    const O: Matrix = [];
    for (let i = 0; i < Tq; i++) {
      const s: number[] = [];
      for (let j = 0; j < Tk; j++) {
        if (j > i + Tk - Tq) {
          s.push(-Infinity); // a future key
          continue;
        }
        let dot = 0;
        for (let c = 0; c < dK; c++) dot += Q[h][i][c] * K[h][j][c];
        s.push(dot / Math.sqrt(dK) + bias[h][i][j]);
      }
      const max = Math.max(...s);
      const e = s.map((x) => Math.exp(x - max));
      const sum = e.reduce((a, x) => a + x, 0);
      const w = e.map((x) => x / sum);
      const o = new Array<number>(dV).fill(0);
      // A future key's weight is exactly 0 and its value finite, so it adds nothing.
      for (let j = 0; j < Tk; j++) for (let c = 0; c < dV; c++) o[c] += w[j] * V[h][j][c];
      S.push(s);
      A.push(w);
      O.push(o);
    }
    scores.push(S);
    weights.push(A);
    output.push(O);
  }
  return { scores, weights, output };
}
