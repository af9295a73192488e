// Right: written from the statement; visible keys are softmaxed by index, hidden ones set to 0.
export function shapes(B: number, H: number, Tq: number, Tk: number) {
  return { S: [B, H, Tq, Tk], M: [1, 1, Tq, Tk], A: [B, H, Tq, Tk] };
}
export function causalMask(Tq: number, Tk: number) {
  return Array.from({ length: Tq }, (_, i) => Array.from({ length: Tk }, (_, j) => (j <= i + Tk - Tq ? 0 : -Infinity)));
}
export function maskedSoftmax(S: number[][], M: number[][]) {
  return S.map((row, i) => {
    const vis = row.map((s, j) => s + M[i][j]).map((z, j) => ({ z, j })).filter((e) => e.z !== -Infinity);
    const out = row.map(() => 0);
    if (vis.length === 0) return out;
    const m = vis.reduce((a, e) => Math.max(a, e.z), -Infinity);
    let t = 0;
    for (const e of vis) t += Math.exp(e.z - m);
    for (const e of vis) out[e.j] = Math.exp(e.z - m) / t;
    return out;
  });
}
export function causalAttention(Q: number[][], K: number[][], V: number[][]) {
  const M = causalMask(Q.length, K.length);
  const scores = Q.map((q, i) => K.map((k, j) => q.reduce((a, x, d) => a + x * k[d], 0) / Math.sqrt(q.length) + M[i][j]));
  const weights = maskedSoftmax(scores, M.map((r) => r.map(() => 0)));
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((a, x, j) => a + x * V[j][c], 0)));
  return { scores, weights, output };
}
