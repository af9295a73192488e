// Integrity findings of a graded class: facts an instructor may want to look into (the same code handed in by
// several learners, a browser's claims the regrade did not confirm, the solution or hints used, part (c) answered
// by trying choices, one learner id in several files, another course version). Findings are never verdicts: the
// history they use is what each learner's browser reported, which a learner can edit.
import { learnerKey, type ConceptPolicy } from '../../src/workspace/submission';
import type { ExerciseInfo, IntegrityFinding, LearnerExercise, LearnerReport } from './schema';

/** The warning a version-1 file gets: it has no history, so the findings that rely on one do not cover it. */
export const NO_HISTORY_WARNING = 'version-1 submission file: it carries no history (runs, hints, solution shown, part (c) choices), so part (c) is scored from the one choice it holds and the findings that rely on a history do not cover it';

/** What the findings are computed from. */
export interface IntegrityInput {
  /** The course version the class was graded with. */
  courseVersion: string;
  exercises: ExerciseInfo[];
  learners: LearnerReport[];
  /** Every file that was a valid submission, before any duplicate was set aside. */
  parsed: { file: string; learner: string }[];
  /** Per exercise id, the reference solution and the starter file (for identical-code). */
  reference: Record<string, { solution: string; starter: string }>;
  /** Which part (c) choice was scored. */
  concept: ConceptPolicy;
  /**
   * The identical-code comparison key of a file (default: the code without comments and whitespace). A merge
   * passes a hash of that (report/slim.ts hashedCodeKey), and its slim rows carry it as `codeKey` instead of code.
   */
  codeKey?: (code: string) => string;
}

/**
 * A TypeScript file with comments and whitespace removed outside string and template literals, so two files that
 * differ only in layout and comments compare equal. (A `/` that starts a regular expression is read as division;
 * graded files rarely hold one, and a miss only makes two files compare unequal.)
 */
export function normalizeCode(code: string): string {
  // One token at a time, left to right: a line comment, a block comment (to the end when unclosed), a string or
  // template literal (a backslash escapes the next character; to the end when unclosed), or a run of whitespace.
  // Literals are kept, the rest dropped; any other character is kept as it is. One native regex pass: a class of
  // thousands of files is normalised in well under a second.
  return code.replace(TOKEN, (m) => (m[0] === '"' || m[0] === "'" || m[0] === '`' ? m : ''));
}
const TOKEN = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"[^"\\]*(?:\\[\s\S]?[^"\\]*)*"?|'[^'\\]*(?:\\[\s\S]?[^'\\]*)*'?|`[^`\\]*(?:\\[\s\S]?[^`\\]*)*`?|\s+/g;

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const REPORTED = "as reported by the learner's browser, not proof";

type Entry = { l: LearnerReport; e: LearnerExercise; key: string };

/** Every submitted exercise of every learner with its code key (from its code, or the key a slim row carries), in learner then exercise order. */
function submitted(learners: LearnerReport[], codeKey: (code: string) => string): Entry[] {
  return learners.flatMap((l) => l.exercises.flatMap((e: LearnerExercise & { codeKey?: string | null }) => {
    const key = !e.submitted ? null : e.code !== null ? codeKey(e.code) : e.codeKey ?? null;
    return key === null ? [] : [{ l, e, key }];
  }));
}

function identicalCode(input: IntegrityInput): IntegrityFinding[] {
  const out: IntegrityFinding[] = [];
  const codeKey = input.codeKey ?? normalizeCode;
  const all = submitted(input.learners, codeKey);
  for (const ex of input.exercises) {
    const ref = input.reference[ex.id];
    const solution = ref ? codeKey(ref.solution) : null;
    const starter = ref ? codeKey(ref.starter) : null;
    const groups = new Map<string, Entry[]>();
    for (const it of all.filter((x) => x.e.exerciseId === ex.id)) {
      // The untouched starter is the same for everyone and earns nothing; it says nothing about copying.
      if (it.key === starter) continue;
      const g = groups.get(it.key);
      if (g) g.push(it);
      else groups.set(it.key, [it]);
    }
    for (const [key, group] of groups) {
      const names = group.map((g) => g.l.learner);
      const files = group.map((g) => g.l.file);
      if (key === solution) {
        const revealed = group.filter((g) => g.e.history?.solutionRevealedAt).map((g) => g.l.learner);
        out.push({
          kind: 'identical-code', learners: names, files, exercises: [ex.id],
          sentence: `${list(names)} handed in the reference solution of exercise ${ex.id} (identical after removing comments and whitespace)` +
            (revealed.length ? `; ${list(revealed)} had it shown in the browser (${REPORTED}).` : '; no browser reported showing it.'),
        });
      } else if (group.length > 1) {
        out.push({
          kind: 'identical-code', learners: names, files, exercises: [ex.id],
          sentence: `${group.length} learners handed in the same code for exercise ${ex.id} (identical after removing comments and whitespace): ${list(names)}.`,
        });
      }
    }
  }
  return out;
}

/** One finding per learner over the exercises where `detail` says something (null = nothing to report). */
function perLearner(input: IntegrityInput, kind: IntegrityFinding['kind'], detail: (e: LearnerExercise) => string | null, sentence: (l: LearnerReport, parts: string[]) => string): IntegrityFinding[] {
  const out: IntegrityFinding[] = [];
  for (const l of input.learners) {
    const hits = l.exercises.filter((e) => e.submitted).flatMap((e) => {
      const d = detail(e);
      return d === null ? [] : [{ id: e.exerciseId, d }];
    });
    if (hits.length) out.push({ kind, learners: [l.learner], files: [l.file], exercises: hits.map((h) => h.id), sentence: sentence(l, hits.map((h) => h.d)) });
  }
  return out;
}

const fullyPassed = (e: LearnerExercise, p: 'a' | 'b') => e.result.parts[p].total > 0 && e.result.parts[p].passed === e.result.parts[p].total;

/** Computes every integrity finding of a graded class, grouped by kind. */
export function findIntegrity(input: IntegrityInput): IntegrityFinding[] {
  const findings: IntegrityFinding[] = [...identicalCode(input)];

  findings.push(...perLearner(input, 'browser-claims-differ', (e) => {
    const claimed = (['a', 'b'] as const).filter((p) => e.browserPassed?.[p] && !fullyPassed(e, p));
    if (!claimed.length) return null;
    return `exercise ${e.exerciseId} part${claimed.length > 1 ? 's' : ''} ${claimed.map((p) => `(${p})`).join(' and ')} (regrade: ${claimed.map((p) => `${e.result.parts[p].passed} of ${e.result.parts[p].total} tests`).join(', ')})`;
  }, (l, parts) => `${l.learner}'s browser reported passing ${list(parts)}, which the regrade of the handed-in code did not confirm; the code may also have changed after that Run.`));

  findings.push(...perLearner(input, 'solution-revealed-before-pass', (e) => {
    const h = e.history;
    if (!h?.solutionRevealedAt) return null;
    if (h.passedAt && Date.parse(h.passedAt) <= Date.parse(h.solutionRevealedAt)) return null;
    return `exercise ${e.exerciseId} (shown ${h.solutionRevealedAt}${h.passedAt ? `, first pass ${h.passedAt}` : ', no passing Run recorded'})`;
  }, (l, parts) => `${l.learner} had the reference solution shown before a Run passed parts (a) and (b): ${list(parts)} — ${REPORTED}.`));

  findings.push(...perLearner(input, 'hints-used', (e) => {
    const idx = [...new Set(e.history?.hints.map((h) => h.index + 1) ?? [])].sort((a, b) => a - b);
    return idx.length ? `exercise ${e.exerciseId} (hint${idx.length > 1 ? 's' : ''} ${idx.join(', ')})` : null;
  }, (l, parts) => `${l.learner} opened hints in ${list(parts)} — ${REPORTED}.`));

  const scored = { first: 'the first choice was scored', last: 'the last choice was scored', ignore: 'part (c) was not scored' }[input.concept];
  findings.push(...perLearner(input, 'concept-attempts', (e) => {
    const cs = e.history?.choices ?? [];
    return cs.length > 1 ? `exercise ${e.exerciseId}: ${cs.map((c) => c.choice).join(' → ')}` : null;
  }, (l, parts) => `${l.learner} changed the part (c) answer (choices in order): ${parts.join('; ')}; ${scored} — ${REPORTED}.`));

  const byKey = new Map<string, { file: string; learner: string }[]>();
  for (const p of input.parsed) {
    const k = learnerKey(p.learner);
    byKey.get(k)?.push(p) ?? byKey.set(k, [p]);
  }
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const files = [...group].sort((a, b) => a.file.localeCompare(b.file));
    findings.push({
      kind: 'duplicate-learner-id', learners: files.map((f) => f.learner), files: files.map((f) => f.file), exercises: [],
      sentence: `The learner id "${files[0].learner}" appears in ${files.length} files: ${list(files.map((f) => f.file))}.`,
    });
  }

  const byVersion = new Map<string, LearnerReport[]>();
  for (const l of input.learners) if (l.courseVersion !== input.courseVersion) byVersion.get(l.courseVersion)?.push(l) ?? byVersion.set(l.courseVersion, [l]);
  for (const [v, ls] of [...byVersion].sort(([a], [b]) => a.localeCompare(b))) {
    findings.push({
      kind: 'course-version-differs', learners: ls.map((l) => l.learner), files: ls.map((l) => l.file), exercises: [],
      sentence: `${list(ls.map((l) => l.learner))} worked on course version ${v}; the class was graded with ${input.courseVersion}.`,
    });
  }
  return findings;
}
