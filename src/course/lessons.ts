// Reads the lesson files once, validates their frontmatter and orders them by part number.
// astro.config.mjs builds the sidebar from this list, so the order lives only in the files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { checkLessonSlug, lessonFrontmatter, type LessonFrontmatter } from './lesson-schema.ts';

/** One lesson as listed in the sidebar. */
export interface LessonEntry extends LessonFrontmatter {
  slug: string;
  href: string;
}

/** All lessons in `dir`, validated, sorted by part; throws on any invalid or duplicate part. */
export function listLessons(dir: string): LessonEntry[] {
  const lessons = readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .map((file) => {
      const slug = file.replace(/\.mdx$/, '');
      const text = readFileSync(join(dir, file), 'utf8');
      const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
      if (!m) throw new Error(`content/lessons/${file}: missing frontmatter`);
      const parsed = lessonFrontmatter.safeParse(yaml.load(m[1]));
      if (!parsed.success) {
        throw new Error(`content/lessons/${file}: invalid frontmatter: ${parsed.error.message}`);
      }
      checkLessonSlug(slug, parsed.data);
      return { ...parsed.data, slug, href: `/lessons/${slug}/` };
    })
    .sort((a, b) => a.part - b.part);
  for (let i = 1; i < lessons.length; i++) {
    if (lessons[i].part === lessons[i - 1].part) {
      throw new Error(`lessons ${lessons[i - 1].slug} and ${lessons[i].slug} share part ${lessons[i].part}`);
    }
  }
  return lessons;
}
