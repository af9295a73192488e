// Bumped whenever a grader's cases, tolerances or scoring change, so results can say which grader produced them.

/** Version of the grading library and the exercise graders, recorded in every result. */
export const GRADER_VERSION = '1.1.0';
