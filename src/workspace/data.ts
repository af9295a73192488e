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
  correctChoice: string;
  courseVersion: string;
  exercises: { id: string; slug: string; title: string }[];
  sectionHref: Record<string, string>;
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
