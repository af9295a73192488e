// The hand-made pronoun example of lesson 1.1, shared by the lesson data and the query demo (which runs in the browser).

/** Toy key features: [animate noun, inanimate noun, event word, function word]. */
export const keyFeatures: [string, number[]][] = [
  ['The', [0, 0, 0, 1]],
  ['animal', [2.2, 0.2, 0, 0]],
  ["didn't", [0, 0, 1, 0.5]],
  ['cross', [0, 0, 1.2, 0]],
  ['the', [0, 0, 0, 1]],
  ['road', [0.2, 2.2, 0, 0]],
  ['because', [0, 0, 0, 1]],
  ['it', [0.8, 0.8, 0, 0.4]],
  ['was', [0, 0, 0.8, 0.3]],
  ['tired', [0.6, 0, 0.9, 0]],
];
/** Toy value payloads: [is a living thing, is a place, describes a state or action]. */
export const valueFeatures: number[][] = [
  [0, 0, 0],
  [1, 0, 0],
  [0, 0, 0.6],
  [0, 0, 1],
  [0, 0, 0],
  [0, 1, 0],
  [0, 0, 0],
  [0.4, 0.4, 0],
  [0, 0, 0.3],
  [0.3, 0, 1],
];
/** What "it" looks for: an animate noun first, any noun second, and not a function word. */
export const itQuery = [2.8, 0.9, 0, -1];

