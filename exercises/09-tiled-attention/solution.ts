// Exercise 09 — reference solution.

/** Part (a): shapes of a full tile, the running statistics, and the tile grid. */
export function tileShapes(Tq: number, Tk: number, dK: number, dV: number, blockQ: number, blockK: number): TileShapes {
  const bq = Math.min(blockQ, Tq); // a tile never has more rows than there are
  const bk = Math.min(blockK, Tk);
  return {
    qTile: [bq, dK],
    kTile: [bk, dK],
    vTile: [bk, dV],
    scoreTile: [bq, bk],
    rowMax: [bq],
    rowSum: [bq],
    accumulator: [bq, dV],
    grid: [Math.ceil(Tq / blockQ), Math.ceil(Tk / blockK)],
  };
}

/** Part (b): fold one key tile (scores rows × cols, values cols × d_v) into the running state of a query tile. */
export function onlineSoftmaxUpdate(state: OnlineSoftmaxState, scores: Matrix, vBlock: Matrix): OnlineSoftmaxState {
  const m: Vector = [];
  const l: Vector = [];
  const o: Matrix = [];
  for (let r = 0; r < scores.length; r++) {
    let mNew = state.m[r];
    for (const s of scores[r]) mNew = Math.max(mNew, s);
    if (mNew === -Infinity) {
      // Nothing visible in this row yet: keep m = −∞, ℓ = 0, Õ = 0 (exp(−∞ − (−∞)) would be NaN).
      m.push(state.m[r]);
      l.push(state.l[r]);
      o.push([...state.o[r]]);
      continue;
    }
    const alpha = Math.exp(state.m[r] - mNew); // 0 when m was −∞; 1 when the max did not move
    let rowSum = alpha * state.l[r];
    const acc = state.o[r].map((x) => alpha * x);
    for (let j = 0; j < scores[r].length; j++) {
      const p = Math.exp(scores[r][j] - mNew); // exp(−∞) = 0 for hidden keys
      rowSum += p;
      for (let c = 0; c < acc.length; c++) acc[c] += p * vBlock[j][c];
    }
    m.push(mNew);
    l.push(rowSum);
    o.push(acc);
  }
  return { m, l, o };
}

/** Part (b): exact attention softmax(QKᵀ/√d_k)V computed tile by tile, never holding a Tq×Tk matrix. */
export function tiledAttention(Q: Matrix, K: Matrix, V: Matrix, blockQ: number, blockK: number, causal = false): Matrix {
  const Tq = Q.length;
  const Tk = K.length;
  const dV = V[0].length;
  const scale = 1 / Math.sqrt(Q[0].length);
  const output: Matrix = [];
  // Stryker disable next-line EqualityOperator: <= adds a query tile past the end with no rows, so no output (>= is killed)
  for (let i0 = 0; i0 < Tq; i0 += blockQ) {
    const i1 = Math.min(i0 + blockQ, Tq);
    let state: OnlineSoftmaxState = { m: [], l: [], o: [] };
    // Stryker disable next-line EqualityOperator: <= adds a state row past the tile, which the update never reads (>= is killed)
    for (let i = i0; i < i1; i++) {
      state.m.push(-Infinity);
      state.l.push(0);
      state.o.push(new Array<number>(dV).fill(0));
    }
    // Stryker disable next-line EqualityOperator: <= adds a key tile past the end with no keys, which changes nothing (>= is killed)
    for (let j0 = 0; j0 < Tk; j0 += blockK) {
      // This key tile and all later ones are in every row's future. Skipping them saves work only: a tile of hidden
      // keys leaves the state unchanged, so the mutants that skip fewer tiles give the same output.
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: skip fewer tiles (never or from i1 + 1) — same output, less saving
      if (causal && j0 > i1 - 1) break;
      const j1 = Math.min(j0 + blockK, Tk);
      const scores: Matrix = []; // (i1 − i0) × (j1 − j0): the only score storage there is
      for (let i = i0; i < i1; i++) {
        const row: number[] = [];
        for (let j = j0; j < j1; j++) {
          if (causal && j > i) {
            row.push(-Infinity);
            continue;
          }
          let dot = 0;
          for (let d = 0; d < Q[i].length; d++) dot += Q[i][d] * K[j][d];
          row.push(dot * scale);
        }
        scores.push(row);
      }
      state = onlineSoftmaxUpdate(state, scores, V.slice(j0, j1));
    }
    // Divide once, at the end (ℓ > 0: every row sees key 0).
    for (let r = 0; r < i1 - i0; r++) output.push(state.o[r].map((x) => x / state.l[r]));
  }
  return output;
}
