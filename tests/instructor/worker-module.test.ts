// The isolate grading process runs a bundle of worker.ts with plain Node (no tsx loader): the bundle is built from
// the current sources, named by its content, and grades like the sources do.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetsFor } from '../../instructor/grade-exercise';
import { flagsIfKnown, GradingPool } from '../../instructor/pool';
import { guestScript } from '../../instructor/sandbox/bundle';
import { DEFAULT_LIMITS } from '../../instructor/sandbox/sandbox';
import { workerModule } from '../../instructor/worker-module';
import { exerciseFiles } from './corpus';

describe('the bundled grading process', () => {
  it('is one ES module named by its content hash, with packages left as imports', () => {
    const file = workerModule();
    expect(file).not.toBeNull();
    expect(existsSync(file!)).toBe(true);
    expect(basename(file!)).toMatch(/^worker-[0-9a-f]{16}\.mjs$/);
    const text = readFileSync(file!, 'utf8');
    expect(text).toMatch(/from "isolated-vm"|require\d*\("isolated-vm"\)/);
    expect(text).toMatch(/from "sucrase"/);
    expect(workerModule()).toBe(file); // built once per process
  });

  it('is what the pool starts, without tsx, and it grades a solution to full marks and a starter below them', async () => {
    const pool = new GradingPool({ kind: 'isolate', guest: await guestScript(), limits: DEFAULT_LIMITS, jobs: 1 });
    try {
      const e = exerciseFiles()[0];
      const job = (code: string) => ({ exerciseId: e.id, code, seed: 1, budgets: budgetsFor(2000), fileName: 'a.ts' });
      const [solution, starter] = await pool.run([job(e.solution), job(e.starter)]);
      const pid = (pool as unknown as { slots: { channel: { pid: number } }[] }).slots[0].channel.pid;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv).toContain(workerModule());
      expect(argv.join(' ')).not.toMatch(/tsx/);
      // This Node (22) knows the tiering flag (pool.ts, ISOLATE_TIERING), so the process runs with it.
      expect(argv).toContain('--invocation-count-for-turbofan=12000');
      expect(solution.tests.length).toBeGreaterThan(0);
      expect(solution.tests.every((t) => t.status === 'pass')).toBe(true);
      expect(starter.tests.some((t) => t.status !== 'pass')).toBe(true);
    } finally {
      pool.close();
    }
  }, 60_000);

  it('starts with a V8 flag only where this Node knows it (an unknown one would stop every grading process)', () => {
    expect(flagsIfKnown(['--invocation-count-for-turbofan=12000'])).toEqual(['--invocation-count-for-turbofan=12000']);
    expect(flagsIfKnown(['--no-such-v8-flag-for-this-test'])).toEqual([]);
  });
});
