// The learner's progress, kept in this browser's localStorage under one versioned key.
// Every read and write reports failure (private mode, quota, disabled storage) instead of
// swallowing it, so the page can tell the learner their progress is not being saved.

/** Storage key; bump the suffix when the shape changes incompatibly. */
export const PROGRESS_KEY = 'amm.progress.v1';

/** Per-exercise progress: which parts passed and how many runs were made. */
export interface ExerciseProgress {
  parts: { a?: boolean; b?: boolean; c?: boolean };
  attempts: number;
}

/** Everything the course remembers about one learner in one browser. */
export interface Progress {
  version: 1;
  lessons: Record<string, { readAt: string }>;
  exercises: Record<string, ExerciseProgress>;
  /** Quick checks inside lessons, by id ("06-kv-passes"); absent in records saved before checks existed. */
  checks?: Record<string, QuickCheckProgress>;
}

/** One quick check: how many answers were given and whether one was right. */
export interface QuickCheckProgress {
  attempts: number;
  correct: boolean;
}

/** Result of a storage operation: the value, or a message saying why storage failed. */
export type StoreResult<T> = { ok: true; value: T } | { ok: false; error: string; value: T };

/** A fresh, empty progress record. */
export function emptyProgress(): Progress {
  return { version: 1, lessons: {}, exercises: {} };
}

/** A sentence for the learner saying why a storage operation failed (quota, private mode, …). */
export function describeStorageError(e: unknown): string {
  if (e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22)) {
    return 'browser storage is full, so progress could not be saved';
  }
  if (e instanceof DOMException && e.name === 'SecurityError') {
    return 'browser storage is disabled (private mode or site settings), so progress is not saved';
  }
  return `browser storage failed: ${e instanceof Error ? e.message : String(e)}`;
}

/** Reads progress; a missing record is empty progress, a corrupt one is reported. */
export function loadProgress(storage: Storage | undefined = globalThis.localStorage): StoreResult<Progress> {
  try {
    if (!storage) return { ok: false, error: 'browser storage is not available', value: emptyProgress() };
    const raw = storage.getItem(PROGRESS_KEY);
    if (raw === null) return { ok: true, value: emptyProgress() };
    const parsed = JSON.parse(raw) as Partial<Progress>;
    if (parsed?.version !== 1 || typeof parsed.lessons !== 'object' || typeof parsed.exercises !== 'object') {
      return { ok: false, error: 'saved progress has an unknown format; starting empty', value: emptyProgress() };
    }
    return { ok: true, value: parsed as Progress };
  } catch (e) {
    return { ok: false, error: describeStorageError(e), value: emptyProgress() };
  }
}

/** Applies `change` to the stored progress and writes it back. */
export function updateProgress(
  change: (p: Progress) => void,
  storage: Storage | undefined = globalThis.localStorage,
): StoreResult<Progress> {
  const loaded = loadProgress(storage);
  if (!loaded.ok && loaded.error !== 'saved progress has an unknown format; starting empty') return loaded;
  const next = loaded.value;
  change(next);
  try {
    storage!.setItem(PROGRESS_KEY, JSON.stringify(next));
    return { ok: true, value: next };
  } catch (e) {
    return { ok: false, error: describeStorageError(e), value: next };
  }
}

/** Marks a lesson read (or unread) by its slug. */
export function setLessonRead(slug: string, read: boolean, storage?: Storage): StoreResult<Progress> {
  return updateProgress((p) => {
    if (read) p.lessons[slug] = { readAt: new Date().toISOString() };
    else delete p.lessons[slug];
  }, storage);
}

/** Which parts of an exercise passed in one Run (or answer). */
export type PartsPassed = { a?: boolean; b?: boolean; c?: boolean };

/**
 * Records one Run of exercise `id` ("01"): attempts goes up by one and every part that passed is marked passed.
 * A part stays passed once it has passed (progress records what the learner achieved, not the latest edit).
 */
export function recordExerciseRun(id: string, passed: PartsPassed, storage?: Storage): StoreResult<Progress> {
  return updateProgress((p) => {
    const e = (p.exercises[id] ??= { parts: {}, attempts: 0 });
    e.attempts += 1;
    for (const k of ['a', 'b', 'c'] as const) if (passed[k]) e.parts[k] = true;
  }, storage);
}

/** Marks parts of exercise `id` passed without counting a Run (the part (c) answer, an imported submission). */
export function markExerciseParts(id: string, passed: PartsPassed, storage?: Storage): StoreResult<Progress> {
  return updateProgress((p) => {
    const e = (p.exercises[id] ??= { parts: {}, attempts: 0 });
    for (const k of ['a', 'b', 'c'] as const) if (passed[k]) e.parts[k] = true;
  }, storage);
}

/** Records one answer to quick check `id`; once answered correctly it stays correct. */
export function recordCheck(id: string, correct: boolean, storage?: Storage): StoreResult<Progress> {
  return updateProgress((p) => {
    const c = ((p.checks ??= {})[id] ??= { attempts: 0, correct: false });
    c.attempts += 1;
    c.correct ||= correct;
  }, storage);
}
