// Build-time access to the exercise folders for pages (statement, meta, starter). Vite's glob
// imports make every file a tracked dependency, so editing an exercise rebuilds its page.
import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
import { parseMeta, type ExerciseMeta } from '../../graders/lib/meta';
import { checkExerciseFolder } from '../course/exercises';

const metas = import.meta.glob<{ default: unknown }>('../../exercises/*/meta.json', { eager: true });
const starters = import.meta.glob<string>('../../exercises/*/starter.ts', { eager: true, query: '?raw', import: 'default' });
const statements = import.meta.glob<{ default: AstroComponentFactory }>('../../exercises/*/statement.mdx');

/** What a page needs to render one exercise. */
export interface ExerciseData {
  meta: ExerciseMeta;
  starter: string;
  /** Loads the rendered statement (an MDX component). */
  statement: () => Promise<AstroComponentFactory | null>;
}

const folderOf = (path: string) => /exercises\/([^/]+)\//.exec(path)![1];

/** Every exercise with a meta.json, validated, in id order. */
export function getExercises(): ExerciseData[] {
  return Object.entries(metas)
    .map(([path, mod]) => {
      const folder = folderOf(path);
      const meta = parseMeta(mod.default, `exercises/${folder}/meta.json`);
      checkExerciseFolder(folder, meta);
      const starter = starters[`../../exercises/${folder}/starter.ts`];
      if (starter === undefined) throw new Error(`exercises/${folder}/starter.ts is missing`);
      const load = statements[`../../exercises/${folder}/statement.mdx`];
      return { meta, starter, statement: async () => (load ? (await load()).default : null) };
    })
    .sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

/** One exercise by id ("01"); throws a message naming the id when it does not exist. */
export function getExercise(id: string): ExerciseData {
  const found = getExercises().find((e) => e.meta.id === id);
  if (!found) throw new Error(`<Exercise id="${id}" />: no exercise folder exercises/${id}-*/ with a meta.json`);
  return found;
}
