// Wrong: the bias uses the position p_i = i + (T_k − T_q), but the causal mask hides keys j > i, the row index.

/** Part (a): shapes of the slopes, the bias, S, A and O for h heads, Tq queries, Tk keys and widths dK, dV. */
export function shapes(h: number, Tq: number, Tk: number, dK: number, dV: number): AlibiShapes {
  return { slopes: [h], bias: [h, Tq, Tk], S: [h, Tq, Tk], A: [h, Tq, Tk], O: [h, Tq, dV] };
}

/** The geometric sequence 2^(−8r/n), r = 1..n. */
function powerOfTwoSlopes(n: number): number[] {
  const out: number[] = [];
  for (let r = 1; r <= n; r++) out.push(Math.pow(2, (-8 * r) / n));
  return out;
}

/** Part (b): one slope per head. */
export function alibiSlopes(h: number): number[] {
  let n = 1;
  while (n * 2 <= h) n *= 2; // the largest power of two ≤ h
  const slopes = powerOfTwoSlopes(n);
  if (n === h) return slopes;
  const finer = powerOfTwoSlopes(2 * n);
  for (let r = 0; slopes.length < h; r += 2) slopes.push(finer[r]); // the 1st, 3rd, 5th … slope of 2n heads
  return slopes;
}

/** Part (b): bias[r][i][j] = −m_r · (p_i − j), where query i sits at position p_i = i + (Tk − Tq). */
export function alibiBias(h: number, Tq: number, Tk: number): number[][][] {
  const m = alibiSlopes(h);
  const offset = Tk - Tq;
  const bias: number[][][] = [];
  for (let r = 0; r < h; r++) {
    const B: Matrix = [];
    for (let i = 0; i < Tq; i++) {
      const row: number[] = [];
      for (let j = 0; j < Tk; j++) row.push(-m[r] * (i + offset - j));
      B.push(row);
    }
    bias.push(B);
  }
  return bias;
}

/** Part (b): causal attention with the ALiBi bias for every head. Q is (h, Tq, d_k), K is (h, Tk, d_k), V is (h, Tk, d_v). */
export function attentionWithAlibi(Q: number[][][], K: number[][][], V: number[][][]): AlibiAttentionResult {
  const h = Q.length;
  const Tq = Q[0].length;
  const Tk = K[0].length;
  const dK = Q[0][0].length;
  const dV = V[0][0].length;
  const bias = alibiBias(h, Tq, Tk);
  const scores: number[][][] = [];
  const weights: number[][][] = [];
  const output: number[][][] = [];
  for (let r = 0; r < h; r++) {
    const S: Matrix = [];
    const A: Matrix = [];
    const O: Matrix = [];
    for (let i = 0; i < Tq; i++) {
      const s: number[] = [];
      for (let j = 0; j < Tk; j++) {
        if (j > i) {
          s.push(-Infinity); // a future key
          continue;
        }
        let dot = 0;
        for (let c = 0; c < dK; c++) dot += Q[r][i][c] * K[r][j][c];
        s.push(dot / Math.sqrt(dK) + bias[r][i][j]);
      }
      const max = Math.max(...s);
      const e = s.map((x) => Math.exp(x - max));
      const sum = e.reduce((a, x) => a + x, 0);
      const w = e.map((x) => x / sum);
      const o = new Array<number>(dV).fill(0);
      for (let j = 0; j < Tk; j++) {
        if (w[j] === 0) continue;
        for (let c = 0; c < dV; c++) o[c] += w[j] * V[r][j][c];
      }
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
