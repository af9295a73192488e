// Exercise 09's memory check must catch the score matrix however it is built (flat typed array, nested arrays
// via map or via push), and name the mistake. The map form is the registered mistake; the other two forms live
// in memory-variants/ and must be diagnosed under the same name. Kernels whose buffers grow as T × d or B_q × T
// (legit-variants/) must pass it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { grade, inProcessHost } from '../../graders/lib/index';
import { loadLearner } from '../../graders/lib/learner-module';

const dir = join(__dirname, '..', '..', 'exercises', '09-tiled-attention', 'memory-variants');
const legitDir = join(__dirname, '..', '..', 'exercises', '09-tiled-attention', 'legit-variants');
const g = graders['09'];

describe('exercise 09 memory variants', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();

  it('has the flat and push variants', () => {
    expect(files).toEqual(['materialises-score-matrix-flat.ts', 'materialises-score-matrix-push.ts']);
  });

  it.each(files)('%s passes the numbers, fails only the memory tests, and is named', async (file) => {
    const host = inProcessHost(loadLearner(readFileSync(join(dir, file), 'utf8'), file));
    for (const seed of [1, 2]) {
      const r = await grade(g, host, { seed });
      const failed = r.tests.filter((t) => t.status !== 'pass' && t.part !== 'c');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((t) => t.id.startsWith('b.memory'))).toBe(true);
      for (const t of failed) {
        expect(t.alloc?.peakElements, t.id).toBeGreaterThan(0);
        expect(t.diagnosis?.mistake, t.id).toBe('materialises-score-matrix');
      }
    }
  });

  const legit = readdirSync(legitDir).filter((f) => f.endsWith('.ts')).sort();
  it('has the legit variants', () => {
    expect(legit).toEqual(['copies-inputs.ts', 'query-tile-rows.ts']);
  });

  it.each(legit)('%s passes every tiled and memory test', async (file) => {
    const host = inProcessHost(loadLearner(readFileSync(join(legitDir, file), 'utf8'), file));
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await grade(g, host, { seed });
      const tiled = r.tests.filter((t) => t.id.startsWith('b.tiled') || t.id.startsWith('b.memory'));
      expect(tiled.length).toBeGreaterThan(10);
      for (const t of tiled) expect(t.status, `${t.id} (seed ${seed}): ${t.message}`).toBe('pass');
    }
  });
});
