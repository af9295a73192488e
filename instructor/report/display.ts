// One place that makes untrusted text safe to show: learner names, file names, course versions, exercise ids,
// code and console output, wherever they are printed or rendered (terminal, report.html, grades.csv, the
// /instructor/ page). Characters that change how the text around them is drawn — bidirectional overrides and
// isolates (a name that renders as another learner's), zero-width and other invisible format characters, and
// terminal control and escape sequences (clipboard writes, forged lines) — are shown as a visible ⟨U+XXXX⟩.

// C0 and C1 controls and DEL; bidi marks, embeddings, overrides and isolates; zero-width and invisible format
// characters; line and paragraph separators; interlinear annotation; the byte-order mark.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/g;
const UNSAFE_LINE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/g;

const visible = (c: string) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;

/**
 * Untrusted text with every control, bidirectional and invisible format character shown as ⟨U+XXXX⟩. `multiline`
 * keeps line feeds and tabs (code, console output); otherwise they are shown too (names, ids, one-line messages).
 */
export function displayText(x: unknown, multiline = false): string {
  const s = String(x);
  return s.replace(multiline ? UNSAFE : UNSAFE_LINE, visible);
}

/** True when `displayText` would change the text (used to flag a name for the instructor). */
export function hasHiddenCharacters(x: string): boolean {
  UNSAFE_LINE.lastIndex = 0;
  const r = UNSAFE_LINE.test(x);
  UNSAFE_LINE.lastIndex = 0;
  return r;
}
