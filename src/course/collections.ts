// Build-time access to the course's lessons and exercises for pages and chrome.
import { getCollection, render } from 'astro:content';
import { lessonMinutes } from './reading-time';

/** A lesson as the chrome needs it: slug, href, title, its part number and its time estimate. */
export interface LessonLink {
  slug: string;
  href: string;
  title: string;
  part: number;
  /** Minutes to study it, exercises not included. */
  minutes: number;
}

/** Every lesson in part order. */
export async function getLessons(): Promise<LessonLink[]> {
  const docs = await getCollection('docs', (e) => e.id.startsWith('lessons/'));
  return docs
    .map((e) => ({
      slug: e.id.slice('lessons/'.length),
      href: `/${e.id}/`,
      title: e.data.title,
      part: e.data.part ?? 0,
      minutes: lessonMinutes(e.body ?? ''),
    }))
    .sort((a, b) => a.part - b.part);
}

/** Exercise ids ("01"…) for which a folder with meta.json exists. */
export function getExerciseIds(): string[] {
  const metas = import.meta.glob('../../exercises/*/meta.json');
  return Object.keys(metas)
    .map((p) => /exercises\/(\d\d)-/.exec(p)?.[1])
    .filter((id): id is string => Boolean(id))
    .sort();
}

/**
 * Lesson section ("6.3") → the URL of its heading on the lesson page ("/lessons/06-efficient-attention/#63-…"), with
 * the heading ids Astro gives the rendered page (github-slugger), so feedback links land on the section itself.
 */
export async function getSectionHrefs(): Promise<Record<string, string>> {
  const docs = await getCollection('docs', (e) => e.id.startsWith('lessons/'));
  const hrefs: Record<string, string> = {};
  for (const e of docs) {
    const { headings } = await render(e);
    for (const section of (e.data as { sections?: string[] }).sections ?? []) {
      const h = headings.find((x) => x.depth === 2 && x.text.startsWith(`${section} `));
      if (!h) throw new Error(`${e.id} lists section ${section} in its frontmatter but has no "## ${section} …" heading`);
      hrefs[section] = `/${e.id}/#${h.slug}`;
    }
  }
  return hrefs;
}
