// Limits shared by the page (build time) and the runner (client).

/** The default per-call time limit when an exercise's meta.json does not set `timeLimitMs`. */
export const DEFAULT_TIME_LIMIT_MS = 3000;
