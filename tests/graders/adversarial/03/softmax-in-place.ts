// Wrong: scoreEntropy turns the caller's S into weights in place (the entropies are right, S is changed).
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}
export function rowEntropy(A: number[][]) {
  return A.map((r) => r.reduce((h, w) => (w > 0 ? h - w * Math.log(w) : h), 0));
}
export function scoreEntropy(S: number[][]) {
  for (const r of S) { const m = Math.max(...r); let z = 0; for (let j = 0; j < r.length; j++) { r[j] = Math.exp(r[j] - m); z += r[j]; } for (let j = 0; j < r.length; j++) r[j] /= z; }
  return rowEntropy(S);
}
export function classifyRows(A: number[][]) {
  const H = rowEntropy(A);
  return A.map((r, i) => { const k = r.filter((w) => w !== 0).length; if (k === 1) return "sharp"; const h = H[i] / Math.log(k); return h <= 0.2 ? "sharp" : h >= 0.8 ? "diffuse" : "mixed"; });
}
