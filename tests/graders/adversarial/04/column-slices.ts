// Right: written from the statement with column slices and one softmax helper.
const mm = (A: number[][], B: number[][]) => A.map((r) => B[0].map((_, j) => r.reduce((s, a, p) => s + a * B[p][j], 0)));
export function shapes(T: number, dModel: number, H: number) {
  const d = dModel / H;
  return { Q: [T, dModel], Qh: [H, T, d], S: [H, T, T], Oh: [H, T, d], concat: [T, dModel], Wo: [dModel, dModel], output: [T, dModel] };
}
export function splitHeads(X: number[][], H: number) {
  const d = X[0].length / H;
  return Array.from({ length: H }, (_, h) => X.map((row) => row.slice(h * d, (h + 1) * d)));
}
export function mergeHeads(heads: number[][][]) {
  return heads[0].map((_, t) => heads.flatMap((hd) => hd[t]));
}
export function multiHeadForward(X: number[][], Wq: number[][], Wk: number[][], Wv: number[][], Wo: number[][], H: number, causal: boolean) {
  const [Q, K, V] = [Wq, Wk, Wv].map((W) => splitHeads(mm(X, W), H));
  const weights = Q.map((q, h) => q.map((qi, i) => {
    const s = K[h].map((kj, j) => (causal && j > i ? -Infinity : qi.reduce((a, x, c) => a + x * kj[c], 0) / Math.sqrt(qi.length)));
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  }));
  const heads = weights.map((A, h) => mm(A, V[h]));
  return { weights, heads, output: mm(mergeHeads(heads), Wo) };
}
