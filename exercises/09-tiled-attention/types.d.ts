// Types for exercise 09 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 09: the shapes a tiled kernel works with, for a full tile, and the tile grid. */
interface TileShapes {
  /** A tile of queries, (B_q, d_k). */
  qTile: Shape2;
  /** A tile of keys, (B_k, d_k). */
  kTile: Shape2;
  /** The matching tile of values, (B_k, d_v). */
  vTile: Shape2;
  /** The scores of one query tile against one key tile, (B_q, B_k). */
  scoreTile: Shape2;
  /** Running row maxima m of a query tile, (B_q). */
  rowMax: Shape1;
  /** Running normalisers ℓ of a query tile, (B_q). */
  rowSum: Shape1;
  /** The unnormalised output accumulator Õ of a query tile, (B_q, d_v). */
  accumulator: Shape2;
  /** How many query tiles and key tiles there are, [⌈Tq / B_q⌉, ⌈Tk / B_k⌉]. */
  grid: Shape2;
}

/** The running state of the online softmax for the rows of one query tile. */
interface OnlineSoftmaxState {
  /** Running maximum of each row's scores so far (−Infinity before any visible score). */
  m: Vector;
  /** Running normaliser ℓ of each row, relative to m. */
  l: Vector;
  /** Unnormalised output Õ of each row (rows × d_v), relative to m. */
  o: Matrix;
}
