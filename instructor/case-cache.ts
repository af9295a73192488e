// Grading a class runs the same tests with the same seed hundreds of times. A case is a pure function of
// (params, seed) (graders/lib/README.md), so its inputs and engine-computed expected values are built once per
// process and shared: the learner only ever receives an encoded copy, and comparison only reads them.
import type { Case, Grader, TestDef } from '../graders/lib/define';

/** Cases kept per test before the memo stops growing (shrinking asks for many small variants). */
const MAX_CASES_PER_TEST = 64;

/** The same grader with `tests(seed)` and every test's `make` memoised. */
export function cachedGrader(g: Grader): Grader {
  const bySeed = new Map<number, TestDef[]>();
  return {
    ...g,
    tests(seed: number): TestDef[] {
      let tests = bySeed.get(seed);
      if (!tests) {
        tests = g.tests(seed).map((t) => {
          const memo = new Map<string, Case>();
          return {
            ...t,
            make(params, s) {
              const key = `${s}|${JSON.stringify(params)}`;
              let c = memo.get(key);
              if (!c) {
                c = t.make(params, s);
                if (memo.size < MAX_CASES_PER_TEST) memo.set(key, c);
              }
              return c;
            },
          };
        });
        bySeed.set(seed, tests);
      }
      return tests;
    },
  };
}
