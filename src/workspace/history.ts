// The attempt history of one exercise as the learner's browser records it (runs, hints, solution, part (c)
// choices). Kept free of zod so the workspace's first script stays small; submission.ts validates it in files.

/** What the learner's browser recorded about one exercise (reported by that browser, not proof). */
export interface History {
  /** Runs made, and when the first and the last were made. */
  runs: number;
  firstRunAt: string | null;
  lastRunAt: string | null;
  /** First Run in which every test of parts (a) and (b) passed. */
  passedAt: string | null;
  /** Hints opened, by index from 0, in the order opened. */
  hints: { index: number; at: string }[];
  /** When the reference solution was shown, or null. */
  solutionRevealedAt: string | null;
  /** The part (c) choices in the order made. */
  choices: { choice: string; at: string }[];
}

/** Most hints and part (c) choices one history keeps (the first ones: the first choice may be the one scored). */
export const HISTORY_LIMITS = { hints: 100, choices: 1000 } as const;

/** A history with nothing recorded. */
export function emptyHistory(): History {
  return { runs: 0, firstRunAt: null, lastRunAt: null, passedAt: null, hints: [], solutionRevealedAt: null, choices: [] };
}
