// Grading a class runs the same tests with the same seed hundreds of times. A case is a pure function of
// (params, seed) (graders/lib/README.md), so its inputs and engine-computed expected values are built once per
// process and shared: the learner only ever receives an encoded copy, and comparison only reads them.
import type { Case, Grader, TestDef } from '../graders/lib/define';

/**
 * Cases kept per test before its memo stops growing. Shrinking asks for many small variants, and each distinct
 * wrong program in a class walks its own path: with 64, the bench class (a handful of programs per exercise) already
 * re-made ≈ 28 cases per submission that it had made before, and with them every known mistake's output on them
 * (graders/lib/diagnose.ts keys those on the case object); with 256 it re-made none over 60 submissions. Shrunk
 * cases are small (≈ 2 KB each, measured).
 */
const MAX_CASES_PER_TEST = 256;
/** Cases kept by one grading process in all (bounds the memo's memory whatever the class: ≈ 40 MB at 2 KB a case). */
const MAX_CASES = 20_000;
let kept = 0;

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
          // The test's own params object comes back for every learner (and for scoring): its case without a key.
          const own = new Map<number, Case>();
          return {
            ...t,
            make(params, s) {
              if (params === t.params) {
                let c = own.get(s);
                if (!c) own.set(s, (c = t.make(params, s)));
                return c;
              }
              const key = `${s}|${JSON.stringify(params)}`;
              let c = memo.get(key);
              if (!c) {
                c = t.make(params, s);
                if (memo.size < MAX_CASES_PER_TEST && kept < MAX_CASES) {
                  memo.set(key, c);
                  kept++;
                }
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
