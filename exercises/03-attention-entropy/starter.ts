// Exercise 03 — attention entropy. Fill in the four functions; the grader calls them.

/** Part (a): shapes of the weights (B, H, Tq, Tk), the row entropies and the per-head mean entropy. */
export function shapes(B: number, H: number, Tq: number, Tk: number): EntropyShapes {
  throw new Error('Implement shapes() — see part (a)');
}

/** Part (b): H_i = −Σ_j A_ij ln A_ij for each row (natural log, 0·ln 0 = 0). */
export function rowEntropy(A: Matrix): Vector {
  throw new Error('Implement rowEntropy() — see part (b)');
}

/** Part (b): the row entropies of softmax_row(S). */
export function scoreEntropy(S: Matrix): Vector {
  throw new Error('Implement scoreEntropy() — see part (b)');
}

/** Part (b): 'sharp' (k = 1 or H/ln k ≤ 0.2), 'diffuse' (H/ln k ≥ 0.8) or 'mixed', k = nonzero weights in the row. */
export function classifyRows(A: Matrix): RowKind[] {
  throw new Error('Implement classifyRows() — see part (b)');
}
