// Schema of exercises/NN-slug/meta.json: what the site shows and what the grader scores.
import { z } from 'zod';

const Section = z.string().regex(/^\d+\.\d+$/, 'a lesson section like "2.3"');

/** One option of the part (c) concept question. */
export const ConceptChoice = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  correct: z.boolean(),
  /** Shown after answering: why this option is right or wrong. */
  explanation: z.string().min(1),
});

/** The metadata of one exercise, validated when the grader loads it. */
export const ExerciseMeta = z
  .object({
    id: z.string().regex(/^\d\d$/, 'two digits, e.g. "01"'),
    slug: z.string().regex(/^\d\d-[a-z0-9-]+$/, 'the folder name, e.g. "01-scaled-dot-product"'),
    title: z.string().min(1),
    /** Difficulty in stars, 1–3. */
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    /** The lesson section the exercise practises. */
    section: Section,
    /** Maximum points per part. */
    points: z.object({ a: z.number().positive(), b: z.number().positive(), c: z.number().positive() }),
    /** Hints, revealed one at a time in this order. */
    hints: z.array(z.string().min(1)).min(1),
    concept: z.object({ prompt: z.string().min(1), choices: z.array(ConceptChoice).min(2) }),
    freeText: z.object({ prompt: z.string().min(1) }),
    /** Per-call time limit for the learner's code, in ms (the runner's default applies when absent). */
    timeLimitMs: z.number().int().positive().optional(),
    /** The functions the learner's file must export, and the part each serves. */
    exports: z.array(z.object({ name: z.string().regex(/^[A-Za-z_$][\w$]*$/), part: z.enum(['a', 'b']) })).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.slug.startsWith(`${m.id}-`)) ctx.addIssue({ code: 'custom', message: `slug ${m.slug} must start with "${m.id}-"` });
    const correct = m.concept.choices.filter((c) => c.correct).length;
    if (correct !== 1) ctx.addIssue({ code: 'custom', message: `concept question needs exactly one correct choice, has ${correct}` });
    const ids = m.concept.choices.map((c) => c.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'concept choice ids must be unique' });
  });
export type ExerciseMeta = z.infer<typeof ExerciseMeta>;

/** Parses and validates a meta.json value, throwing a readable error naming the exercise. */
export function parseMeta(raw: unknown, where: string): ExerciseMeta {
  const r = ExerciseMeta.safeParse(raw);
  if (!r.success) throw new Error(`invalid meta.json in ${where}: ${z.prettifyError(r.error)}`);
  return r.data;
}
