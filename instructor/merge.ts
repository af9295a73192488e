// `npm run grade -- merge <dir>… --out <dir>`: joins the reports of a sharded run (`--shard i/n`, one folder per
// shard) into one class report — the same report.html, report.json, CSV and results files, with totals and
// overview equal to an unsharded run's: learners and files are put back in the order one run gives them (by
// path) and the overview is recomputed from all learners.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { slug } from './batch';
import { buildOverview } from './report/overview';
import { InstructorReport, parseReport, type RosterEntry } from './report/schema';
import { writeReports } from './report/write';
import { idKey, lmsInfo, readRoster, RosterError } from './roster';

/** Why the shard reports cannot be merged (exit code 2). */
export class MergeError extends Error {}

const MERGE_USAGE = 'usage: npm run grade -- merge <shard output folders…> --out <dir> [--roster roster.csv]';

/** Merges shard reports (in any order) into one class report; throws MergeError when they do not belong together. */
export function mergeReports(parts: { dir: string; report: InstructorReport }[], roster?: { file: string; entries: RosterEntry[] }): InstructorReport {
  if (!parts.length) throw new MergeError('nothing to merge');
  const [first] = parts;
  const p0 = first.report.provenance;
  for (const { dir, report: r } of parts.slice(1)) {
    const p = r.provenance;
    const differs = [
      p.course.version !== p0.course.version && `course version ${p.course.version} ≠ ${p0.course.version}`,
      p.graderVersion !== p0.graderVersion && `grader version ${p.graderVersion} ≠ ${p0.graderVersion}`,
      (p.seed.value !== p0.seed.value || p.seed.secret !== p0.seed.secret) && 'another seed',
      r.exercises.map((e) => e.id).join() !== first.report.exercises.map((e) => e.id).join() && 'other exercises',
      (p.shard?.count ?? null) !== (p0.shard?.count ?? null) && `shard count ${p.shard?.count ?? 'none'} ≠ ${p0.shard?.count ?? 'none'}`,
    ].filter(Boolean);
    if (differs.length) throw new MergeError(`${dir} was graded differently from ${first.dir} (${differs.join(', ')}); grade all shards with the same course, options and shard count`);
  }
  if (p0.shard) {
    const seen = new Map<number, string>();
    for (const { dir, report: r } of parts) {
      const i = r.provenance.shard!.index;
      if (seen.has(i)) throw new MergeError(`shard ${i}/${p0.shard.count} appears twice: ${seen.get(i)} and ${dir}`);
      seen.set(i, dir);
    }
    const missing = Array.from({ length: p0.shard.count }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length) throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${p0.shard!.count}`).join(', ')} missing: the class would be incomplete`);
  }
  const owner = new Map<string, string>();
  for (const { dir, report: r } of parts) {
    for (const l of r.learners) {
      const k = idKey(l.learner);
      // One shard may hold several files claiming one id (all graded and flagged, batch.ts); two shards may not.
      if (owner.has(k) && owner.get(k) !== dir) throw new MergeError(`learner "${l.learner}" was graded in both ${owner.get(k)} and ${dir}; merge reports of disjoint shards only`);
      owner.set(k, dir);
    }
  }
  const byPath = <T extends { file: string }>(a: T, b: T) => a.file.localeCompare(b.file);
  const learners = parts.flatMap((x) => x.report.learners).sort(byPath).map((l, i) => ({ ...l, resultsFile: `results/${String(i + 1).padStart(4, '0')}-${slug(l.learner)}.json` }));
  const files = parts.flatMap((x) => x.report.files).sort(byPath);
  const exercises = first.report.exercises;
  const rejected = files.filter((f) => f.status === 'rejected').length;
  const shardRoster = parts.map((x) => x.report.lms).find((l) => l?.rosterFile);
  const rosterFile = roster?.file ?? shardRoster?.rosterFile ?? null;
  const entries = roster?.entries ?? shardRoster?.roster ?? [];
  const merged: InstructorReport = {
    ...first.report,
    provenance: {
      ...p0,
      generatedAt: new Date().toISOString(),
      // Shards run side by side: the class took as long as the slowest one.
      durationMs: Math.max(...parts.map((x) => x.report.provenance.durationMs)),
      tool: 'instructor merge of sharded grading (instructor/merge.ts)',
      sandbox: { ...p0.sandbox, jobs: parts.reduce((s, x) => s + x.report.provenance.sandbox.jobs, 0) },
      shard: undefined,
      mergedFrom: parts.length,
    },
    overview: buildOverview(exercises, learners, { read: files.length, rejected }),
    learners,
    files,
    lms: lmsInfo(rosterFile, entries, learners),
  };
  return InstructorReport.parse(merged);
}

/** Runs `merge` from argv (after the word merge); writes the class report; returns the exit code. */
export async function runMerge(argv: string[], io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {}): Promise<number> {
  const out = io.stdout ?? ((s: string) => process.stdout.write(s));
  const err = io.stderr ?? ((s: string) => process.stderr.write(s));
  const dirs: string[] = [];
  let outDir = '';
  let rosterFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if ((a === '--out' || a === '--roster') && (next === undefined || next.startsWith('--'))) {
      err(`grade: ${a} needs a value\n${MERGE_USAGE}\n`);
      return 2;
    }
    if (a === '--out') outDir = argv[++i];
    else if (a === '--roster') rosterFile = argv[++i];
    else if (a.startsWith('-')) {
      err(`grade: unknown option ${a}\n${MERGE_USAGE}\n`);
      return 2;
    } else dirs.push(a);
  }
  if (!outDir || !dirs.length) {
    err(`grade: ${!outDir ? '--out <dir> is required' : 'give the shard output folders to merge'}\n${MERGE_USAGE}\n`);
    return 2;
  }
  try {
    const parts = dirs.map((dir) => {
      let text: string;
      try {
        text = readFileSync(join(dir, 'report.json'), 'utf8');
      } catch {
        throw new MergeError(`${dir} has no report.json (was that shard's grading finished?)`);
      }
      const r = parseReport(text);
      if (!r.ok) throw new MergeError(`${dir}/report.json: ${r.error}`);
      return { dir, report: r.value };
    });
    const roster = rosterFile ? { file: rosterFile, entries: readRoster(rosterFile) } : undefined;
    const merged = mergeReports(parts, roster);
    writeReports(outDir, merged);
    const o = merged.overview;
    out(`merged ${parts.length} reports: ${o.learners} learners, ${o.filesRejected} of ${o.filesRead} files rejected\n`);
    out(`reports: ${outDir}/report.html, report.json, grades.csv, canvas.csv, moodle.csv, results/\n`);
    return o.filesRejected > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof MergeError || e instanceof RosterError) {
      err(`grade: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
