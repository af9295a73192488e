// The submission file a learner exports for their instructor, and imports to restore their work elsewhere.
// Shared with the instructor's batch grading: the instructor grades `code` and `answers` again; the browser's own
// results travel along only as information (a learner's browser is not a trusted grader).
//
// Format (version 2; version 1 is still read), one JSON object:
//   format        "attention-mechanism-math/submission"
//   version       2 — bump on any incompatible change; readers must reject versions they do not know
//   learner       the name or student id the learner typed
//   courseVersion the course's package version the work was done against (e.g. "0.1.0")
//   exportedAt    ISO 8601 time of export
//   exercises     keyed by exercise id ("01" … "10"); only exercises the learner touched appear:
//     code          the learner's TypeScript file, exactly as written
//     answers.c     chosen option id of the part (c) concept question, or null
//     answers.freeText  the free-text answer of part (c) ("" when empty)
//     browser       informational: { informational: true, attempts, partsPassed: {a,b,c}, result: GradeResult | null }
//     history       (version 2 only) what the learner's browser recorded, as reported by it, not proof:
//                   { runs, firstRunAt, lastRunAt, passedAt, hints: [{index, at}], solutionRevealedAt, choices: [{choice, at}] }
// Version 2 exports only exercises the learner edited or answered; version 1 exported every exercise it had seen.
import { z } from 'zod';
import { GradeResult } from '../../graders/lib/result';
import { emptyHistory, HISTORY_LIMITS, type History as HistoryShape } from './history';

export { emptyHistory };

/** Identifies the file type. */
export const SUBMISSION_FORMAT = 'attention-mechanism-math/submission' as const;
/** Current version of the submission format (the version this course writes). */
export const SUBMISSION_VERSION = 2 as const;
/** Every version this course reads. */
export const READABLE_VERSIONS = [1, 2] as const;

/** Exercise ids as folders number them: "01" … "99". */
export const ExerciseId = z.string().regex(/^\d\d$/, 'an exercise id like "01"');

/** What the learner's browser saw; never used as the grade. */
export const BrowserResults = z
  .object({
    /** Always true: marks these results as computed by the learner's own browser. */
    informational: z.literal(true),
    /** Runs made in this browser. */
    attempts: z.number().int().nonnegative(),
    /** Parts that passed at least once in this browser. */
    partsPassed: z.object({ a: z.boolean(), b: z.boolean(), c: z.boolean() }).strict(),
    /** The result of the last Run (grading library schema), or null when the learner never ran the code. */
    result: GradeResult.nullable(),
  })
  .strict();

/** One exercise of a version-1 submission (no history). */
export const SubmissionExerciseV1 = z
  .object({
    code: z.string().max(200_000),
    answers: z.object({ c: z.string().max(200).nullable(), freeText: z.string().max(20_000) }).strict(),
    browser: BrowserResults,
  })
  .strict();

/** A time the learner's browser recorded (its own clock: not proof). */
const At = z.iso.datetime();

/** What the learner's browser recorded about one exercise while the learner worked on it (reported, not proven). */
export const History: z.ZodType<HistoryShape> = z
  .object({
    /** Runs made, and when the first and the last were made. */
    runs: z.number().int().nonnegative(),
    firstRunAt: At.nullable(),
    lastRunAt: At.nullable(),
    /** First Run in which every test of parts (a) and (b) passed. */
    passedAt: At.nullable(),
    /** Hints opened, by index from 0, in the order opened. */
    hints: z.array(z.object({ index: z.number().int().nonnegative(), at: At }).strict()).max(HISTORY_LIMITS.hints),
    /** When the reference solution was shown, or null. */
    solutionRevealedAt: At.nullable(),
    /** The part (c) choices in the order made. */
    choices: z.array(z.object({ choice: z.string().max(200), at: At }).strict()).max(HISTORY_LIMITS.choices),
  })
  .strict();
export type History = HistoryShape;

/** One exercise of a version-2 submission: version 1's fields and the history. */
export const SubmissionExerciseV2 = SubmissionExerciseV1.extend({ history: History }).strict();

/** One exercise of a submission of either version (`history` is absent in version 1). */
export type SubmissionExercise = z.infer<typeof SubmissionExerciseV1> & { history?: History };

const header = {
  format: z.literal(SUBMISSION_FORMAT),
  learner: z.string().trim().min(1, 'the learner name or id is empty').max(200),
  courseVersion: z.string().min(1).max(50),
  exportedAt: z.iso.datetime(),
};

/** A version-1 submission file. */
export const SubmissionV1 = z.object({ ...header, version: z.literal(1), exercises: z.record(ExerciseId, SubmissionExerciseV1) }).strict();
/** A version-2 submission file (what this course exports). */
export const SubmissionV2 = z.object({ ...header, version: z.literal(2), exercises: z.record(ExerciseId, SubmissionExerciseV2) }).strict();
/** A submission file of any version this course reads. */
export const Submission = z.discriminatedUnion('version', [SubmissionV1, SubmissionV2]);
export type Submission = z.infer<typeof Submission>;

/** The recorded history of one exercise, or null when the file (version 1) carries none. */
export function historyOf(s: Submission, id: string): History | null {
  return s.version === 2 ? (s.exercises[id]?.history ?? null) : null;
}

/** How part (c) is scored from a learner's choices: the first recorded choice, the last, or not at all. */
export type ConceptPolicy = 'first' | 'last' | 'ignore';

/** The part (c) answer the instructor grades under `policy` (a file without history has only its last choice). */
export function conceptAnswer(s: Submission, id: string, policy: ConceptPolicy): string | undefined {
  const e = s.exercises[id];
  if (!e || policy === 'ignore') return undefined;
  const first = historyOf(s, id)?.choices[0]?.choice;
  return (policy === 'first' ? first : undefined) ?? e.answers.c ?? undefined;
}

/** Parses a submission file's text; returns the submission or one readable sentence saying what is wrong. */
export function parseSubmission(text: string): { ok: true; value: Submission } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'this file is not JSON, so it is not a submission file' };
  }
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== SUBMISSION_FORMAT) {
    return { ok: false, error: 'this JSON file is not a submission file of this course' };
  }
  const v = (raw as { version?: unknown }).version;
  if (!(READABLE_VERSIONS as readonly unknown[]).includes(v)) return { ok: false, error: `this submission file has version ${String(v)}; this course reads versions ${READABLE_VERSIONS.join(' and ')}` };
  const r = Submission.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    return { ok: false, error: `the submission file is damaged: ${first.path.join('.') || 'file'}: ${first.message}` };
  }
  return { ok: true, value: r.data };
}

/** A file name for a submission: "attention-math-<learner>-<date>.json". */
export function submissionFileName(s: Submission): string {
  const who = s.learner.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'learner';
  return `attention-math-${who}-${s.exportedAt.slice(0, 10)}.json`;
}

/** An issue `newestPerLearner` raises on one file. */
export interface DuplicateIssue {
  file: string;
  severity: 'error' | 'warning';
  message: string;
}

/** Learner ids are compared trimmed, NFC-normalised and case-insensitively. */
export const learnerKey = (name: string) => name.trim().normalize('NFC').toLowerCase();

/** Which file counts when several claim one learner id: all of them (default), the newest export, or named files. */
export type DuplicatePolicy = { keep: 'all' } | { keep: 'newest' } | { keep: 'files'; files: string[] };

/**
 * Files that claim one learner id (trimmed, case-folded). By default every file is graded and each one of a
 * duplicate group is flagged, naming the others: nothing is dropped unless the instructor says which one counts
 * (`newest`: the newest export, equal times the later path; `files`: the named file of its group). Returns the
 * kept items in path order and the issues per file (the command line and the instructor page apply the same rule).
 */
export function newestPerLearner<T extends { file: string; submission: Submission }>(items: T[], policy: DuplicatePolicy = { keep: 'all' }): { kept: T[]; issues: DuplicateIssue[] } {
  const byLearner = new Map<string, T[]>();
  for (const it of items) {
    const k = learnerKey(it.submission.learner);
    byLearner.set(k, [...(byLearner.get(k) ?? []), it]);
  }
  const kept: T[] = [];
  const issues: DuplicateIssue[] = [];
  for (const group of byLearner.values()) {
    const sorted = [...group].sort((a, b) => b.submission.exportedAt.localeCompare(a.submission.exportedAt) || b.file.localeCompare(a.file));
    const chosen = policy.keep === 'newest' ? sorted[0] : policy.keep === 'files' ? sorted.find((x) => policy.files.includes(x.file)) : undefined;
    if (sorted.length === 1) {
      kept.push(sorted[0]);
      continue;
    }
    if (!chosen) {
      kept.push(...sorted);
      for (const it of sorted) {
        const others = sorted.filter((x) => x !== it).map((x) => x.file).join(', ');
        issues.push({ file: it.file, severity: 'warning', message: `duplicate learner id "${it.submission.learner}": also claimed by ${others}; every file was graded — say which one counts (--prefer newest or --prefer file:<path>)` });
      }
      continue;
    }
    kept.push(chosen);
    const why = policy.keep === 'newest' ? 'is the newest export' : 'was chosen by the instructor';
    for (const other of sorted) {
      if (other === chosen) continue;
      issues.push({ file: other.file, severity: 'error', message: `duplicate learner id "${other.submission.learner}": ${chosen.file} ${why} and was graded instead` });
    }
    issues.push({ file: chosen.file, severity: 'warning', message: `the learner id "${chosen.submission.learner}" also appears in ${sorted.filter((x) => x !== chosen).map((s) => s.file).join(', ')}; this file ${why} and was graded` });
  }
  return { kept: kept.sort((a, b) => a.file.localeCompare(b.file)), issues };
}
