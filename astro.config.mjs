// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { fileURLToPath } from 'node:url';
import { listLessons } from './src/course/lessons.ts';
import { listExercises } from './src/course/exercises.ts';
import { sandboxWorkerDev } from './src/sandbox/dev-worker-plugin.ts';
import { mathCheck } from './src/course/math-check.ts';

const lessons = listLessons(fileURLToPath(new URL('./content/lessons', import.meta.url)));
// Exercises come from their folders (exercises/NN-slug/meta.json), validated; nothing is listed by hand.
const exercises = listExercises(fileURLToPath(new URL('./exercises', import.meta.url)));

export default defineConfig({
  site: 'https://attention-math.example',
  // Lesson math is rendered to HTML at build time; MDX inherits this processor.
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [[rehypeKatex, { throwOnError: false, strict: 'ignore' }]],
    }),
  },
  integrations: [
    starlight({
      title: 'Attention Mechanism Math',
      description: 'An interactive course on the mathematics of attention, with graded exercises.',
      customCss: ['katex/dist/katex.min.css', './src/styles/course.css'],
      components: {
        Footer: './src/chrome/Footer.astro',
        PageTitle: './src/chrome/PageTitle.astro',
        // Starlight's search, with a button named by its visible text (axe label-content-name-mismatch).
        Search: './src/chrome/Search.astro',
      },
      sidebar: [
        { label: 'Course home', link: '/' },
        { label: 'Notation and glossary', link: '/notation/' },
        {
          label: 'Lessons',
          items: lessons.map((l) => ({ label: `${l.part}. ${l.title}`, link: l.href })),
        },
        ...(exercises.length
          ? [{ label: 'Exercises', items: exercises.map((e) => ({ label: `${e.id}. ${e.title}`, link: e.href })) }]
          : []),
      ],
      pagination: true,
      lastUpdated: false,
    }),
    // Fails the build on a TeX macro rendered as letters, raw TeX in prose, a KaTeX error or a wrong quote.
    mathCheck(),
  ],
  vite: {
    // The sandbox worker must be one self-contained file: the page posts its text into the sandbox frame.
    worker: { format: 'iife' },
    plugins: [sandboxWorkerDev(fileURLToPath(new URL('./src/sandbox/worker.ts', import.meta.url)))],
    // Imported only by the transpile worker, which the dev server's dependency scan does not see: without this the
    // first Run under `npm run dev` finds it and reloads the page.
    optimizeDeps: { include: ['sucrase'] },
  },
});
