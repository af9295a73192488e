// A host with callMany (one exchange per shrinking step) must grade exactly as one that answers call by call: same
// statuses, smallest failing cases, messages and diagnoses, for every known mistake of every exercise.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { executeCall, grade, inProcessHost, type LearnerHost } from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';

const root = join(__dirname, '..', '..', 'exercises');
const folders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name))
  .map((d) => d.name)
  .sort();

describe.each(folders)('exercise %s', (folder) => {
  const g = graders[folder.slice(0, 2)];
  const mistakes = readdirSync(join(root, folder, 'mistakes')).filter((f) => f.endsWith('.ts'));
  it.each(mistakes)('%s: callMany grades as call', async (file) => {
    const mod = loadLearner(readFileSync(join(root, folder, 'mistakes', file), 'utf8'), file);
    let batches = 0;
    const many: LearnerHost = {
      call: (fn, args, options) => executeCall(mod, fn, args, options),
      callMany: async (calls) => (batches++, calls.map((c) => executeCall(mod, c.fn, c.args, c.options))),
    };
    const strip = (r: Awaited<ReturnType<typeof grade>>) => r.tests.map(({ durationMs: _d, ...t }) => t);
    let shrunk = false;
    for (const seed of [1, 2]) {
      const one = await grade(g, inProcessHost(mod), { seed });
      const two = await grade(g, many, { seed });
      expect(strip(two)).toEqual(strip(one));
      shrunk ||= one.tests.some((t) => t.shrunk);
    }
    // Shrinking went through callMany, not call by call.
    if (shrunk) expect(batches).toBeGreaterThan(0);
  });
});
