// The query demo's computation (lesson 1.1): the pronoun's query, edited by the learner, against the fixed toy keys
// and values; shared by the build-time render and the browser. Numbers come from the engine.
import { attention2d } from '../../engine';
import { itQuery, keyFeatures, valueFeatures } from '../../lesson-data/pronoun-toy';

/** Names of the four query/key features. */
export const FEATURES = ['animate noun', 'inanimate noun', 'event word', 'function word'];
/** Names of the three value features. */
export const PAYLOAD = ['living thing', 'place', 'state or action'];
export const TOKENS = keyFeatures.map(([t]) => t);
export const START_QUERY = [...itQuery];

/** Weights over the tokens and the blended output for a query of four features. */
export function queryRow(query: readonly number[]): { weights: number[]; output: number[]; top: number } {
  const r = attention2d([[...query]], keyFeatures.map(([, k]) => k), valueFeatures);
  const weights = r.weights[0];
  return { weights, output: r.output[0], top: weights.indexOf(Math.max(...weights)) };
}
