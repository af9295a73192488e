// Export and import of the submission file from a workspace's "Submission file" panel.
import { GradeResult } from '../../graders/lib/result';
import { loadProgress, markExerciseParts, describeStorageError, updateProgress } from '../progress/store';
import { $, type WorkspaceData } from './data';
import { refreshProgress } from './progress-view';
import { pageWorks, readWork, writeWork, freshWork, type SavedWork } from './saved';
import { emptyHistory, historyOf, parseSubmission, Submission, submissionFileName, SUBMISSION_FORMAT, SUBMISSION_VERSION, type SubmissionExercise } from './submission';

/** Storage key of the learner name typed for submissions. */
export const LEARNER_KEY = 'amm.learner.v1';

function say(root: HTMLElement, text: string, error = false): void {
  const p = $(root, '[data-submission-status]');
  p.textContent = text;
  p.classList.toggle('is-error', error);
}

/** Reads the learner-name field, remembering it (storage failure is fine here: the field still holds it). */
function learnerName(root: HTMLElement): string {
  const input = $<HTMLInputElement>(root, '[data-learner]');
  if (!input.value) {
    try {
      input.value = localStorage.getItem(LEARNER_KEY) ?? '';
    } catch {
      /* the name is typed again; nothing is lost */
    }
  }
  return input.value.trim();
}

/** What a submission file holds, for the learner (the export panel and the status after export). */
export const FILE_CONTENTS =
  'your code and part (c) answers for each exercise you edited, and what this browser recorded: how many times and when you ran your code, which hints you opened and when, when you showed the solution, and your part (c) choices in order';

/**
 * Builds the submission from the work of every exercise the learner edited or answered (in memory on this page
 * first, else saved); an exercise only opened is left out, so its starter is never handed in.
 */
export function buildSubmission(learner: string, data: WorkspaceData): Submission {
  const progress = loadProgress().value;
  const exercises: Record<string, Required<SubmissionExercise>> = {};
  for (const { id } of data.exercises) {
    const w: SavedWork | null = pageWorks.get(id)?.value ?? readWork(id).value;
    if (!w?.edited) continue;
    const p = progress.exercises[id];
    const result = GradeResult.safeParse(w.lastResult);
    exercises[id] = {
      code: w.code,
      answers: { c: w.choice, freeText: w.freeText },
      browser: {
        informational: true,
        attempts: Math.max(p?.attempts ?? 0, w.history.runs),
        partsPassed: { a: Boolean(p?.parts.a), b: Boolean(p?.parts.b), c: Boolean(p?.parts.c) },
        result: result.success ? result.data : null,
      },
      history: w.history,
    };
  }
  return Submission.parse({
    format: SUBMISSION_FORMAT,
    version: SUBMISSION_VERSION,
    learner,
    courseVersion: data.courseVersion,
    exportedAt: new Date().toISOString(),
    exercises,
  });
}

/** Downloads the submission file. */
export function exportSubmission(root: HTMLElement, data: WorkspaceData): void {
  const details = $<HTMLDetailsElement>(root, '[data-submission]');
  details.open = true;
  const learner = learnerName(root);
  if (!learner) {
    say(root, 'Type your name or student id first; it goes into the file.', true);
    $(root, '[data-learner]').focus();
    return;
  }
  try {
    localStorage.setItem(LEARNER_KEY, learner);
  } catch {
    /* remembered only for this page */
  }
  const sub = buildSubmission(learner, data);
  const blob = new Blob([JSON.stringify(sub, null, 2) + '\n'], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = submissionFileName(sub);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  const ids = Object.keys(sub.exercises).sort();
  say(
    root,
    ids.length
      ? `Exported ${a.download} with exercise${ids.length === 1 ? '' : 's'} ${ids.join(', ')}: ${FILE_CONTENTS}.`
      : `Exported ${a.download}, but it holds no exercise yet: only exercises whose code you changed or whose part (c) you answered go into the file.`,
  );
}

/** Restores work from the chosen file after validation and confirmation; a bad file changes nothing. */
export async function importSubmission(root: HTMLElement, data: WorkspaceData): Promise<void> {
  const input = $<HTMLInputElement>(root, '[data-import]');
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  $<HTMLDetailsElement>(root, '[data-submission]').open = true;
  if (file.size > 5_000_000) return say(root, 'Nothing was changed: this file is too large to be a submission file.', true);
  const parsed = parseSubmission(await file.text());
  if (!parsed.ok) return say(root, `Nothing was changed: ${parsed.error}.`, true);
  const sub = parsed.value;
  const known = new Set(data.exercises.map((e) => e.id));
  const ids = Object.keys(sub.exercises).filter((id) => known.has(id)).sort();
  if (!ids.length) return say(root, 'Nothing was changed: the file has no exercise of this course.', true);
  if (!window.confirm(`Replace your code and answers for exercise${ids.length > 1 ? 's' : ''} ${ids.join(', ')} with the file's (from ${sub.learner}, ${sub.exportedAt.slice(0, 10)})?`)) {
    return say(root, 'Import cancelled; nothing was changed.');
  }
  const errors: string[] = [];
  for (const id of ids) {
    const e = sub.exercises[id];
    // A version-1 file carries no history: its run count is the browser's attempts, with no times.
    const history = historyOf(sub, id) ?? { ...emptyHistory(), runs: e.browser.attempts };
    const work: SavedWork = {
      ...(pageWorks.get(id)?.value ?? readWork(id).value ?? freshWork(e.code)),
      code: e.code,
      choice: e.answers.c,
      freeText: e.answers.freeText,
      attempted: e.browser.attempts > 0 || history.runs > 0 || e.browser.result !== null,
      lastResult: e.browser.result,
      edited: true,
      history: structuredClone(history),
    };
    const pw = pageWorks.get(id);
    if (pw) pw.update(work, true);
    else {
      const err = writeWork(id, work);
      if (err) errors.push(err);
    }
    const saved = markExerciseParts(id, e.browser.partsPassed);
    if (!saved.ok) errors.push(saved.error);
    // The run count comes back with the work (progress counts runs in this browser; the file's count is kept).
    const runs = Math.max(e.browser.attempts, history.runs);
    const counted = updateProgress((p) => {
      const x = (p.exercises[id] ??= { parts: {}, attempts: 0 });
      x.attempts = Math.max(x.attempts, runs);
    });
    if (!counted.ok) errors.push(counted.error);
  }
  try {
    localStorage.setItem(LEARNER_KEY, sub.learner);
  } catch (err) {
    errors.push(describeStorageError(err));
  }
  $<HTMLInputElement>(root, '[data-learner]').value = sub.learner;
  refreshProgress(loadProgress().value);
  say(
    root,
    errors.length
      ? `Imported exercises ${ids.join(', ')} into this page, but saving failed: ${errors[0]}. Export again before leaving.`
      : `Imported exercises ${ids.join(', ')} from ${sub.learner}'s file.`,
    errors.length > 0,
  );
}
