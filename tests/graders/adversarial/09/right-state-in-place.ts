// Right: written from the statement alone: onlineSoftmaxUpdate updates the state it is given in place and returns it (allowed); tiles by index ranges.

export function tileShapes(Tq: number, Tk: number, dK: number, dV: number, blockQ: number, blockK: number): TileShapes {
  const bq = blockQ > Tq ? Tq : blockQ;
  const bk = blockK > Tk ? Tk : blockK;
  return {
    qTile: [bq, dK], kTile: [bk, dK], vTile: [bk, dV], scoreTile: [bq, bk],
    rowMax: [bq], rowSum: [bq], accumulator: [bq, dV],
    grid: [Math.floor((Tq + blockQ - 1) / blockQ), Math.floor((Tk + blockK - 1) / blockK)],
  };
}

export function onlineSoftmaxUpdate(state: OnlineSoftmaxState, scores: Matrix, vBlock: Matrix): OnlineSoftmaxState {
  for (let r = 0; r < scores.length; r++) {
    const top = Math.max(state.m[r], ...scores[r]);
    if (top === -Infinity) continue; // nothing visible yet: m = −∞, ℓ = 0, Õ = 0 stay
    const alpha = state.m[r] === -Infinity ? 0 : Math.exp(state.m[r] - top);
    state.l[r] *= alpha;
    for (let c = 0; c < state.o[r].length; c++) state.o[r][c] *= alpha;
    scores[r].forEach((s, j) => {
      if (s === -Infinity) return;
      const p = Math.exp(s - top);
      state.l[r] += p;
      for (let c = 0; c < state.o[r].length; c++) state.o[r][c] += p * vBlock[j][c];
    });
    state.m[r] = top;
  }
  return state;
}

export function tiledAttention(Q: Matrix, K: Matrix, V: Matrix, blockQ: number, blockK: number, causal = false): Matrix {
  const dK = Q[0].length;
  const dV = V[0].length;
  const out: Matrix = [];
  for (let qs = 0; qs < Q.length; qs += blockQ) {
    const qe = Math.min(Q.length, qs + blockQ);
    const n = qe - qs;
    const state: OnlineSoftmaxState = {
      m: new Array<number>(n).fill(-Infinity),
      l: new Array<number>(n).fill(0),
      o: Array.from({ length: n }, () => new Array<number>(dV).fill(0)),
    };
    for (let ks = 0; ks < K.length; ks += blockK) {
      const ke = Math.min(K.length, ks + blockK);
      const tile: Matrix = [];
      for (let i = qs; i < qe; i++) {
        const row: number[] = [];
        for (let j = ks; j < ke; j++) {
          let dot = 0;
          for (let c = 0; c < dK; c++) dot += Q[i][c] * K[j][c];
          row.push(causal && j > i ? -Infinity : dot / Math.sqrt(dK));
        }
        tile.push(row);
      }
      onlineSoftmaxUpdate(state, tile, V.slice(ks, ke));
    }
    for (let r = 0; r < n; r++) out.push(state.o[r].map((x) => x / state.l[r]));
  }
  return out;
}
