// Types for exercise 03 (global, loaded next to learner.d.ts).

/** Part (a) of exercise 03: shapes of the weights and of the entropies computed from them. */
interface EntropyShapes {
  /** Weights, (B, H, Tq, Tk). */
  A: Shape4;
  /** One entropy per row, (B, H, Tq). */
  rowEntropy: Shape3;
  /** One mean entropy per head, (H). */
  headEntropy: Shape1;
}

/** How peaked one attention row is, relative to how many keys it can see. */
type RowKind = 'sharp' | 'mixed' | 'diffuse';
