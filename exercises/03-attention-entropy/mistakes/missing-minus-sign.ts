// Wrong: the minus sign is dropped, so every entropy is ≤ 0 (it returns Σ w ln w).

export function shapes(B: number, H: number, Tq: number, Tk: number): EntropyShapes {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}

export function rowEntropy(A: Matrix): Vector {
  return A.map((row) => {
    let h = 0;
    for (const w of row) if (w > 0) h += w * Math.log(w);
    return h;
  });
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
