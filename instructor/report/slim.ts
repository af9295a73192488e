// A learner's row without the bulk (code, console output, test values): what the class overview, the integrity
// findings, the CSV gradebooks and report.html's learner index read. A merge keeps one of these per learner in
// memory instead of the full row (≈ 1–2 KB instead of ≈ 160 KB), so memory does not bound the class size.
import { createHash } from 'node:crypto';
import { normalizeCode } from './integrity';
import type { LearnerExercise, LearnerReport } from './schema';

/** The identical-code key of a file in a slim row: a hash of its code without comments and whitespace. */
export function hashedCodeKey(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('base64');
}

/** A learner exercise whose code is replaced by the key the identical-code finding compares (hashedCodeKey). */
export type SlimExercise = LearnerExercise & { codeKey?: string | null };

/**
 * The slim form of one learner (see the file comment); every score, count and history is kept. `withCodeKeys`:
 * keep each file's identical-code key (for recomputing integrity findings; costs a hash of every file).
 */
export function slimLearner(l: LearnerReport, withCodeKeys = false): LearnerReport {
  return {
    ...l,
    exercises: l.exercises.map((e): SlimExercise => {
      const firstPerMistake = e.result.diagnoses.flatMap((d) => {
        const t = e.result.tests.find((x) => x.diagnosis?.mistake === d.mistake);
        // Only the diagnosis of one test per mistake is read (its message, for the overview).
        return t ? [{ ...t, message: '', expected: null, actual: null, leaks: [], shrunk: null, inputs: undefined, call: undefined }] : [];
      });
      return {
        ...e,
        code: null,
        codeKey: withCodeKeys && e.code !== null ? hashedCodeKey(e.code) : null,
        logs: [],
        result: { ...e.result, tests: firstPerMistake, answers: { ...e.result.answers, freeText: null }, undiagnosed: undefined },
      };
    }),
  };
}
