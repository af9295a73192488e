// Wrong: scoreEntropy uses H = −Σ p (s − logsumexp), which gives 0·(−∞) = NaN for masked scores.
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}
export function rowEntropy(A: number[][]) {
  return A.map((r) => r.reduce((h, w) => (w > 0 ? h - w * Math.log(w) : h), 0));
}
export function scoreEntropy(S: number[][]) {
  return S.map((r) => {
    const m = Math.max(...r);
    const lse = m + Math.log(r.reduce((a, x) => a + Math.exp(x - m), 0));
    return -r.reduce((h, s) => h + Math.exp(s - lse) * (s - lse), 0);
  });
}
export function classifyRows(A: number[][]) {
  const H = rowEntropy(A);
  return A.map((r, i) => { const k = r.filter((w) => w !== 0).length; if (k === 1) return "sharp"; const h = H[i] / Math.log(k); return h <= 0.2 ? "sharp" : h >= 0.8 ? "diffuse" : "mixed"; });
}
