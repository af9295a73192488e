// Wrong: zero weights are not skipped, so 0 · ln 0 = 0 · (−∞) = NaN poisons every row that has a masked key.

export function shapes(B: number, H: number, Tq: number, Tk: number): EntropyShapes {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}

export function rowEntropy(A: Matrix): Vector {
  return A.map((row) => -row.reduce((acc, w) => acc + w * Math.log(w), 0));
}

export function scoreEntropy(S: Matrix): Vector {
  const weights = S.map((row) => {
    const max = Math.max(...row);
    const e = row.map((s) => Math.exp(s - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
  return rowEntropy(weights);
}

export function classifyRows(A: Matrix): RowKind[] {
  const H = rowEntropy(A);
  return A.map((row, i) => {
    const k = row.filter((w) => w > 0).length;
    if (k <= 1) return 'sharp';
    const h = H[i] / Math.log(k);
    return h <= 0.2 ? 'sharp' : h >= 0.8 ? 'diffuse' : 'mixed';
  });
}
