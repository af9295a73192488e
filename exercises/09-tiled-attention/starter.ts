// Exercise 09 — tiled attention with an online softmax. Fill in the functions; the grader calls them.

/** Part (a): shapes of a full tile, the running statistics, and the tile grid. */
export function tileShapes(Tq: number, Tk: number, dK: number, dV: number, blockQ: number, blockK: number): TileShapes {
  throw new Error('Implement tileShapes() — see part (a)');
}

/** Part (b): fold one key tile (scores rows × cols, values cols × d_v) into the running state of a query tile. */
export function onlineSoftmaxUpdate(state: OnlineSoftmaxState, scores: Matrix, vBlock: Matrix): OnlineSoftmaxState {
  throw new Error('Implement onlineSoftmaxUpdate() — see part (b)');
}

/** Part (b): exact attention softmax(QKᵀ/√d_k)V computed tile by tile, never holding a Tq×Tk matrix. */
export function tiledAttention(Q: Matrix, K: Matrix, V: Matrix, blockQ: number, blockK: number, causal = false): Matrix {
  throw new Error('Implement tiledAttention() — see part (b)');
}
