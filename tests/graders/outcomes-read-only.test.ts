// The browser's runner hands a call's outcome to the test that reads it without copying it (copies go only to
// further readers of the same call), so grading must never change an outcome. Every grader here grades the
// solution and every known mistake with outcomes frozen deep: a grader that wrote into one would throw (modules
// are strict), and its results would differ from those of the same grading with writable outcomes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { grade, inProcessHost, type CallOutcome, type LearnerHost } from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';

const root = join(__dirname, '..', '..', 'exercises');
const SEEDS = [1, 2, 3];

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** `inner`, with every outcome frozen before the grader sees it. */
function frozen(inner: LearnerHost): LearnerHost {
  return {
    call: async (fn, args, options) => deepFreeze(await inner.call(fn, args, options)),
    callMany: inner.callMany && (async (calls) => (await inner.callMany!(calls)).map((o: CallOutcome) => deepFreeze(o))),
  };
}

/** A result without its timings, which differ between two gradings. */
const timeless = (r: Awaited<ReturnType<typeof grade>>) => ({ ...r, tests: r.tests.map((t) => ({ ...t, durationMs: 0 })) });

describe.each(Object.entries(graders).sort(([a], [b]) => a.localeCompare(b)))('exercise %s', (_id, g) => {
  const dir = join(root, g.meta.slug);
  const files = ['solution.ts', ...readdirSync(join(dir, 'mistakes')).filter((f) => f.endsWith('.ts')).map((f) => `mistakes/${f}`)];
  it.each(files)('%s grades the same with frozen outcomes', async (file) => {
    const mod = loadLearner(readFileSync(join(dir, file), 'utf8'), file);
    for (const seed of SEEDS) {
      const plain = await grade(g, inProcessHost(mod), { seed });
      const readOnly = await grade(g, frozen(inProcessHost(mod)), { seed });
      expect(readOnly.tests.filter((t) => t.status === 'error')).toEqual([]);
      expect(timeless(readOnly)).toEqual(timeless(plain));
    }
  });
});
