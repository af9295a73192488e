// Wrong: remembers the last entropies by the matrix size and returns them for any matrix of the same size.
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}
const memo = new Map<string, number[]>();
export function rowEntropy(A: number[][]) {
  const key = `${A.length}x${A[0].length}`;
  const hit = memo.get(key); if (hit) return hit;
  const r = A.map((row) => row.reduce((h, w) => (w > 0 ? h - w * Math.log(w) : h), 0)); memo.set(key, r); return r;
}
export function rowEntropyUnused(A: number[][]) {
  return A.map((r) => r.reduce((h, w) => (w > 0 ? h - w * Math.log(w) : h), 0));
}
export function scoreEntropy(S: number[][]) {
  return rowEntropyUnused(S.map((r) => { const m = Math.max(...r); const e = r.map((x) => Math.exp(x - m)); const z = e.reduce((a, b) => a + b, 0); return e.map((x) => x / z); }));
}
export function classifyRows(A: number[][]) {
  const H = rowEntropyUnused(A);
  return A.map((r, i) => { const k = r.filter((w) => w !== 0).length; if (k === 1) return "sharp"; const h = H[i] / Math.log(k); return h <= 0.2 ? "sharp" : h >= 0.8 ? "diffuse" : "mixed"; });
}
