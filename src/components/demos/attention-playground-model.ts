// The playground's computation, shared by the build-time render and the client: all numbers from the engine.
import { attention2d } from '../../engine';

/** Decimals shown in the playground's tables. */
export const DIGITS = 3;

export interface PlaygroundInput {
  Q: number[][];
  K: number[][];
  V: number[][];
  causal: boolean;
  /** Multiply QKᵀ by 1/√d_k (true) or by 1 (false). */
  scaled: boolean;
}

export interface PlaygroundResult {
  /** Scaled scores before the mask. */
  scores: number[][];
  /** Scores after the mask (−∞ where hidden). */
  masked: number[][];
  weights: number[][];
  rowSums: number[];
  output: number[][];
}

export function computePlayground({ Q, K, V, causal, scaled }: PlaygroundInput): PlaygroundResult {
  const scale = scaled ? 1 / Math.sqrt(Q[0].length) : 1;
  const open = attention2d(Q, K, V, { scale });
  const r = causal ? attention2d(Q, K, V, { scale, causal: true }) : open;
  return {
    scores: open.scores,
    masked: r.scores,
    weights: r.weights,
    rowSums: r.weights.map((row) => row.reduce((a, b) => a + b, 0)),
    output: r.output,
  };
}
