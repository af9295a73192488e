// The shipped weights, parsed at import time (Node tests, the eval script and build-time lesson data; the
// browser demo fetches the same file lazily instead).
import file from './weights/copy-model.json';
import { loadWeights, type ModelWeights } from './weights';

/** The trained model in float64. */
export const shippedModel: ModelWeights = loadWeights(file);
