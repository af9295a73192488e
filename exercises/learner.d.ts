// Types every exercise file can use without importing anything (the editor loads this file as a global library).

/** A matrix stored as rows: `m[i][j]` is row i, column j. */
type Matrix = number[][];
/** A list of numbers, e.g. one row of a matrix or one entropy per query. */
type Vector = number[];
/** A shape with one axis, e.g. `[Tq]`. */
type Shape1 = [number];
/** A shape with two axes, e.g. `[Tq, Tk]`. */
type Shape2 = [number, number];
/** A shape with three axes, e.g. `[H, T, d_h]`. */
type Shape3 = [number, number, number];
/** A shape with four axes, e.g. `[B, H, Tq, Tk]`. */
type Shape4 = [number, number, number, number];

/** The three matrices of one attention head: scores S (Tq×Tk), weights A (Tq×Tk), output O (Tq×d_v). */
interface AttentionResult {
  scores: Matrix;
  weights: Matrix;
  output: Matrix;
}
