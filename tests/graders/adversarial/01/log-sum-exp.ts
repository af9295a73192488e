// Right: softmax through log-sum-exp, written independently of the reference solution.
export function shapes(Tq: number, Tk: number, dK: number, dV: number) {
  return { Q: [Tq, dK], K: [Tk, dK], V: [Tk, dV], S: [Tq, Tk], A: [Tq, Tk], O: [Tq, dV] };
}
export function attention(Q: number[][], K: number[][], V: number[][]) {
  const dk = K[0].length;
  const scores: number[][] = [];
  for (const q of Q) { const row: number[] = []; for (const k of K) { let d = 0; for (let c = 0; c < dk; c++) d += q[c] * k[c]; row.push(d / Math.sqrt(dk)); } scores.push(row); }
  const weights = scores.map((r) => { let m = -Infinity; for (const x of r) if (x > m) m = x; let z = 0; for (const x of r) z += Math.exp(x - m); const lse = m + Math.log(z); return r.map((x) => Math.exp(x - lse)); });
  const output = weights.map((w) => { const o = new Array(V[0].length).fill(0); w.forEach((a, j) => V[j].forEach((v, c) => (o[c] += a * v))); return o; });
  return { scores, weights, output };
}
