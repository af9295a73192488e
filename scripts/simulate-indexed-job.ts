// Simulates the Kubernetes Indexed Job of deploy/k8s/ on one machine: N "pods" (processes) run the container
// command of deploy/k8s/grade-job.yaml — read from the manifest, so what is tested is what the cluster runs — each
// with JOB_COMPLETION_INDEX set as the Job controller sets it; then the command of merge-job.yaml joins their reports.
//   npm run simulate-indexed-job -- <submissions folder> --out <dir> [--pods N] [--jobs-per-pod J] [--secret-seed S]
// Writes <dir>/shard-<i>/ per pod and <dir>/class/ (the merged class report); prints each pod's and the total time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Container {
  command: string[];
  args: string[];
}

/** The first container's shell command of a Job manifest in deploy/k8s/. */
export function manifestCommand(file: string): string {
  const job = yaml.load(readFileSync(join(ROOT, 'deploy', 'k8s', file), 'utf8')) as { spec: { template: { spec: { containers: Container[] } } } };
  const c = job.spec.template.spec.containers[0];
  if (c.command.join(' ') !== 'sh -c' || c.args.length !== 1) throw new Error(`${file}: expected command ["sh", "-c"] and one argument`);
  return c.args[0];
}

/** Runs a manifest's command as a pod would (working directory = the image's /app), with `env`; resolves with exit code and time. */
function runPod(command: string, env: Record<string, string>): Promise<{ code: number; ms: number; stderr: string }> {
  const t0 = performance.now();
  // `node` in the command must be this Node (22, like the image's), not whatever the PATH has first.
  const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  return new Promise((done) => {
    const child = spawn('sh', ['-c', command], { cwd: ROOT, env: { ...process.env, PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? 1, ms: performance.now() - t0, stderr }));
  });
}

/** Runs N pods side by side, then the merge; throws when a pod or the merge fails (Kubernetes would retry it). */
export async function simulate(opts: { input: string; out: string; pods: number; jobsPerPod: number; secretSeed: string; roster?: string }, say: (s: string) => void = (s) => process.stdout.write(s)): Promise<{ podsMs: number[]; gradeMs: number; totalMs: number }> {
  const out = resolve(opts.out);
  const grade = manifestCommand('grade-job.yaml');
  const env = { SUBMISSIONS: resolve(opts.input), OUT: out, SHARDS: String(opts.pods), JOBS: String(opts.jobsPerPod), SECRET_SEED: opts.secretSeed };
  const t0 = performance.now();
  const pods = await Promise.all(Array.from({ length: opts.pods }, (_, i) => runPod(grade, { ...env, JOB_COMPLETION_INDEX: String(i) })));
  pods.forEach((p, i) => {
    say(`pod ${i}: exit ${p.code}, ${(p.ms / 1000).toFixed(1)} s\n`);
    if (p.code !== 0) throw new Error(`pod ${i} failed (exit ${p.code}): ${p.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  });
  const gradeMs = performance.now() - t0;
  const merge = await runPod(manifestCommand('merge-job.yaml'), { OUT: out, ROSTER: opts.roster ? resolve(opts.roster) : join(out, 'no-roster.csv') });
  if (merge.code !== 0) throw new Error(`merge failed (exit ${merge.code}): ${merge.stderr.trim()}`);
  const totalMs = performance.now() - t0;
  say(`all pods: ${(gradeMs / 1000).toFixed(1)} s; with merge: ${(totalMs / 1000).toFixed(1)} s; class report in ${join(out, 'class')}\n`);
  return { podsMs: pods.map((p) => p.ms), gradeMs, totalMs };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const flag = (name: string, def: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv.splice(i, 2)[1] : def;
  };
  const out = flag('--out', '');
  const pods = Number(flag('--pods', '2'));
  const jobsPerPod = Number(flag('--jobs-per-pod', '1'));
  const secretSeed = flag('--secret-seed', 'simulated indexed job');
  const roster = flag('--roster', '') || undefined;
  if (!out || argv.length !== 1 || !(pods >= 1) || !(jobsPerPod >= 1)) {
    process.stderr.write('usage: npm run simulate-indexed-job -- <submissions folder> --out <dir> [--pods N] [--jobs-per-pod J] [--secret-seed S] [--roster roster.csv]\n');
    process.exit(2);
  }
  simulate({ input: argv[0], out, pods, jobsPerPod, secretSeed, roster }).then(() => process.exit(0), (e) => {
    process.stderr.write(`simulate-indexed-job: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
