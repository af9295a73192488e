// Right: written from the statement; pad keys are skipped outright, so their contents never enter the arithmetic.
export function maskShapes(B: number, H: number, T: number) {
  return { padding: [B, 1, 1, T], causal: [1, 1, T, T], combined: [B, 1, T, T], scores: [B, H, T, T] };
}
export function paddingMask(lengths: number[], T: number) {
  return lengths.map((n) => [[Array.from({ length: T }, (_, j) => (j < n ? 1 : 0))]]);
}
export function maskedAttention(Q: number[][][], K: number[][][], V: number[][][], lengths: number[]) {
  const weights: number[][][] = [];
  const output: number[][][] = [];
  Q.forEach((Qb, b) => {
    const n = lengths[b];
    const T = K[b].length;
    const A = Qb.map((q) => {
      const s = K[b].slice(0, n).map((k) => q.reduce((a, x, c) => a + x * k[c], 0) / Math.sqrt(q.length));
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, x) => a + x, 0);
      return [...e.map((x) => x / z), ...new Array(T - n).fill(0)];
    });
    weights.push(A);
    output.push(A.map((w) => V[b][0].map((_, c) => w.slice(0, n).reduce((a, x, j) => a + x * V[b][j][c], 0))));
  });
  return { weights, output };
}
