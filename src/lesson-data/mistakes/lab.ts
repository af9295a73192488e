// Runs each mistake's buggy and fixed code on inputs drawn from one seed: the symptom it measures and
// whether the mistake's test passes. Used at build time (lesson 09's numbers) and in the browser (MistakeLab).
import { attention, createRng, flashAttention, randomTensor } from '../../engine';
import { fmt } from '../../components/format';
import { fmtBytes } from '../../components/format';
import * as m01 from './01-missing-scale';
import * as m02 from './02-mask-after-softmax';
import * as m03 from './03-values-vs-weights';
import * as m04 from './04-maps-as-explanations';
import * as m05 from './05-no-padding-mask';
import * as m06 from './06-broken-causal-mask';
import * as m07 from './07-all-heads-useful';
import * as m08 from './08-kv-cache-bytes';
import * as m09 from './09-flash-approximate';
import * as m10 from './10-no-max-subtraction';

/** One side (bug or fix) of a run. */
export interface Side {
  /** The measured symptom. */
  value: number;
  /** The symptom in words, as the page shows it. */
  text: string;
  /** Whether the mistake's test passes on this code. */
  passes: boolean;
}
/** A run of one mistake on one seed. */
export interface Run {
  id: string;
  seed: number;
  bug: Side;
  fix: Side;
  /** Extra evidence measured on the same seed (shown under the two sides). */
  note: string;
}

export const MISTAKE_IDS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'] as const;
export type MistakeId = (typeof MISTAKE_IDS)[number];

/** Largest |a − b| between two flat arrays. */
function maxFlatDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** The engine's FlashAttention against its naive attention on random (1, 2, 64, 16) inputs with 16×16 tiles. */
export function flashVsNaive(seed: number): { diff: number; scratch: number; scores: number } {
  const rng = createRng(seed);
  const [q, k, v] = [randomTensor(rng, [1, 2, 64, 16]), randomTensor(rng, [1, 2, 64, 16]), randomTensor(rng, [1, 2, 64, 16])];
  const flash = flashAttention(q, k, v, { blockQ: 16, blockK: 16, causal: true });
  const naive = attention(q, k, v, { causal: true });
  return { diff: maxFlatDiff(flash.output.data, naive.output.data), scratch: flash.scratchElements, scores: naive.scores.data.length };
}

/** Scientific notation for tiny differences, e.g. 2.2e-16. */
export function sci(x: number): string {
  return x === 0 ? '0' : x.toExponential(1).replace('-', '−');
}

const side = (value: number, text: string, passes: boolean): Side => ({ value, text, passes });

const runners: Record<MistakeId, (seed: number) => Omit<Run, 'id' | 'seed'>> = {
  '01': (s) => ({
    bug: side(m01.symptom(m01.attendBug, s), `mean largest weight ${fmt(m01.symptom(m01.attendBug, s))}`, m01.passes(m01.attendBug, s)),
    fix: side(m01.symptom(m01.attendFix, s), `mean largest weight ${fmt(m01.symptom(m01.attendFix, s))}`, m01.passes(m01.attendFix, s)),
    note: `d_k = 256, 16 queries over 16 keys; a uniform row would have ${fmt(1 / 16, 4)}.`,
  }),
  '02': (s) => ({
    bug: side(m02.symptom(m02.causalBug, s), `smallest row sum ${fmt(m02.symptom(m02.causalBug, s))}`, m02.passes(m02.causalBug, s)),
    fix: side(m02.symptom(m02.causalFix, s), `smallest row sum ${fmt(m02.symptom(m02.causalFix, s))}`, m02.passes(m02.causalFix, s)),
    note: 'Six tokens with a causal mask; every row should sum to 1.',
  }),
  '03': (s) => ({
    bug: side(m03.symptom(m03.layerBug, s), `output moved ${fmt(m03.symptom(m03.layerBug, s))} when V changed`, m03.passes(m03.layerBug, s)),
    fix: side(m03.symptom(m03.layerFix, s), `output moved ${fmt(m03.symptom(m03.layerFix, s))} when V changed`, m03.passes(m03.layerFix, s)),
    note: 'Every value vector is replaced by new random numbers; Q and K stay the same.',
  }),
  '04': (s) => ({
    bug: side(m04.symptom(m04.explainBug, s), `named key (weight ${fmt(m04.namedWeight(m04.explainBug, s))}): ablation effect ${fmt(m04.symptom(m04.explainBug, s))}`, m04.passes(m04.explainBug, s)),
    fix: side(m04.symptom(m04.explainFix, s), `named key (weight ${fmt(m04.namedWeight(m04.explainFix, s))}): ablation effect ${fmt(m04.symptom(m04.explainFix, s))}`, m04.passes(m04.explainFix, s)),
    note: 'The most-attended key carries a value the other keys already supply.',
  }),
  '05': (s) => ({
    bug: side(m05.symptom(m05.paddedBug, s), `largest weight on padding ${fmt(m05.symptom(m05.paddedBug, s))}`, m05.passes(m05.paddedBug, s)),
    fix: side(m05.symptom(m05.paddedFix, s), `largest weight on padding ${fmt(m05.symptom(m05.paddedFix, s))}`, m05.passes(m05.paddedFix, s)),
    note: 'Three real tokens padded to six; the test refills the pads with other numbers.',
  }),
  '06': (s) => ({
    bug: side(m06.symptom(m06.causalBug, s), `largest future weight ${fmt(m06.symptom(m06.causalBug, s))}`, m06.passes(m06.causalBug, s)),
    fix: side(m06.symptom(m06.causalFix, s), `largest future weight ${fmt(m06.symptom(m06.causalFix, s))}`, m06.passes(m06.causalFix, s)),
    note: 'Five tokens; a future weight must be exactly 0.',
  }),
  '07': (s) => {
    const { layer, x, dead } = m07.layerWithDeadHead(s);
    const effects = Array.from({ length: layer.heads }, (_, h) => fmt(m07.headEffect(layer, x, h)));
    return {
      bug: side(m07.symptom(m07.usefulBug, s), `keeps ${m07.symptom(m07.usefulBug, s)} of ${layer.heads} heads`, m07.passes(m07.usefulBug, s)),
      fix: side(m07.symptom(m07.usefulFix, s), `keeps ${m07.symptom(m07.usefulFix, s)} of ${layer.heads} heads`, m07.passes(m07.usefulFix, s)),
      note: `Ablation effect per head: ${effects.join(', ')} (head ${dead} has a zero value projection).`,
    };
  },
  '08': (s) => {
    const c = m08.servingConfig(s);
    return {
      bug: side(m08.symptom(m08.bytesBug, s), `predicts ${fmtBytes(m08.symptom(m08.bytesBug, s))}`, m08.passes(m08.bytesBug, s)),
      fix: side(m08.symptom(m08.bytesFix, s), `predicts ${fmtBytes(m08.symptom(m08.bytesFix, s))}`, m08.passes(m08.bytesFix, s)),
      note: `${c.layers} layers, batch ${c.batch}, ${c.seqLen} tokens, ${c.kvHeads} KV heads of width ${c.headDim}, fp16.`,
    };
  },
  '09': (s) => {
    const f = flashVsNaive(s);
    return {
      bug: side(m09.symptom(m09.tiledBug, s), `max difference from naive ${sci(m09.symptom(m09.tiledBug, s))}`, m09.passes(m09.tiledBug, s)),
      fix: side(m09.symptom(m09.tiledFix, s), `max difference from naive ${sci(m09.symptom(m09.tiledFix, s))}`, m09.passes(m09.tiledFix, s)),
      note: `The engine's FlashAttention vs its naive attention on the same seed: max difference ${sci(f.diff)}.`,
    };
  },
  '10': (s) => ({
    bug: side(m10.symptom(m10.attendBug, s), `NaN in ${m10.symptom(m10.attendBug, s)} of 8 output rows`, m10.passes(m10.attendBug, s)),
    fix: side(m10.symptom(m10.attendFix, s), `NaN in ${m10.symptom(m10.attendFix, s)} of 8 output rows`, m10.passes(m10.attendFix, s)),
    note: `Largest scaled logit ${fmt(m10.largestLogit(s), 1)}; exp overflows above ln(largest double) = ${fmt(Math.log(Number.MAX_VALUE), 2)}.`,
  }),
};

/** Runs mistake `id` on a seed. */
export function runMistake(id: MistakeId, seed: number): Run {
  return { id, seed, ...runners[id](seed) };
}
