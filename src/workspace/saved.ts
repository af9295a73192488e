// The learner's work on one exercise, kept in memory and autosaved to localStorage under a versioned key per
// exercise. When storage fails the work stays in memory and the failure is reported, never swallowed.
import { describeStorageError } from '../progress/store';
import { emptyHistory, HISTORY_LIMITS, type History } from './history';

/** Storage key of an exercise's saved work; bump the version when the stored shape changes incompatibly. */
export const workspaceKey = (id: string) => `amm.workspace.v1.${id}`;
/** Storage key of the last Run's result (kept apart: it is large and changes only on Run, not on every keystroke). */
export const resultKey = (id: string) => `amm.result.v1.${id}`;

/** What is saved for one exercise. */
export interface SavedWork {
  version: 1;
  /** The learner's file. */
  code: string;
  /** Chosen option id of the part (c) concept question. */
  choice: string | null;
  /** Free-text answer of part (c) (kept for the instructor, not graded). */
  freeText: string;
  /** How many hints are open. */
  hintsShown: number;
  /** True once the learner has pressed Run (the solution can be revealed only then). */
  attempted: boolean;
  /** The browser's own result of the last Run (a GradeResult as JSON), informational. */
  lastResult: unknown | null;
  /** True once the learner changed the code or answered part (c): only such exercises are exported. */
  edited: boolean;
  /** Runs, hints, solution and part (c) choices with their times (exported for the instructor). */
  history: History;
  savedAt: string;
}

/** A fresh record starting from the starter file. */
export function freshWork(starter: string): SavedWork {
  return { version: 1, code: starter, choice: null, freeText: '', hintsShown: 0, attempted: false, lastResult: null, edited: false, history: emptyHistory(), savedAt: '' };
}

const iso = (x: unknown): string | null => (typeof x === 'string' && !Number.isNaN(Date.parse(x)) ? new Date(x).toISOString() : null);

/** A stored history read back field by field (older records have none; a damaged field reads as empty). */
function readHistory(h: unknown): History {
  const v = (h ?? {}) as Partial<Record<keyof History, unknown>>;
  const list = <T>(x: unknown, ok: (y: Record<string, unknown>) => T | null): T[] =>
    Array.isArray(x) ? x.flatMap((y) => (y && typeof y === 'object' ? [ok(y as Record<string, unknown>)].filter((z): z is T => z !== null) : [])) : [];
  return {
    runs: typeof v.runs === 'number' && Number.isInteger(v.runs) && v.runs >= 0 ? v.runs : 0,
    firstRunAt: iso(v.firstRunAt),
    lastRunAt: iso(v.lastRunAt),
    passedAt: iso(v.passedAt),
    hints: list(v.hints, (y) => (typeof y.index === 'number' && Number.isInteger(y.index) && y.index >= 0 && iso(y.at) ? { index: y.index, at: iso(y.at)! } : null)).slice(0, HISTORY_LIMITS.hints),
    solutionRevealedAt: iso(v.solutionRevealedAt),
    choices: list(v.choices, (y) => (typeof y.choice === 'string' && iso(y.at) ? { choice: y.choice.slice(0, 200), at: iso(y.at)! } : null)).slice(0, HISTORY_LIMITS.choices),
  };
}

/** Reads saved work; a missing record is null, an unreadable one is reported (and ignored). */
export function readWork(id: string, storage: Storage | undefined = globalThis.localStorage): { value: SavedWork | null; error?: string; legacy?: boolean } {
  try {
    if (!storage) return { value: null, error: 'browser storage is not available, so your code is not saved between visits' };
    const raw = storage.getItem(workspaceKey(id));
    if (raw === null) return { value: null };
    const v = JSON.parse(raw) as Partial<SavedWork>;
    if (v?.version !== 1 || typeof v.code !== 'string') return { value: null, error: 'saved code for this exercise has an unknown format; starting from the starter' };
    return {
      legacy: typeof v.edited !== 'boolean',
      value: {
        version: 1,
        code: v.code,
        choice: typeof v.choice === 'string' ? v.choice : null,
        freeText: typeof v.freeText === 'string' ? v.freeText : '',
        hintsShown: typeof v.hintsShown === 'number' ? v.hintsShown : 0,
        attempted: v.attempted === true,
        lastResult: readResult(id, storage),
        // Records from before this field existed were written only by edits (or an import).
        edited: typeof v.edited === 'boolean' ? v.edited : true,
        history: readHistory(v.history),
        savedAt: typeof v.savedAt === 'string' ? v.savedAt : '',
      },
    };
  } catch (e) {
    return { value: null, error: describeStorageError(e) };
  }
}

function readResult(id: string, storage: Storage): unknown | null {
  try {
    const raw = storage.getItem(resultKey(id));
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null; // an unreadable old result is only informational
  }
}

/** Writes saved work (and the last result when `withResult`); returns an error sentence when storage refused it. */
export function writeWork(id: string, work: SavedWork, storage: Storage | undefined = globalThis.localStorage, withResult = true): string | null {
  try {
    if (!storage) return 'browser storage is not available';
    storage.setItem(workspaceKey(id), JSON.stringify({ ...work, lastResult: undefined, savedAt: new Date().toISOString() }));
    if (withResult) {
      if (work.lastResult === null) storage.removeItem(resultKey(id));
      else storage.setItem(resultKey(id), JSON.stringify(work.lastResult));
    }
    return null;
  } catch (e) {
    return describeStorageError(e);
  }
}

/** How soon after the last keystroke the code is saved. */
export const AUTOSAVE_DELAY_MS = 400;

/**
 * The in-memory work of one exercise with debounced saving. `onStatus` hears every save outcome (null = saved),
 * so the page can show a storage failure and offer export.
 */
export class Work {
  value: SavedWork;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private resultChanged = false;
  private listeners = new Set<() => void>();

  constructor(
    readonly id: string,
    readonly starter: string,
    private onStatus: (error: string | null) => void,
  ) {
    const read = readWork(id);
    this.value = read.value ?? freshWork(starter);
    // An older record that holds the untouched starter was saved by merely opening the page.
    if (read.legacy && this.value.code === starter && this.value.choice === null && !this.value.freeText) this.value.edited = false;
    if (read.error) onStatus(read.error);
    // Save what is in memory before the page goes away.
    addEventListener('pagehide', () => this.flush());
  }

  /** Changes fields and schedules a save (immediately when `now`). */
  update(change: Partial<SavedWork>, now = false): void {
    Object.assign(this.value, change);
    if (('code' in change && change.code !== this.starter) || ('choice' in change && change.choice !== null) || change.freeText) this.value.edited = true;
    if ('lastResult' in change) this.resultChanged = true;
    for (const l of this.listeners) l();
    if (this.timer) clearTimeout(this.timer);
    this.timer = now ? null : setTimeout(() => this.flush(), AUTOSAVE_DELAY_MS);
    if (now) this.flush(true);
  }

  /** Saves now if a save is pending (or always with `force`). */
  flush(force = false): void {
    if (!this.timer && !force) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.onStatus(writeWork(this.id, this.value, undefined, this.resultChanged));
    this.resultChanged = false;
  }

  /** Re-reads storage (after an import) and tells listeners. */
  reload(): void {
    const read = readWork(this.id);
    if (read.value) this.value = read.value;
    for (const l of this.listeners) l();
  }

  /** Adds to the history (runs, hints, solution, choices) and saves at once (or with the next autosave). */
  record(change: (h: History) => void, now = true): void {
    const history = structuredClone(this.value.history);
    change(history);
    this.update({ history }, now);
  }

  /** Calls `l` after every change. */
  onChange(l: () => void): void {
    this.listeners.add(l);
  }
}

/** The Work objects of the workspaces on this page, by exercise id (export reads unsaved work from here). */
export const pageWorks = new Map<string, Work>();
