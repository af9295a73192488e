// Positional information inside attention: ALiBi biases and rotary embeddings (RoPE).
import { fail, formatShape } from './errors';
import type { Tensor } from './tensor';
import { checkCount, checkPositive, checkTensor } from './validate';

/**
 * ALiBi head slopes (Press et al. 2022). For h a power of two: 2^(−8r/h), r = 1..h. Otherwise, with n the
 * largest power of two below h: the n slopes for n heads, then every other slope of the 2n-head list
 * (its 1st, 3rd, …) until there are h — the rule of the official `get_slopes`.
 */
export function alibiSlopes(h: number): number[] {
  checkCount('alibiSlopes', 'h', h, 1);
  const powerOfTwo = (n: number) => Array.from({ length: n }, (_, r) => 2 ** ((-8 * (r + 1)) / n));
  const n = 2 ** Math.floor(Math.log2(h));
  if (n === h) return powerOfTwo(h);
  const extra = alibiSlopes(2 * n).filter((_, r) => r % 2 === 0).slice(0, h - n);
  return [...powerOfTwo(n), ...extra];
}

/**
 * ALiBi bias (1, h, Tq, Tk) with value −slope_h·((i + past) − j). For j > i + past (future keys) the
 * formula is kept, giving positive values; combine with a causal mask, which hides them.
 */
export function alibiBias(h: number, Tq: number, Tk: number, options: { past?: number } = {}): Tensor {
  checkCount('alibiBias', 'Tq', Tq);
  checkCount('alibiBias', 'Tk', Tk);
  const past = options.past ?? 0;
  checkCount('alibiBias', 'past', past);
  const slopes = alibiSlopes(h);
  const data = new Float64Array(h * Tq * Tk); // (1, h, Tq, Tk)
  for (let head = 0; head < h; head++) {
    for (let i = 0; i < Tq; i++) {
      for (let j = 0; j < Tk; j++) data[(head * Tq + i) * Tk + j] = -slopes[head] * (i + past - j);
    }
  }
  return { shape: [1, h, Tq, Tk], data };
}

/** RoPE frequencies θ_i = base^(−2i/d) for i = 0 .. d/2 − 1 (d even). */
export function ropeFrequencies(d: number, base = 10000): number[] {
  if (!Number.isInteger(d) || d < 2 || d % 2 !== 0) fail('ropeFrequencies', `d must be a positive even integer, got ${d}`);
  checkPositive('ropeFrequencies', 'base', base);
  return Array.from({ length: d / 2 }, (_, i) => base ** ((-2 * i) / d));
}

/**
 * Rotary embedding of x (…, T, d) with the interleaved convention: pair (2i, 2i+1) at position p is rotated
 * by angle p·θ_i. `positions` (length T) defaults to 0..T−1. Returns a new tensor.
 */
export function applyRope(x: Tensor, positions?: number[], base = 10000): Tensor {
  checkTensor('applyRope', 'x', x);
  if (x.shape.length < 2) fail('applyRope', `x must have shape (…, T, d) but has ${formatShape(x.shape)}`);
  const T = x.shape[x.shape.length - 2];
  const d = x.shape[x.shape.length - 1];
  if (d % 2 !== 0) fail('applyRope', `x has odd d=${d}; RoPE rotates pairs (x ${formatShape(x.shape)})`);
  const pos = positions ?? Array.from({ length: T }, (_, t) => t);
  if (pos.length !== T) fail('applyRope', `positions has length ${pos.length} but x has T=${T} (x ${formatShape(x.shape)})`);
  const theta = ropeFrequencies(d, base);
  const out = new Float64Array(x.data.length);
  for (let row = 0; row < x.data.length / d; row++) {
    const p = pos[row % T];
    const o = row * d;
    for (let i = 0; i < d / 2; i++) {
      const c = Math.cos(p * theta[i]);
      const s = Math.sin(p * theta[i]);
      const a = x.data[o + 2 * i];
      const b = x.data[o + 2 * i + 1];
      out[o + 2 * i] = a * c - b * s;
      out[o + 2 * i + 1] = a * s + b * c;
    }
  }
  return { shape: [...x.shape], data: out };
}
