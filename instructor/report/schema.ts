// The instructor report (report.json): versioned, validated with zod when written and when the site opens it.
import { z } from 'zod';
import { GradeResult } from '../../graders/lib/result';

/** Identifies the file type. */
export const REPORT_FORMAT = 'attention-mechanism-math/instructor-report' as const;
/** Current version of the report format; bump on any incompatible change. */
export const REPORT_VERSION = 1 as const;

/** A problem with one file or one learner's submission. */
export const Issue = z.object({ severity: z.enum(['error', 'warning']), message: z.string() });
export type Issue = z.infer<typeof Issue>;

/** Every input file and what became of it. */
export const FileEntry = z.object({
  file: z.string(),
  status: z.enum(['graded', 'rejected']),
  learner: z.string().nullable(),
  issues: z.array(Issue),
});
export type FileEntry = z.infer<typeof FileEntry>;

/** One exercise of one learner, re-graded from the submitted code. */
export const LearnerExercise = z.object({
  exerciseId: z.string(),
  submitted: z.boolean(),
  /** The learner's code exactly as submitted (untrusted text). */
  code: z.string().nullable(),
  result: GradeResult,
  /** Console output of the learner's code during grading (capped). */
  logs: z.array(z.string()),
  loadError: z.string().nullable(),
  /** Time the learner's code ran in the sandbox, ms. */
  cpuMs: z.number().nonnegative(),
});
export type LearnerExercise = z.infer<typeof LearnerExercise>;

/** One learner (one accepted submission file). */
export const LearnerReport = z.object({
  learner: z.string(),
  file: z.string(),
  exportedAt: z.string(),
  courseVersion: z.string(),
  total: z.object({ points: z.number(), maxPoints: z.number() }),
  exercises: z.array(LearnerExercise),
  issues: z.array(Issue),
  /** Path of this learner's Gradescope-style results file, relative to the report folder. */
  resultsFile: z.string(),
});
export type LearnerReport = z.infer<typeof LearnerReport>;

/** Facts about one exercise of the course. */
export const ExerciseInfo = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  section: z.string(),
  points: z.object({ a: z.number(), b: z.number(), c: z.number() }),
  maxPoints: z.number(),
});
export type ExerciseInfo = z.infer<typeof ExerciseInfo>;

/** Class statistics of one part of one exercise, over the learners who submitted it. */
export const PartStat = z.object({
  /** Share of learners whose every test of this part passed (0–1). */
  passRate: z.number(),
  /** Mean points as a share of the part's maximum (0–1). */
  meanScore: z.number(),
  meanPoints: z.number(),
  maxPoints: z.number(),
});
export type PartStat = z.infer<typeof PartStat>;

/** The class overview. */
export const Overview = z.object({
  learners: z.number().int(),
  filesRead: z.number().int(),
  filesRejected: z.number().int(),
  exercises: z.array(
    z.object({
      id: z.string(),
      submitted: z.number().int(),
      /** Share of submitting learners with every part fully right (0–1). */
      passRate: z.number(),
      meanPoints: z.number(),
      maxPoints: z.number(),
      parts: z.object({ a: PartStat, b: PartStat, c: PartStat }),
    }),
  ),
  /** Learners by total score, in bins of 10 % of the course maximum (the last bin includes 100 %). */
  distribution: z.array(z.object({ fromPercent: z.number(), toPercent: z.number(), count: z.number().int() })),
  /** Diagnosed misconceptions across the class, most widespread first. */
  mistakes: z.array(
    z.object({
      exerciseId: z.string(),
      mistake: z.string(),
      section: z.string(),
      message: z.string(),
      /** Learners in whose answer it was recognised. */
      learners: z.number().int(),
      /** Tests it explained, over all learners. */
      tests: z.number().int(),
    }),
  ),
});
export type Overview = z.infer<typeof Overview>;

/** Where the grades came from. */
export const Provenance = z.object({
  course: z.object({ name: z.string(), version: z.string() }),
  graderVersion: z.string(),
  engineVersion: z.string().nullable(),
  resultSchemaVersion: z.number().int(),
  submissionVersion: z.number().int(),
  seed: z.object({ value: z.number().int(), secret: z.boolean() }),
  generatedAt: z.string(),
  durationMs: z.number(),
  tool: z.string(),
  node: z.string(),
  sandbox: z.object({
    engine: z.string(),
    memoryMb: z.number(),
    stackKb: z.number(),
    callTimeoutMs: z.number(),
    testBudgetMs: z.number(),
    exerciseBudgetMs: z.number(),
    jobs: z.number().int(),
  }),
  /** Set when this report is one shard of a class (`--shard i/n`). */
  shard: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
  /** Set when this report was merged from shard reports (`grade merge`): how many. */
  mergedFrom: z.number().int().optional(),
});
export type Provenance = z.infer<typeof Provenance>;

/** One person of the LMS roster (`--roster`); empty text where the roster has no such column. */
export const RosterEntry = z.object({
  /** The learner id typed in the course (what submissions carry), or '' when the roster matches by email or ids. */
  learner: z.string(),
  name: z.string(),
  /** The LMS's own user id (Canvas "ID"). */
  studentId: z.string(),
  sisUserId: z.string(),
  sisLoginId: z.string(),
  email: z.string(),
  section: z.string(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** What the LMS files were built from, and who could not be matched. */
export const LmsInfo = z.object({
  /** The roster file as given, or null when none was (then the LMS files use the learner ids as typed). */
  rosterFile: z.string().nullable(),
  roster: z.array(RosterEntry),
  /** Graded learner ids that match no roster entry. */
  notInRoster: z.array(z.string()),
  /** Roster entries (indices into `roster`) with no graded submission. */
  noSubmission: z.array(z.number().int()),
});
export type LmsInfo = z.infer<typeof LmsInfo>;

/** The whole report. */
export const InstructorReport = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  provenance: Provenance,
  exercises: z.array(ExerciseInfo),
  overview: Overview,
  learners: z.array(LearnerReport),
  files: z.array(FileEntry),
  /** LMS gradebook matching (instructor/roster.ts); absent in reports written before it existed. */
  lms: LmsInfo.optional(),
});
export type InstructorReport = z.infer<typeof InstructorReport>;

/** Parses report.json text; the report or one readable sentence. */
export function parseReport(text: string): { ok: true; value: InstructorReport } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'this file is not JSON' };
  }
  const f = raw as { format?: unknown; version?: unknown } | null;
  if (!f || f.format !== REPORT_FORMAT) return { ok: false, error: 'this JSON file is not an instructor report of this course' };
  if (f.version !== REPORT_VERSION) return { ok: false, error: `this report has version ${String(f.version)}; this page reads version ${REPORT_VERSION}` };
  const r = InstructorReport.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    return { ok: false, error: `the report is damaged: ${first.path.join('.')}: ${first.message}` };
  }
  return { ok: true, value: r.data };
}
