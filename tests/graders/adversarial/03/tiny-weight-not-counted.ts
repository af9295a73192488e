// Wrong: counts a key as visible only when its weight exceeds 1e-9, so a tiny nonzero weight does not count in k.
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}
export function rowEntropy(A: number[][]) {
  return A.map((r) => r.reduce((h, w) => (w > 0 ? h - w * Math.log(w) : h), 0));
}
export function scoreEntropy(S: number[][]) {
  return rowEntropy(S.map((r) => { const m = Math.max(...r); const e = r.map((x) => Math.exp(x - m)); const z = e.reduce((a, b) => a + b, 0); return e.map((x) => x / z); }));
}
export function classifyRows(A: number[][]) {
  const H = rowEntropy(A);
  return A.map((r, i) => { const k = r.filter((w) => w > 1e-9).length; if (k === 1) return "sharp"; const h = H[i] / Math.log(k); return h <= 0.2 ? "sharp" : h >= 0.8 ? "diffuse" : "mixed"; });
}
