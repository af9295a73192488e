// Reads the exercise folders once (exercises/NN-slug/meta.json), validates each meta with the
// grading library's schema and orders them by id. astro.config.mjs builds the "Exercises"
// sidebar group from this list, so the order lives only in the folder names.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseMeta, type ExerciseMeta } from '../../graders/lib/meta.ts';

/** One exercise as the sidebar and pages list it. */
export interface ExerciseEntry {
  id: string;
  slug: string;
  title: string;
  level: 1 | 2 | 3;
  section: string;
  href: string;
}

/** The site URL of an exercise page. */
export function exerciseHref(slug: string): string {
  return `/exercises/${slug}/`;
}

/** Checks a validated meta against its folder: the slug must be the folder name. */
export function checkExerciseFolder(folder: string, meta: ExerciseMeta): void {
  if (meta.slug !== folder) {
    throw new Error(`exercises/${folder}/meta.json: slug "${meta.slug}" must equal the folder name "${folder}"`);
  }
}

/** Every exercise folder in `dir` that has a meta.json, validated, sorted by id; throws on a bad or duplicate id. */
export function listExercises(dir: string): ExerciseEntry[] {
  if (!existsSync(dir)) return [];
  const out = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d\d-/.test(e.name) && existsSync(join(dir, e.name, 'meta.json')))
    .map((e) => {
      const where = `exercises/${e.name}/meta.json`;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(dir, e.name, 'meta.json'), 'utf8'));
      } catch (err) {
        throw new Error(`${where}: not valid JSON: ${(err as Error).message}`);
      }
      const meta = parseMeta(raw, where);
      checkExerciseFolder(e.name, meta);
      return { id: meta.id, slug: meta.slug, title: meta.title, level: meta.level, section: meta.section, href: exerciseHref(meta.slug) };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  for (let i = 1; i < out.length; i++) {
    if (out[i].id === out[i - 1].id) throw new Error(`exercises ${out[i - 1].slug} and ${out[i].slug} share id ${out[i].id}`);
  }
  return out;
}
