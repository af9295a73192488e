// Case builders that depend only on their sizes, remembered by those sizes. A part (a) shapes case reads its expected
// shapes off the engine run on zero tensors, and is the same for every seed that draws the same sizes: a page that
// grades Run after Run and a batch worker that grades a class both meet the same few hundred size combinations again.

/** Most results a memoised builder keeps; past that the oldest is dropped first. */
export const MEMO_LIMIT = 1000;

/**
 * `build` remembering its results by its (number) arguments. Only for pure functions whose results are treated as
 * read-only, as every Case is (runners copy the arguments before a call and only read the expected value).
 */
export function memoBySize<A extends number[], R>(build: (...args: A) => R): (...args: A) => R {
  const known = new Map<string, R>();
  return (...args: A): R => {
    const key = args.join(',');
    let r = known.get(key);
    if (r === undefined) {
      r = build(...args);
      if (known.size >= MEMO_LIMIT) known.delete(known.keys().next().value as string);
      known.set(key, r);
    }
    return r;
  };
}
