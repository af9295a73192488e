// The synthetic in-context copy task the course model is trained and evaluated on.
import { createRng, type Rng } from '../engine';

/** The vocabulary: 26 capital letters, token id = index. */
export const VOCAB: readonly string[] = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));

/** Shape of one task instance. */
export interface CopyTaskSpec {
  /** Sequence length T. */
  seqLen: number;
  /** Shortest and longest repeated segment (inclusive). */
  minSegment: number;
  maxSegment: number;
  vocabSize: number;
}

/**
 * The copy task at length T: the repeated segment is T/4 … T/2 letters, so a longer sequence repeats a longer
 * stretch (8–16 letters at T = 32, 16–32 at T = 64) and the share of predictable positions stays the same.
 */
export function copyTaskFor(T: number): CopyTaskSpec {
  if (!Number.isInteger(T) || T < 4) throw new Error(`copy task: T must be an integer ≥ 4, got ${T}`);
  return { seqLen: T, minSegment: Math.max(2, Math.floor(T / 4)), maxSegment: Math.floor(T / 2), vocabSize: VOCAB.length };
}

/** The task `npm run model:eval` and the lessons measure the shipped model on: the longest sequences it takes. */
export const TRAIN_TASK: CopyTaskSpec = copyTaskFor(64);

/** One sequence: random tokens in which tokens[src .. src+len) reappear at tokens[dst .. dst+len). */
export interface CopySequence {
  tokens: number[];
  src: number;
  dst: number;
  len: number;
}

/**
 * Draws a sequence with a segment repeated at a random later offset (dst − src varies), so no head can find
 * the repeat from positions alone.
 */
export function copySequence(rng: Rng, spec: CopyTaskSpec = TRAIN_TASK): CopySequence {
  const { seqLen: T, minSegment, maxSegment, vocabSize } = spec;
  const tokens = Array.from({ length: T }, () => rng.int(0, vocabSize));
  const len = rng.int(minSegment, Math.min(maxSegment, Math.floor(T / 2)) + 1);
  const src = rng.int(0, T - 2 * len + 1);
  const dst = rng.int(src + len, T - len + 1);
  for (let k = 0; k < len; k++) tokens[dst + k] = tokens[src + k];
  return { tokens, src, dst, len };
}

/**
 * Query positions i whose next token (i + 1) is a copy the model can predict: the repeat's 2nd token onwards,
 * so i runs over dst .. dst + len − 2. (The repeat's first token cannot be foreseen.)
 */
export function copyPositions(s: Pick<CopySequence, 'dst' | 'len'>): number[] {
  return Array.from({ length: s.len - 1 }, (_, k) => s.dst + k);
}

/** `n` sequences from `seed` (training uses one seed, the held-out evaluation another). */
export function copyBatch(seed: number, n: number, spec: CopyTaskSpec = TRAIN_TASK): CopySequence[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => copySequence(rng, spec));
}

/** Seed of the held-out sequences (never used in training, whose sequences come from the training seed). */
export const HELD_OUT_SEED = 20_261_206;

/** Letters → token ids; anything that is not A–Z (case-insensitive) is skipped. */
export function encode(text: string): number[] {
  return [...text.toUpperCase()].map((c) => VOCAB.indexOf(c)).filter((i) => i >= 0);
}

/** Token ids → letters. */
export function decode(tokens: readonly number[]): string {
  return tokens.map((t) => VOCAB[t] ?? '?').join('');
}
