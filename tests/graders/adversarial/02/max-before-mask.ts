// Wrong: maskedSoftmax subtracts the maximum of S before adding M, so huge scores on hidden keys underflow every visible key.
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { S: [B, H, Tq, Tk], M: [1, 1, Tq, Tk], A: [B, H, Tq, Tk] };
}
export function causalMask(Tq: number, Tk: number) {
  return Array.from({ length: Tq }, (_, i) => Array.from({ length: Tk }, (_, j) => (j <= i + Tk - Tq ? 0 : -Infinity)));
}
export function maskedSoftmax(S: number[][], M: number[][]) {
  return S.map((row, i) => {
    const m = Math.max(...row.filter((x) => x > -Infinity));
    const e = row.map((s, j) => Math.exp(s - m + M[i][j]));
    const t = e.reduce((a, b) => a + b, 0);
    return e.map((x) => (t === 0 ? 0 : x / t));
  });
}
export function causalAttention(Q: number[][], K: number[][], V: number[][]) {
  const M = causalMask(Q.length, K.length);
  const scores = Q.map((q, i) => K.map((k, j) => q.reduce((a, x, d) => a + x * k[d], 0) / Math.sqrt(q.length) + M[i][j]));
  const weights = maskedSoftmax(scores, M.map((r) => r.map(() => 0)));
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((a, x, j) => a + x * V[j][c], 0)));
  return { scores, weights, output };
}
