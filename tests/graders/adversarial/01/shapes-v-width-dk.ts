// Wrong: part (a) gives V and O the width d_k instead of d_v (the two widths are assumed equal).
export function shapes(Tq: number, Tk: number, dK: number, dV: number) {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dK], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dK] };
}
export function attention(Q: number[][], K: number[][], V: number[][]) {
  const s = 1 / Math.sqrt(Q[0].length);
  const scores = Q.map((q) => K.map((k) => s * q.reduce((a, x, d) => a + x * k[d], 0)));
  const weights = scores.map((r) => { const m = Math.max(...r); const e = r.map((x) => Math.exp(x - m)); const z = e.reduce((a, b) => a + b, 0); return e.map((x) => x / z); });
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((a, x, j) => a + x * V[j][c], 0)));
  return { scores, weights, output };
}
