// Lesson 09 (Common mistakes): the source text of every bug/fix pair (via Vite's ?raw, so the page shows
// exactly the code that runs) and every number the lesson prints, measured with the engine at build time.
import { fmt } from '../components/format';
import { flashVsNaive, MISTAKE_IDS, runMistake, type MistakeId, type Run } from './mistakes/lab';
import * as m04 from './mistakes/04-maps-as-explanations';
import * as m07 from './mistakes/07-all-heads-useful';
import * as m08 from './mistakes/08-kv-cache-bytes';
import * as m10 from './mistakes/10-no-max-subtraction';
import { kvCacheBytes } from '../engine';

/** The seed of every number printed on the page (the Run buttons then draw new ones). */
export const BUILD_SEED = 2024;

const sources = import.meta.glob<string>('./mistakes/[0-9][0-9]-*.ts', { query: '?raw', import: 'default', eager: true });

/** The text between `// #region name` and the next `// #endregion`, without the markers. */
export function region(text: string, name: string): string {
  const start = text.indexOf(`// #region ${name}\n`);
  if (start < 0) throw new Error(`region ${name} not found`);
  const from = start + `// #region ${name}\n`.length;
  const end = text.indexOf('// #endregion', from);
  return text.slice(from, end).trimEnd();
}

/** The bug, fix and test regions of mistake `id`, and its file path. */
export function mistakeSource(id: MistakeId): { file: string; bug: string; fix: string; test: string } {
  const key = Object.keys(sources).find((k) => k.startsWith(`./mistakes/${id}-`));
  if (!key) throw new Error(`no source for mistake ${id}`);
  const text = sources[key];
  return { file: `src/lesson-data/mistakes/${key.slice('./mistakes/'.length)}`, bug: region(text, 'bug'), fix: region(text, 'fix'), test: region(text, 'test') };
}

/** Every mistake run once on BUILD_SEED. */
export const runs = Object.fromEntries(MISTAKE_IDS.map((id) => [id, runMistake(id, BUILD_SEED)])) as Record<MistakeId, Run>;

// Extra evidence for the conceptual mistakes and the worked readings.
export const flash = flashVsNaive(BUILD_SEED);

const heads = m07.layerWithDeadHead(BUILD_SEED);
export const headEffects = {
  dead: heads.dead,
  effects: Array.from({ length: heads.layer.heads }, (_, h) => m07.headEffect(heads.layer, heads.x, h)),
  heads: heads.layer.heads,
};

const red = m04.redundantInputs(BUILD_SEED);
export const explanation = {
  bugKey: m04.explainBug(red.Q, red.K, red.V, red.i),
  fixKey: m04.explainFix(red.Q, red.K, red.V, red.i),
  bugWeight: m04.namedWeight(m04.explainBug, BUILD_SEED),
  fixWeight: m04.namedWeight(m04.explainFix, BUILD_SEED),
  bugEffect: m04.symptom(m04.explainBug, BUILD_SEED),
  fixEffect: m04.symptom(m04.explainFix, BUILD_SEED),
  keys: red.K.length,
};

export const cache = {
  config: m08.servingConfig(BUILD_SEED),
  bug: m08.symptom(m08.bytesBug, BUILD_SEED),
  fix: m08.symptom(m08.bytesFix, BUILD_SEED),
  engine: kvCacheBytes(m08.servingConfig(BUILD_SEED)),
  small: m08.smallConfig(BUILD_SEED),
  smallMeasured: m08.measuredBytes(m08.smallConfig(BUILD_SEED), BUILD_SEED),
};

export const overflow = {
  largestLogit: m10.largestLogit(BUILD_SEED),
  limit: Math.log(Number.MAX_VALUE),
  /** ln of the largest float16 (65504): exp overflows fp16 above this. */
  fp16Limit: Math.log(65504),
};

/** Short labels for the summary table. */
export function verdict(passes: boolean): string {
  return passes ? 'passes' : 'fails';
}
export { fmt };
