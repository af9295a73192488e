// Where evaluated learner code sits in a stack trace (shared by the loader and the call runner, which must stay
// free of the transpiler: sandbox workers import the runner only).

/** The name learner code is evaluated under, so a stack frame in it can be told from the grader's own. */
export const LEARNER_SOURCE_URL = 'learner-code';

/** Lines V8 puts before the body of `new Function(…)` (2) plus the "use strict" line `evaluateLearner` adds (1). */
export const LEARNER_LINE_OFFSET = 3;
