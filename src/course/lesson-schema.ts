import { z } from 'zod';

/** Syllabus subsection ids, e.g. "1.3" or "10.1". */
const sectionId = z.string().regex(/^\d{1,2}\.\d{1,2}$/, 'a syllabus subsection like "1.3"');

/** Frontmatter fields every lesson adds to Starlight's own (title, description). */
export const lessonFields = z.object({
  /** The lesson's part number in the syllabus (1–11); it orders the sidebar and prev/next. */
  part: z.number().int().min(1).max(11),
  /** The syllabus subsections the lesson covers, in order. */
  sections: z.array(sectionId).min(1),
  /** Ids of the exercises that practise this lesson ("01"–"10"). */
  exercises: z.array(z.string().regex(/^(0[1-9]|10)$/)).default([]),
});

/** A lesson's full frontmatter as read from `content/lessons/NN-slug.mdx`. */
export const lessonFrontmatter = lessonFields.extend({
  title: z.string().min(1),
  description: z.string().optional(),
});

export type LessonFrontmatter = z.infer<typeof lessonFrontmatter>;

/** The slug (file name without `.mdx`) must start with the zero-padded part number. */
export function checkLessonSlug(slug: string, fm: LessonFrontmatter): void {
  const prefix = String(fm.part).padStart(2, '0') + '-';
  if (!slug.startsWith(prefix)) {
    throw new Error(`content/lessons/${slug}.mdx: part ${fm.part} needs a file name starting with "${prefix}"`);
  }
}
