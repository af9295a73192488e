// Right: written from the statement alone: slopes by the recursive rule (n slopes, then every other slope of 2n), a two-pass softmax per row.

function geometric(n: number): number[] {
  const start = Math.pow(2, -8 / n);
  return Array.from({ length: n }, (_, r) => Math.pow(start, r + 1));
}

export function shapes(h: number, Tq: number, Tk: number, dK: number, dV: number): AlibiShapes {
  void dK;
  return { slopes: [h], bias: [h, Tq, Tk], S: [h, Tq, Tk], A: [h, Tq, Tk], O: [h, Tq, dV] };
}

export function alibiSlopes(h: number): number[] {
  if (Number.isInteger(Math.log2(h))) return geometric(h);
  const n = 2 ** Math.floor(Math.log2(h));
  const extra = alibiSlopes(2 * n).filter((_, r) => r % 2 === 0).slice(0, h - n);
  return [...geometric(n), ...extra];
}

export function alibiBias(h: number, Tq: number, Tk: number): number[][][] {
  const m = alibiSlopes(h);
  return m.map((slope) => Array.from({ length: Tq }, (_, i) => Array.from({ length: Tk }, (_, j) => slope * (j - (i + Tk - Tq)))));
}

export function attentionWithAlibi(Q: number[][][], K: number[][][], V: number[][][]): AlibiAttentionResult {
  const h = Q.length;
  const Tq = Q[0].length;
  const Tk = K[0].length;
  const bias = alibiBias(h, Tq, Tk);
  const scale = Math.sqrt(Q[0][0].length);
  const scores = Q.map((Qh, r) =>
    Qh.map((q, i) => K[r].map((k, j) => (j > i + Tk - Tq ? -Infinity : q.reduce((a, x, c) => a + x * k[c], 0) / scale + bias[r][i][j]))),
  );
  const weights = scores.map((Sh) =>
    Sh.map((row) => {
      const top = Math.max(...row);
      const e = row.map((x) => (x === -Infinity ? 0 : Math.exp(x - top)));
      const z = e.reduce((a, x) => a + x, 0);
      return e.map((x) => x / z);
    }),
  );
  const output = weights.map((Ah, r) => Ah.map((w) => V[r][0].map((_, c) => w.reduce((a, wj, j) => a + wj * V[r][j][c], 0))));
  return { scores, weights, output };
}
