// `npm run grade -- merge <dir>… --out <dir>`: joins the reports of a sharded run (`--shard i/n`, one folder per
// shard) into one class report — the same report.html, report.json, CSV and results files, with totals and
// overview equal to an unsharded run's: learners and files are put back in the order one run gives them (by
// path) and the overview, integrity findings and LMS lists are recomputed over all learners. It reads each shard's
// report.json one learner at a time (report/stream.ts), validating each, keeps only slim rows in memory
// (report/slim.ts), then reads each learner again in class order while writing: no class is too large for it.
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { referenceFiles, slug } from './batch';
import { findIntegrity } from './report/integrity';
import { buildOverview } from './report/overview';
import { InstructorReport, type LearnerReport, type RosterEntry } from './report/schema';
import { hashedCodeKey, slimLearner } from './report/slim';
import { readLearnerAt, readReportStream, ReportReadError, type LinePlace, type ReportHead } from './report/stream';
import { writeReportStream } from './report/write';
import { idKey, lmsInfo, readRoster, RosterError } from './roster';

/** Why the shard reports cannot be merged (exit code 2). */
export class MergeError extends Error {}

const MERGE_USAGE = 'usage: npm run grade -- merge <shard output folders…> --out <dir> [--roster roster.csv]';

/** One shard report as the merge plans with it: its head and its learners' slim rows (report/slim.ts), in its order. */
export interface MergePart {
  dir: string;
  head: ReportHead;
  learners: LearnerReport[];
}

/** The merged class report's head, and which learner of which part comes at each place, with its results file. */
export interface MergePlan {
  head: ReportHead;
  order: { part: number; index: number; resultsFile: string }[];
}

/**
 * Plans the merge of shard reports (in any order) into one class report: checks they belong together (else throws
 * MergeError), orders learners and files as one run orders them (by path) and recomputes the overview, integrity
 * findings and LMS lists over the whole class. Reads only the slim rows, so it holds any class in memory.
 */
export function planMerge(parts: MergePart[], roster?: { file: string; entries: RosterEntry[] }): MergePlan {
  if (!parts.length) throw new MergeError('nothing to merge');
  const [first] = parts;
  const p0 = first.head.provenance;
  for (const { dir, head: r } of parts.slice(1)) {
    const p = r.provenance;
    const differs = [
      p.course.version !== p0.course.version && `course version ${p.course.version} ≠ ${p0.course.version}`,
      p.graderVersion !== p0.graderVersion && `grader version ${p.graderVersion} ≠ ${p0.graderVersion}`,
      (p.seed.value !== p0.seed.value || p.seed.secret !== p0.seed.secret) && 'another seed',
      (p.concept ?? 'first') !== (p0.concept ?? 'first') && `part (c) policy ${p.concept ?? 'first'} ≠ ${p0.concept ?? 'first'}`,
      r.exercises.map((e) => e.id).join() !== first.head.exercises.map((e) => e.id).join() && 'other exercises',
      (p.shard?.count ?? null) !== (p0.shard?.count ?? null) && `shard count ${p.shard?.count ?? 'none'} ≠ ${p0.shard?.count ?? 'none'}`,
    ].filter(Boolean);
    if (differs.length) throw new MergeError(`${dir} was graded differently from ${first.dir} (${differs.join(', ')}); grade all shards with the same course, options and shard count`);
  }
  if (p0.shard) {
    const seen = new Map<number, string>();
    for (const { dir, head: r } of parts) {
      const i = r.provenance.shard!.index;
      if (seen.has(i)) throw new MergeError(`shard ${i}/${p0.shard.count} appears twice: ${seen.get(i)} and ${dir}`);
      seen.set(i, dir);
    }
    const missing = Array.from({ length: p0.shard.count }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length) throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${p0.shard!.count}`).join(', ')} missing: the class would be incomplete`);
  }
  const owner = new Map<string, string>();
  for (const { dir, learners } of parts) {
    for (const l of learners) {
      const k = idKey(l.learner);
      // One shard may hold several files claiming one id (all graded and flagged, batch.ts); two shards may not.
      if (owner.has(k) && owner.get(k) !== dir) throw new MergeError(`learner "${l.learner}" was graded in both ${owner.get(k)} and ${dir}; merge reports of disjoint shards only`);
      owner.set(k, dir);
    }
  }
  const byPath = (a: string, b: string) => a.localeCompare(b);
  const placed = parts.flatMap((x, part) => x.learners.map((l, index) => ({ part, index, l }))).sort((a, b) => byPath(a.l.file, b.l.file));
  const order = placed.map(({ part, index, l }, i) => ({ part, index, resultsFile: `results/${String(i + 1).padStart(4, '0')}-${slug(l.learner)}.json` }));
  const learners = placed.map(({ l }, i) => ({ ...l, resultsFile: order[i].resultsFile }));
  const files = parts.flatMap((x) => x.head.files).sort((a, b) => byPath(a.file, b.file));
  const exercises = first.head.exercises;
  const rejected = files.filter((f) => f.status === 'rejected').length;
  const shardRoster = parts.map((x) => x.head.lms).find((l) => l?.rosterFile);
  const rosterFile = roster?.file ?? shardRoster?.rosterFile ?? null;
  const entries = roster?.entries ?? shardRoster?.roster ?? [];
  const head: ReportHead = {
    ...first.head,
    provenance: {
      ...p0,
      generatedAt: new Date().toISOString(),
      // Shards run side by side: the class took as long as the slowest one.
      durationMs: Math.max(...parts.map((x) => x.head.provenance.durationMs)),
      tool: 'instructor merge of sharded grading (instructor/merge.ts)',
      sandbox: { ...p0.sandbox, jobs: parts.reduce((s, x) => s + x.head.provenance.sandbox.jobs, 0) },
      shard: undefined,
      mergedFrom: parts.length,
    },
    overview: buildOverview(exercises, learners, { read: files.length, rejected }),
    files,
    // Recomputed over the whole class: the same code handed in by learners of different shards is found too.
    integrity: findIntegrity({
      courseVersion: p0.course.version, exercises, learners, concept: p0.concept ?? 'first', reference: referenceFiles(exercises), codeKey: hashedCodeKey,
      // Every file that was a valid submission carries its learner id (batch.ts), set aside as a duplicate or not.
      parsed: files.flatMap((f) => (f.learner === null ? [] : [{ file: f.file, learner: f.learner }])),
    }),
    lms: lmsInfo(rosterFile, entries, learners),
  };
  const { learners: _none, ...checked } = InstructorReport.parse({ ...head, learners: [] });
  return { head: checked, order };
}

/** Merges shard reports held in memory (in any order) into one class report; throws MergeError when they do not belong together. */
export function mergeReports(parts: { dir: string; report: InstructorReport }[], roster?: { file: string; entries: RosterEntry[] }): InstructorReport {
  const plan = planMerge(parts.map(({ dir, report: { learners, ...head } }) => ({ dir, head, learners: learners.map((l) => slimLearner(l, true)) })), roster);
  const learners = plan.order.map(({ part, index, resultsFile }) => ({ ...parts[part].report.learners[index], resultsFile }));
  return InstructorReport.parse({ ...plan.head, learners });
}

/** A shard report read learner by learner: its plan part, and where each full learner is found again. */
interface ReadPart extends MergePart {
  file: string;
  /** Per learner: its line in report.json, or the full row for a report that had to be read whole. */
  where: ({ place: LinePlace } | { full: LearnerReport })[];
}

/** Reads one shard folder's report.json, validating each learner, keeping only slim rows in memory. */
function readPart(dir: string): ReadPart {
  const file = join(dir, 'report.json');
  if (!existsSync(file)) throw new MergeError(`${dir} has no report.json (was that shard's grading finished?)`);
  const learners: LearnerReport[] = [];
  const where: ReadPart['where'] = [];
  try {
    const head = readReportStream(file, (l, place) => {
      learners.push(slimLearner(l, true));
      where.push(place ? { place } : { full: l });
    });
    return { dir, file, head, learners, where };
  } catch (e) {
    if (e instanceof ReportReadError) throw new MergeError(`${file}: ${e.message}`);
    throw e;
  }
}

/** The merged learners in class order, each read again from its shard's report.json when it is needed. */
function* mergedLearners(parts: ReadPart[], plan: MergePlan): Generator<LearnerReport> {
  const fds = parts.map((p) => openSync(p.file, 'r'));
  try {
    for (const { part, index, resultsFile } of plan.order) {
      const w = parts[part].where[index];
      yield { ...('place' in w ? readLearnerAt(fds[part], w.place) : w.full), resultsFile };
    }
  } finally {
    for (const fd of fds) closeSync(fd);
  }
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
    const roster = rosterFile ? { file: rosterFile, entries: readRoster(rosterFile) } : undefined;
    const parts = dirs.map(readPart);
    const plan = planMerge(parts, roster);
    writeReportStream(outDir, plan.head, mergedLearners(parts, plan), plan.order.length);
    const o = plan.head.overview;
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
