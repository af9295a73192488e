// Simulates the Kubernetes Indexed Job of deploy/k8s/ on one machine: N "pods" (processes) run the container's
// command, each with JOB_COMPLETION_INDEX set as the Job controller sets it, then the merge Job joins their reports.
//   npm run simulate-indexed-job -- <submissions folder> --out <dir> [--pods N] [--jobs-per-pod J] [-- more grade options]
// Writes <dir>/shard-<i>/ per pod and <dir>/class/ (the merged class report); prints each pod's and the total time.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../instructor/bin.mjs', import.meta.url));

/** The pod command of deploy/k8s/grade-job.yaml: the shard comes from the index the Job controller sets. */
export const POD_COMMAND = 'exec "$NODE" "$BIN" "$INPUT" --out "$OUT/shard-$JOB_COMPLETION_INDEX" --shard "$JOB_COMPLETION_INDEX/$SHARDS" --jobs "$JOBS" --quiet "$@"';

/** Runs one pod; resolves with its exit code and wall time. */
function pod(index: number, env: Record<string, string>, extra: string[]): Promise<{ index: number; code: number; ms: number; stderr: string }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', POD_COMMAND, 'pod', ...extra], { env: { ...process.env, ...env, JOB_COMPLETION_INDEX: String(index) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ index, code: code ?? 1, ms: performance.now() - t0, stderr }));
  });
}

/** Runs N pods side by side, then the merge; returns the merge's exit code (0, or 1 when some file was rejected). */
export async function simulate(input: string, out: string, pods: number, jobsPerPod: number, extra: string[] = [], say: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const env = { NODE: process.execPath, BIN, INPUT: input, OUT: out, SHARDS: String(pods), JOBS: String(jobsPerPod) };
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: pods }, (_, i) => pod(i, env, extra)));
  for (const r of results) {
    say(`pod ${r.index}: exit ${r.code}, ${(r.ms / 1000).toFixed(1)} s\n`);
    // Exit 1 only means some file of that shard was rejected; anything else is a failed pod, which Kubernetes would retry.
    if (r.code > 1) throw new Error(`pod ${r.index} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  const gradedMs = performance.now() - t0;
  const merge = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'merge', ...results.map((r) => join(out, `shard-${r.index}`)), '--out', join(out, 'class')], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => resolve(code ?? 1));
  });
  say(`all pods: ${(gradedMs / 1000).toFixed(1)} s; with merge: ${((performance.now() - t0) / 1000).toFixed(1)} s; class report in ${join(out, 'class')}\n`);
  return merge;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const dash = argv.indexOf('--');
  const extra = dash >= 0 ? argv.slice(dash + 1) : [];
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const flag = (name: string, def: string) => {
    const i = own.indexOf(name);
    return i >= 0 && own[i + 1] ? own.splice(i, 2)[1] : def;
  };
  const out = flag('--out', '');
  const pods = Number(flag('--pods', '2'));
  const jobs = Number(flag('--jobs-per-pod', '1'));
  if (!out || own.length !== 1 || !(pods >= 1) || !(jobs >= 1)) {
    process.stderr.write('usage: npm run simulate-indexed-job -- <submissions folder> --out <dir> [--pods N] [--jobs-per-pod J] [-- more grade options]\n');
    process.exit(2);
  }
  simulate(own[0], out, pods, jobs, extra).then((code) => process.exit(code), (e) => {
    process.stderr.write(`simulate-indexed-job: ${(e as Error).message}\n`);
    process.exit(2);
  });
}
