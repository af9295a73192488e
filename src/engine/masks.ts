// Keep-masks (1 = visible, 0 = hidden) with explicit broadcastable shapes.
import { broadcastShapes, broadcastStrides } from './broadcast';
import { fail, formatShape } from './errors';
import { sizeOf, type Tensor } from './tensor';
import { checkCount, checkTensor } from './validate';

/** Builds a (rows, cols) keep-mask from a predicate. */
function grid(rows: number, cols: number, keep: (i: number, j: number) => boolean): Tensor {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = keep(i, j) ? 1 : 0;
  return { shape: [rows, cols], data };
}

/** Causal keep-mask (Tq, Tk): j ≤ i without `past` (top-left), j ≤ i + past with it (bottom-right). */
export function causalMask(Tq: number, Tk: number, options: { past?: number } = {}): Tensor {
  checkCount('causalMask', 'Tq', Tq);
  checkCount('causalMask', 'Tk', Tk);
  const past = options.past ?? 0;
  checkCount('causalMask', 'past', past);
  return grid(Tq, Tk, (i, j) => j <= i + past);
}

/**
 * Causal sliding-window keep-mask (Tq, Tk): query i sees the `window` most recent keys up to its own
 * position i + past, i.e. i + past − window < j ≤ i + past (past defaults to 0, top-left like causalMask).
 */
export function slidingWindowMask(Tq: number, Tk: number, window: number, options: { past?: number } = {}): Tensor {
  checkCount('slidingWindowMask', 'Tq', Tq);
  checkCount('slidingWindowMask', 'Tk', Tk);
  checkCount('slidingWindowMask', 'window', window, 1);
  const past = options.past ?? 0;
  checkCount('slidingWindowMask', 'past', past);
  return grid(Tq, Tk, (i, j) => j <= i + past && j > i + past - window);
}

/**
 * Padding keep-mask (B, 1, 1, Tk) from each sequence's real length: key j of batch b is visible iff it
 * is a real token (j < lengths[b] with right padding, j ≥ Tk − lengths[b] with `side: 'left'`).
 */
export function paddingMask(lengths: number[], Tk: number, options: { side?: 'right' | 'left' } = {}): Tensor {
  checkCount('paddingMask', 'Tk', Tk);
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 0 || n > Tk) fail('paddingMask', `lengths[${b}] = ${n} is not an integer in [0, Tk=${Tk}]`);
  });
  const left = options.side === 'left';
  const B = lengths.length;
  const data = new Float64Array(B * Tk); // (B, 1, 1, Tk)
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < Tk; j++) data[b * Tk + j] = (left ? j >= Tk - lengths[b] : j < lengths[b]) ? 1 : 0;
  }
  return { shape: [B, 1, 1, Tk], data };
}

/**
 * Document mask (B, 1, T, T) for packed sequences: a token sees only tokens of its own segment id.
 * Negative ids mark padding, which sees nothing and is seen by nothing. `causal: true` also applies j ≤ i.
 */
export function segmentMask(segmentIds: number[][], options: { causal?: boolean } = {}): Tensor {
  const B = segmentIds.length;
  const T = B ? segmentIds[0].length : 0;
  segmentIds.forEach((row, b) => {
    if (row.length !== T) fail('segmentMask', `segmentIds[${b}] has length ${row.length} but segmentIds[0] has ${T}`);
  });
  const data = new Float64Array(B * T * T); // (B, 1, T, T)
  for (let b = 0; b < B; b++) {
    const ids = segmentIds[b];
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        const keep = ids[i] >= 0 && ids[i] === ids[j] && (!options.causal || j <= i);
        data[(b * T + i) * T + j] = keep ? 1 : 0;
      }
    }
  }
  return { shape: [B, 1, T, T], data };
}

/** A token's role in a chat prompt; 'pad' marks padding. */
export type Role = 'system' | 'user' | 'tool' | 'assistant' | 'pad';

/** Visibility rules for `promptBoundaryMask`; every field overrides the default of the same name. */
export interface PromptBoundaryRules {
  /** Only earlier-or-same positions are visible (j ≤ i). Default true. */
  causal?: boolean;
  /** For each query role, the key roles it may see. 'pad' is never visible whatever this says. */
  sees?: Partial<Record<Role, readonly Role[]>>;
  /** Roles whose tokens see, among tokens of their own role, only their own segment (contiguous run). */
  isolate?: readonly Role[];
}

/**
 * The defaults: causal; system sees only system (so the system prompt's states do not depend on what
 * follows and can be cached); user and assistant see system, user, tool and assistant; tool sees system
 * and, because tool is isolated, only its own tool segment (a tool result is encoded without the
 * conversation or other tool results, so text injected elsewhere cannot shape it); pad sees nothing and
 * is seen by nothing (its fully masked rows produce zero outputs).
 */
export const defaultPromptBoundaryRules: Required<PromptBoundaryRules> = {
  causal: true,
  sees: {
    system: ['system'],
    user: ['system', 'user', 'tool', 'assistant'],
    tool: ['system', 'tool'],
    assistant: ['system', 'user', 'tool', 'assistant'],
    pad: [],
  },
  isolate: ['tool'],
};

/** Prompt-boundary keep-mask (T, T) from per-token roles and visibility rules (see `defaultPromptBoundaryRules`). */
export function promptBoundaryMask(roles: Role[], rules: PromptBoundaryRules = {}): Tensor {
  const causal = rules.causal ?? defaultPromptBoundaryRules.causal;
  const sees = { ...defaultPromptBoundaryRules.sees, ...rules.sees };
  const isolate = rules.isolate ?? defaultPromptBoundaryRules.isolate;
  const known: Role[] = ['system', 'user', 'tool', 'assistant', 'pad'];
  roles.forEach((r, i) => {
    if (!known.includes(r)) fail('promptBoundaryMask', `roles[${i}] = ${JSON.stringify(r)} is not one of ${known.join(', ')}`);
  });
  // Segment index: a new segment starts whenever the role changes.
  const segment: number[] = [];
  roles.forEach((r, i) => segment.push(i === 0 ? 0 : segment[i - 1] + (r === roles[i - 1] ? 0 : 1)));
  const T = roles.length;
  return grid(T, T, (i, j) => {
    const qr = roles[i];
    const kr = roles[j];
    if (qr === 'pad' || kr === 'pad') return false;
    if (causal && j > i) return false;
    if (!(sees[qr] ?? []).includes(kr)) return false;
    if (qr === kr && isolate.includes(qr) && segment[i] !== segment[j]) return false;
    return true;
  });
}

/** Logical AND of keep-masks with numpy broadcasting; the result has the broadcast shape. */
export function combineMasks(...masks: Tensor[]): Tensor {
  if (masks.length === 0) fail('combineMasks', 'needs at least one mask');
  masks.forEach((m, n) => checkTensor('combineMasks', `masks[${n}]`, m));
  const shape = broadcastShapes('combineMasks', masks.map((m) => m.shape));
  const strides = masks.map((m, n) => broadcastStrides('combineMasks', `masks[${n}]`, m.shape, shape, 'shape'));
  const data = new Float64Array(sizeOf(shape)).fill(1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < data.length; flat++) {
    for (let n = 0; n < masks.length; n++) {
      let at = 0;
      for (let a = 0; a < shape.length; a++) at += idx[a] * strides[n][a];
      if (masks[n].data[at] === 0) {
        data[flat] = 0;
        break;
      }
    }
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  return { shape, data };
}

/** Converts a keep-mask to an additive bias of the same shape: 0 where visible, −∞ where hidden. */
export function maskToBias(mask: Tensor): Tensor {
  checkTensor('maskToBias', 'mask', mask);
  const data = new Float64Array(mask.data.length);
  for (let n = 0; n < data.length; n++) {
    const x = mask.data[n];
    if (Number.isNaN(x)) fail('maskToBias', `mask contains NaN at flat index ${n} (mask ${formatShape(mask.shape)})`);
    data[n] = x !== 0 ? 0 : -Infinity;
  }
  return { shape: [...mask.shape], data };
}
