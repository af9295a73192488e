// Diagnostics for attention maps and mask correctness.
import { fail, formatShape } from './errors';
import { createRng } from './rng';
import type { Tensor } from './tensor';
import { checkTensor } from './validate';

/** Entropy −Σ w ln w of each row (natural log, 0·ln 0 = 0); the last axis is reduced. */
export function rowEntropy(weights: Tensor): Tensor {
  checkTensor('rowEntropy', 'weights', weights);
  if (weights.shape.length === 0) fail('rowEntropy', 'weights must have at least one axis');
  const n = weights.shape[weights.shape.length - 1];
  const rows = n === 0 ? 0 : weights.data.length / n;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let e = 0;
    for (let j = r * n; j < (r + 1) * n; j++) {
      const w = weights.data[j];
      if (w > 0) e -= w * Math.log(w);
    }
    out[r] = e;
  }
  return { shape: weights.shape.slice(0, -1), data: out };
}

/** Mean row entropy per head (H) of weights (B, H, Tq, Tk), over batch and queries; fully masked (all-zero) rows are left out. */
export function headEntropy(weights: Tensor): Tensor {
  checkTensor('headEntropy', 'weights', weights, 4, '(B, H, Tq, Tk)');
  const [B, H, Tq, Tk] = weights.shape;
  const ent = rowEntropy(weights).data; // (B, H, Tq)
  const out = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    let sum = 0;
    let count = 0;
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < Tq; i++) {
        const row = ((b * H + h) * Tq + i) * Tk;
        let mass = 0;
        for (let j = row; j < row + Tk; j++) mass += weights.data[j];
        if (mass === 0) continue;
        sum += ent[(b * H + h) * Tq + i];
        count++;
      }
    }
    out[h] = count ? sum / count : 0;
  }
  return { shape: [H], data: out };
}

/** Options of `leakageProbe`. */
export interface LeakageProbeOptions {
  /** For each input name, the positions along its sequence axis to overwrite with random values. */
  perturb: Record<string, number[]>;
  /** The output positions that must not change (e.g. all positions before the perturbed ones); default: all. */
  observe?: number[];
  /** Sequence axis of the inputs (default −2, as in (…, T, d)). */
  inputAxis?: number;
  /** Sequence axis of the output (default −2). */
  outputAxis?: number;
  /** Independent random perturbations to try (default 3). */
  trials?: number;
  /** Seed of the perturbations (default 1). */
  seed?: number;
  /** A change larger than this counts (default 0: any change). */
  tolerance?: number;
}

/** What `leakageProbe` found. */
export interface LeakageReport {
  /** Per output position, the largest absolute change over all trials. */
  maxAbsChange: number[];
  /** Output positions whose values changed by more than the tolerance. */
  changed: number[];
  /** Changed positions among `observe`: each one is a leak. */
  leaked: number[];
  /** True when nothing in `observe` changed. */
  ok: boolean;
}

const axisOf = (fn: string, name: string, t: Tensor, axis: number): number => {
  const a = axis < 0 ? t.shape.length + axis : axis;
  if (a < 0 || a >= t.shape.length) fail(fn, `axis ${axis} is out of range for ${name} ${formatShape(t.shape)}`);
  return a;
};

/** Copy of t with the slices at `positions` along `axis` replaced by random normal values. */
function perturbAlong(t: Tensor, axis: number, positions: number[], rng: ReturnType<typeof createRng>): Tensor {
  const data = t.data.slice();
  let inner = 1;
  for (let a = axis + 1; a < t.shape.length; a++) inner *= t.shape[a];
  const len = t.shape[axis];
  // Scale the noise to the input so the perturbation is large enough to show through.
  let scale = 1;
  for (const x of t.data) scale = Math.max(scale, Math.abs(x));
  for (let outer = 0; outer < data.length / (inner * len); outer++) {
    for (const p of positions) {
      const o = (outer * len + p) * inner;
      for (let e = 0; e < inner; e++) data[o + e] = rng.normal() * scale;
    }
  }
  return { shape: [...t.shape], data };
}

/**
 * Perturbation test for masks: runs `fn(inputs)`, then `fn` on copies whose `perturb` positions (future
 * tokens, padding) hold random values, and reports which output positions changed and by how much.
 * A correct causal/padding mask leaves every `observe` position bit-for-bit unchanged.
 */
export function leakageProbe(
  fn: (inputs: Record<string, Tensor>) => Tensor,
  inputs: Record<string, Tensor>,
  options: LeakageProbeOptions,
): LeakageReport {
  const name = 'leakageProbe';
  for (const key of Object.keys(options.perturb)) {
    if (!(key in inputs)) fail(name, `perturb names input "${key}" but inputs has ${Object.keys(inputs).join(', ')}`);
    const t = checkTensor(name, key, inputs[key]);
    const len = t.shape[axisOf(name, key, t, options.inputAxis ?? -2)];
    for (const p of options.perturb[key]) {
      if (!Number.isInteger(p) || p < 0 || p >= len) fail(name, `perturb.${key} has position ${p} outside [0, ${len}) (${key} ${formatShape(t.shape)})`);
    }
  }
  const base = checkTensor(name, 'fn(inputs)', fn(inputs));
  const outAxis = axisOf(name, 'the output', base, options.outputAxis ?? -2);
  const T = base.shape[outAxis];
  let inner = 1;
  for (let a = outAxis + 1; a < base.shape.length; a++) inner *= base.shape[a];
  const maxAbsChange = new Array<number>(T).fill(0);
  const rng = createRng(options.seed ?? 1);
  for (let trial = 0; trial < (options.trials ?? 3); trial++) {
    const perturbed: Record<string, Tensor> = { ...inputs };
    for (const [key, positions] of Object.entries(options.perturb)) {
      const t = inputs[key];
      perturbed[key] = perturbAlong(t, axisOf(name, key, t, options.inputAxis ?? -2), positions, rng);
    }
    const out = fn(perturbed);
    if (out.data.length !== base.data.length) {
      fail(name, `fn returned shape ${formatShape(out.shape)} on perturbed inputs but ${formatShape(base.shape)} on the originals`);
    }
    for (let n = 0; n < out.data.length; n++) {
      const pos = Math.floor(n / inner) % T;
      const diff = Math.abs(out.data[n] - base.data[n]);
      // NaN counts as a change of +∞: a probe must never hide a NaN.
      const change = Number.isNaN(diff) ? Infinity : diff;
      if (change > maxAbsChange[pos]) maxAbsChange[pos] = change;
    }
  }
  const tolerance = options.tolerance ?? 0;
  const changed = maxAbsChange.flatMap((c, pos) => (c > tolerance ? [pos] : []));
  const watch = options.observe ?? maxAbsChange.map((_, pos) => pos);
  const leaked = changed.filter((pos) => watch.includes(pos));
  return { maxAbsChange, changed, leaked, ok: leaked.length === 0 };
}
