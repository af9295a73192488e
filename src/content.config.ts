import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { lessonFields } from './course/lesson-schema';

// Course pages live in the top-level content/ folder; lessons add their own fields,
// required on every file under content/lessons/ (checked again when the sidebar is built).
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: ['*.mdx', 'lessons/*.mdx'] }),
    schema: docsSchema({ extend: lessonFields.partial() }),
  }),
};
