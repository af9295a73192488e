// Wrong: rows are classified by the raw entropy H against 0.2 and 0.8, without dividing by ln k (the row's maximum).

export function shapes(B: number, H: number, Tq: number, Tk: number): EntropyShapes {
  return { A: [B, H, Tq, Tk], rowEntropy: [B, H, Tq], headEntropy: [H] };
}

export function rowEntropy(A: Matrix): Vector {
  return A.map((row) => {
    let h = 0;
    for (const w of row) if (w > 0) h -= w * Math.log(w);
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
  return rowEntropy(A).map((h) => (h <= 0.2 ? 'sharp' : h >= 0.8 ? 'diffuse' : 'mixed'));
}
