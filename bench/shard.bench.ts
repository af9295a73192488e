// Sharded grading throughput: the same synthetic class (bench/instructor.bench.ts makeClass: distinct code text
// per learner and exercise) graded as the Kubernetes Indexed Job does it (scripts/simulate-indexed-job.ts: the
// manifests' own commands, one process per shard, then the merge), with 1 shard × 2 workers and 2 shards × 1
// worker on this 2-core machine. SHARD_BENCH_N overrides N (default 300).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../scripts/simulate-indexed-job';
import { makeClass } from './instructor.bench';
import type { BenchRow } from './lib';

export default async function shardBench(): Promise<BenchRow[]> {
  const n = Number(process.env.SHARD_BENCH_N ?? 300);
  const dir = mkdtempSync(join(tmpdir(), 'shard-bench-'));
  const rows: BenchRow[] = [];
  try {
    const inDir = join(dir, 'class');
    mkdirSync(inDir);
    makeClass(n, inDir);
    for (const [pods, jobsPerPod] of [[1, 2], [2, 1]] as const) {
      const load = loadavg()[0].toFixed(1);
      const r = await simulate({ input: inDir, out: join(dir, `job-${pods}`), pods, jobsPerPod, secretSeed: 'bench' }, () => {});
      rows.push({
        area: 'instructor',
        metric: `indexed job: ${pods} shard${pods > 1 ? 's' : ''} × ${jobsPerPod} worker${jobsPerPod > 1 ? 's' : ''}, ${n} submissions`,
        value: `${(n / (r.totalMs / 1000)).toFixed(1)} submissions/s`,
        note: `${(r.totalMs / 1000).toFixed(1)} s incl. merge (${((r.totalMs - r.gradeMs) / 1000).toFixed(1)} s); pods ${r.podsMs.map((m) => (m / 1000).toFixed(1)).join(' / ')} s; load ${load}`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
