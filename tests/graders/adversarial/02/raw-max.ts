// Wrong: causalAttention computes the weights from the unmasked scores' maximum, so huge future logits underflow the visible keys.
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { S: [B, H, Tq, Tk], M: [1, 1, Tq, Tk], A: [B, H, Tq, Tk] };
}
export function causalMask(Tq: number, Tk: number) {
  return Array.from({ length: Tq }, (_, i) => Array.from({ length: Tk }, (_, j) => (j <= i + Tk - Tq ? 0 : -Infinity)));
}
export function maskedSoftmax(S: number[][], M: number[][]) {
  return S.map((row, i) => {
    const z = row.map((s, j) => s + M[i][j]);
    const m = Math.max(...z);
    if (m === -Infinity) return z.map(() => 0);
    const e = z.map((x) => Math.exp(x - m));
    const t = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / t);
  });
}
export function causalAttention(Q: number[][], K: number[][], V: number[][]) {
  const M = causalMask(Q.length, K.length);
  const raw = Q.map((q) => K.map((k) => q.reduce((a, x, d) => a + x * k[d], 0) / Math.sqrt(q.length)));
  const scores = raw.map((r, i) => r.map((s, j) => s + M[i][j]));
  const weights = raw.map((r, i) => {
    const m = Math.max(...r);
    const e = r.map((s, j) => (M[i][j] === 0 ? Math.exp(s - m) : 0));
    const t = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / t);
  });
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((a, x, j) => a + x * V[j][c], 0)));
  return { scores, weights, output };
}
