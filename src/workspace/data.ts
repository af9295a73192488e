// The per-workspace data the page embeds as JSON (see Workspace.astro) and the DOM helpers the client uses.

/** What Workspace.astro embeds for the client. */
export interface WorkspaceData {
  id: string;
  slug: string;
  title: string;
  href: string;
  starter: string;
  exports: { name: string; part: 'a' | 'b' }[];
  timeLimitMs: number;
  points: { a: number; b: number; c: number };
  hints: number;
  /** The right part (c) choice as a salted digest (choiceDigest), never in clear text: the page must not reveal it. */
  choiceCheck: { salt: string; digest: string };
  courseVersion: string;
  exercises: { id: string; slug: string; title: string }[];
  sectionHref: Record<string, string>;
}

/**
 * A salted digest of one part (c) choice (FNV-1a, 64 bits as hex). It keeps the answer out of the page's text; with
 * a handful of choices it is no secret from a determined learner, which is why the instructor re-grades part (c)
 * from the submitted answer and never from the page's check.
 */
export function choiceDigest(salt: string, exerciseId: string, choice: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(`${salt}\u0000${exerciseId}\u0000${choice}`)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

/** True when `choice` is the right part (c) choice of this workspace. */
export function isCorrectChoice(data: WorkspaceData, choice: string | null | undefined): boolean {
  return typeof choice === 'string' && choiceDigest(data.choiceCheck.salt, data.id, choice) === data.choiceCheck.digest;
}

/** Reads the embedded data of a workspace root. */
export function readData(root: HTMLElement): WorkspaceData {
  return JSON.parse(root.querySelector('script.amm-ws__data')!.textContent!) as WorkspaceData;
}

/** Shorthand for a required element inside a workspace. */
export function $<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`workspace is missing ${selector}`);
  return el;
}

/** A new element with an optional class and text (text only: learner values never reach the DOM as HTML). */
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
