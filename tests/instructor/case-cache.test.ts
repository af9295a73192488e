// The class-wide memo of cases and shrink candidates (instructor/case-cache.ts) must never change a grade: every
// known mistake, graded through a cached grader (twice, so the second walk reads only what the first one kept),
// gets the same result as through the grader itself, shrunk cases included.
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { inProcessHost } from '../../graders/lib/host';
import { grade } from '../../graders/lib/run';
import { cachedGrader } from '../../instructor/case-cache';

const timeless = (r: unknown) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'durationMs' ? 0 : v)));

describe('cachedGrader', () => {
  for (const id of Object.keys(graders).sort()) {
    it(`grades every known mistake of ${id} exactly as the grader does, also on a second pass`, async () => {
      const g = graders[id];
      const cached = cachedGrader(g);
      let shrunk = 0;
      for (const seed of [1, 77]) {
        for (const m of g.mistakes) {
          const host = inProcessHost(m.module);
          const want = timeless(await grade(g, host, { seed }));
          expect(timeless(await grade(cached, host, { seed })), m.name).toEqual(want);
          expect(timeless(await grade(cached, host, { seed })), m.name).toEqual(want);
          shrunk += want.tests.filter((t: { shrunk: unknown }) => t.shrunk !== null).length;
        }
      }
      // The comparison covers the shrinking path only if some mistake's case was shrunk.
      if (g.mistakes.length) expect(shrunk).toBeGreaterThan(0);
    });
  }
});
