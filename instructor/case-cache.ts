// Grading a class runs the same tests with the same seed hundreds of times. A case is a pure function of
// (params, seed) (graders/lib/README.md), so its inputs and engine-computed expected values are built once per
// process and shared: the learner only ever receives an encoded copy, and comparison only reads them. Shrinking is
// shared the same way: a shrink step's candidates are a pure function of the params it starts from (fast-check's
// shrinkers draw no random numbers), so every learner whose test fails walks the same candidate objects.
import type { Case, Grader, Params, Shrinker, TestDef } from '../graders/lib/define';

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

/** Params objects whose candidate lists one grading process keeps (a few dozen bytes per candidate). */
const MAX_SHRINK_NODES = 20_000;
let shrinkNodes = 0;

/** The candidates of one params object, drawn from its stream only as far as some learner has needed them. */
interface Drawn<P> {
  items: P[];
  rest: Iterator<P> | null;
}

/**
 * `shrinker` with each params object's candidates kept as they are drawn: the next learner reads the same objects
 * (so the case memo below finds them by identity) instead of running fast-check's shrink stream again.
 */
function sharedShrinker<P extends Params>(shrinker: Shrinker<P>): Shrinker<P> {
  const drawn = new WeakMap<P, Drawn<P>>();
  return {
    *candidates(p) {
      let d = drawn.get(p);
      if (!d) {
        d = { items: [], rest: shrinker.candidates(p)[Symbol.iterator]() };
        if (shrinkNodes < MAX_SHRINK_NODES) {
          drawn.set(p, d);
          shrinkNodes++;
        }
      }
      for (let i = 0; ; i++) {
        if (i === d.items.length) {
          const next = d.rest?.next();
          if (!next || next.done) {
            d.rest = null;
            return;
          }
          d.items.push(next.value);
        }
        yield d.items[i];
      }
    },
  };
}

/** The same grader with `tests(seed)`, every test's `make` and its shrink candidates memoised. */
export function cachedGrader(g: Grader): Grader {
  const bySeed = new Map<number, TestDef[]>();
  return {
    ...g,
    tests(seed: number): TestDef[] {
      let tests = bySeed.get(seed);
      if (!tests) {
        tests = g.tests(seed).map((t) => {
          const memo = new Map<string, Case>();
          // Candidates come back as the same objects for every learner (sharedShrinker): found by identity first.
          const byParams = new WeakMap<Params, Case>();
          // The test's own params object comes back for every learner (and for scoring): its case without a key.
          const own = new Map<number, Case>();
          return {
            ...t,
            ...(t.shrink ? { shrink: sharedShrinker(t.shrink) } : {}),
            make(params, s) {
              if (params === t.params) {
                let c = own.get(s);
                if (!c) own.set(s, (c = t.make(params, s)));
                return c;
              }
              const mine = s === t.seed;
              let c = mine ? byParams.get(params) : undefined;
              if (c) return c;
              const key = `${s}|${JSON.stringify(params)}`;
              c = memo.get(key);
              if (!c) {
                c = t.make(params, s);
                if (memo.size < MAX_CASES_PER_TEST && kept < MAX_CASES) {
                  memo.set(key, c);
                  kept++;
                }
              }
              if (mine && memo.get(key) === c) byParams.set(params, c);
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
