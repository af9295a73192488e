// The WebAssembly SIMD (f64x2) kernel of flashAttention: three small functions over tiles held in the
// module's own memory, generated for one (D, Dv, tile size) so every stride is a constant. Logits are kept
// transposed (key-major, sT[c, r]) so that every loop runs along contiguous query lanes:
//   qk(nr4, nc4)       sT = (Q·Kᵀ)ᵀ for the tile (Q already scaled and stored transposed), 4 keys × 4 queries
//                      per register block: 8 accumulators, 4 splatted key elements, 2 query vectors per d
//   softmax(nr4, nc4)  online-softmax update of m, ℓ, α for 2 queries per vector (no horizontal steps);
//                      P = exp(S − m) written over sT
//   pv(nr4, nc4)       O = α·O + P·V, 4 query rows × 4 value columns per register block
// Everything is float64 (two lanes per v128), so results equal the JS kernel's up to rounding order.
// exp is computed here too (see `emitExp`): Math.exp per logit would cost more than the products.
import { FnBuilder, I32, V128, moduleBytes } from './emit';

/** The subset of the WebAssembly JS API the engine uses (the ES2022 lib does not declare it). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** Tile geometry a kernel is generated for: query rows and keys both padded to multiples of 4. */
export interface KernelShape {
  D: number;
  Dv: number;
  /** Query rows per tile, a multiple of 4 (also the row stride of qT and sT). */
  bq4: number;
  /** Keys per tile, a multiple of 4. */
  bk4: number;
}

/** Byte offsets of the tiles in the module memory (all multiples of 16). */
export interface KernelLayout {
  q: number; // (D, bq4) scaled query rows, transposed
  k: number; // (bk4, D) key rows
  v: number; // (bk4, Dv) value rows
  s: number; // (bk4, bq4) logits, then p, transposed
  o: number; // (bq4, Dv) unnormalised output rows
  m: number; // (bq4) running max
  l: number; // (bq4) running normaliser
  a: number; // (bq4) α of the last step
  /** float64 elements of all of the above. */
  elements: number;
}

/** An instantiated kernel. */
export interface FlashKernel {
  shape: KernelShape;
  layout: KernelLayout;
  /** The module memory as float64s (tiles live at layout offsets / 8). */
  heap: Float64Array;
  qk(nr4: number, nc4: number): void;
  softmax(nr4: number, nc4: number): void;
  pv(nr4: number, nc4: number): void;
  /** Whether the module uses relaxed-SIMD fused multiply-add. */
  relaxed: boolean;
  /** Size of the module in bytes. */
  bytes: number;
}

/** Where each tile lives; sizes follow from the shape. */
export function kernelLayout({ D, Dv, bq4, bk4 }: KernelShape): KernelLayout {
  const sizes = { q: D * bq4, k: bk4 * D, v: bk4 * Dv, s: bk4 * bq4, o: bq4 * Dv, m: bq4, l: bq4, a: bq4 };
  let at = 0;
  const layout = {} as KernelLayout;
  for (const [key, n] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    layout[key] = at * 8;
    at += n;
  }
  layout.elements = at;
  return layout;
}

/** acc = a·b + acc, fused (relaxed madd) or as a multiply then an add. */
function madd(f: FnBuilder, relaxed: boolean, a: number, b: number, acc: number): void {
  f.get(a).get(b);
  if (relaxed) f.get(acc).f64x2RelaxedMadd();
  else f.f64x2Mul().get(acc).f64x2Add();
  f.set(acc);
}

/** sT[c..c+3, r..r+3] = K[c..c+3]·Q[r..r+3]ᵀ: per d, 4 splatted key elements times 2 vectors of queries. */
function emitQk({ D, bq4 }: KernelShape, L: KernelLayout, relaxed: boolean): FnBuilder {
  const f = new FnBuilder(2); // (nr4, nc4)
  const [r, c, qp, kp, end, sp] = [0, 0, 0, 0, 0, 0].map(() => f.local(I32));
  const acc = Array.from({ length: 8 }, () => f.local(V128)); // acc[2i + j]: key c+i, queries r+2j, r+2j+1
  const [q0, q1, x] = [0, 0, 0].map(() => f.local(V128));
  const Db = D * 8;
  const ldT = bq4 * 8;
  f.i32(0).set(c);
  f.loop(() => {
    f.i32(0).set(r);
    f.loop(() => {
      for (const a of acc) f.f64x2Const(0).set(a);
      f.get(r).i32(8).i32Mul().i32(L.q).i32Add().set(qp);
      f.get(c).i32(Db).i32Mul().i32(L.k).i32Add().tee(kp).i32(Db).i32Add().set(end);
      f.loop(() => {
        f.get(qp).v128Load(0).set(q0);
        f.get(qp).v128Load(16).set(q1);
        for (let i = 0; i < 4; i++) {
          f.get(kp).load64Splat(i * Db).set(x);
          madd(f, relaxed, x, q0, acc[2 * i]);
          madd(f, relaxed, x, q1, acc[2 * i + 1]);
        }
        f.get(qp).i32(ldT).i32Add().set(qp);
        f.get(kp).i32(8).i32Add().tee(kp).get(end).i32LtU().brIf(0);
      });
      f.get(c).i32(ldT).i32Mul().get(r).i32(8).i32Mul().i32Add().i32(L.s).i32Add().set(sp);
      for (let i = 0; i < 4; i++) {
        f.get(sp).get(acc[2 * i]).v128Store(i * ldT);
        f.get(sp).get(acc[2 * i + 1]).v128Store(i * ldT + 16);
      }
      f.get(r).i32(4).i32Add().tee(r).get(0).i32LtU().brIf(0);
    });
    f.get(c).i32(4).i32Add().tee(c).get(1).i32LtU().brIf(0);
  });
  return f;
}

/** Taylor coefficients 1/k! for e^r, k = 0..13: truncation error below 1e-17 for |r| ≤ ln2/2. */
const EXP_COEFFS = Array.from({ length: 14 }, (_, k) => {
  let x = 1;
  for (let j = 2; j <= k; j++) x /= j;
  return x;
});

/** v = a·b + c for stack operands (a, b, c pushed by the callers' order: a, b, then c). */
function maddTop(f: FnBuilder, relaxed: boolean, a: number, b: number, c: () => void): void {
  f.get(a).get(b);
  if (relaxed) {
    c();
    f.f64x2RelaxedMadd();
  } else {
    f.f64x2Mul();
    c();
    f.f64x2Add();
  }
}

/** Locals emitExp needs. */
interface ExpLocals {
  t: number;
  r: number;
  r2: number;
  a: number[];
}

function expLocals(f: FnBuilder): ExpLocals {
  return { t: f.local(V128), r: f.local(V128), r2: f.local(V128), a: Array.from({ length: 7 }, () => f.local(V128)) };
}

/**
 * Pushes exp(x) for the f64x2 in local `x`. x = n·ln2 + r with n = round(x/ln2) (by adding 1.5·2^52, which
 * also leaves n in the low mantissa bits), r reduced with the two-part ln2 of fdlibm (n·ln2_hi is exact),
 * e^r by its degree-13 Taylor polynomial (truncation below 1e−17 for |r| ≤ ln2/2) evaluated by Estrin's
 * scheme (four levels instead of a 13-step Horner chain), and 2^n built in the exponent bits. Error about
 * 1 ulp. Inputs below −708 give 0 (instead of a subnormal below 3.3e−308); −∞ gives 0. Valid for x ≤ 709;
 * the kernel only needs x ≤ 0.
 */
function emitExp(f: FnBuilder, relaxed: boolean, x: number, { t, r, r2, a }: ExpLocals): void {
  const MAGIC = 6755399441055744; // 1.5·2^52
  const LN2_HI = 6.93147180369123816490e-1;
  const LN2_LO = 1.90821492927058770002e-10;
  const c = EXP_COEFFS;
  f.get(x).f64x2Const(-708).f64x2Pmax().set(r); // clamp, in r for now
  // t = r·log2(e) + MAGIC, rounded to an integer n + MAGIC; then r = r − n·ln2_hi − n·ln2_lo with n = t − MAGIC.
  f.get(r).f64x2Const(Math.LOG2E).f64x2Mul().f64x2Const(MAGIC).f64x2Add().tee(t).f64x2Const(MAGIC).f64x2Sub().set(r2);
  f.get(r).get(r2).f64x2Const(LN2_HI).f64x2Mul().f64x2Sub().set(r);
  f.get(r).get(r2).f64x2Const(LN2_LO).f64x2Mul().f64x2Sub().set(r);
  // Estrin: a_k = c_2k + c_2k+1·r; then pairs with r², r⁴, r⁸.
  for (let k = 0; k < 7; k++) {
    f.get(r).f64x2Const(c[2 * k + 1]);
    if (relaxed) f.f64x2Const(c[2 * k]).f64x2RelaxedMadd();
    else f.f64x2Mul().f64x2Const(c[2 * k]).f64x2Add();
    f.set(a[k]);
  }
  f.get(r).get(r).f64x2Mul().set(r2);
  for (let k = 0; k < 3; k++) {
    maddTop(f, relaxed, a[2 * k + 1], r2, () => f.get(a[2 * k]));
    f.set(a[k]);
  }
  // now a0..a2 = b0..b2, a6 = b3
  f.get(r2).get(r2).f64x2Mul().set(r2); // r⁴
  maddTop(f, relaxed, a[1], r2, () => f.get(a[0]));
  f.set(a[0]);
  maddTop(f, relaxed, a[6], r2, () => f.get(a[2]));
  f.set(a[1]);
  f.get(r2).get(r2).f64x2Mul().set(r2); // r⁸
  maddTop(f, relaxed, a[1], r2, () => f.get(a[0]));
  // 2^n: n sits in the low bits of t's mantissa; shifting left by 52 moves it into the exponent field, and
  // adding the bits of 1.0 (1023 << 52) adds the exponent bias.
  f.get(t).i32(52).i64x2Shl().f64x2Const(1).i64x2Add().f64x2Mul();
  f.get(x).f64x2Const(-708).f64x2Ge().v128And(); // 0 where x < −708 (including −∞)
}

/**
 * Online softmax for 2 queries at a time, down the key axis of sT: m_new = max(m, max_c s), p = exp(s − m_new),
 * α = exp(m − m_new), ℓ = α·ℓ + Σ p. A query with nothing visible yet (m_new = −∞) is shifted by −MAX_VALUE
 * instead, so p = exp(−∞) = 0 and α = 0 with ℓ = O = 0 still: no exp(−∞ − (−∞)) = NaN.
 */
function emitSoftmax({ bq4 }: KernelShape, L: KernelLayout, relaxed: boolean): FnBuilder {
  const f = new FnBuilder(2); // (nr4, nc4)
  const [r, c, end] = [0, 0, 0].map(() => f.local(I32));
  const [vm, safe, sum, x] = [0, 0, 0, 0].map(() => f.local(V128));
  const E = expLocals(f);
  const ldT = bq4 * 8;
  f.i32(0).set(r);
  f.loop(() => {
    // r is a byte offset (8 per query); vm = max(m[r..r+1], max_c sT[c, r..r+1])
    f.get(r).v128Load(L.m).set(vm);
    f.get(r).i32(L.s).i32Add().tee(c).get(1).i32(ldT).i32Mul().i32Add().set(end);
    f.loop(() => {
      f.get(vm).get(c).v128Load(0).f64x2Pmax().set(vm);
      f.get(c).i32(ldT).i32Add().tee(c).get(end).i32LtU().brIf(0);
    });
    f.get(vm).f64x2Const(-Number.MAX_VALUE).f64x2Pmax().set(safe);
    f.f64x2Const(0).set(sum);
    f.get(r).i32(L.s).i32Add().set(c);
    f.loop(() => {
      f.get(c).v128Load(0).get(safe).f64x2Sub().set(x);
      f.get(c);
      emitExp(f, relaxed, x, E);
      f.tee(x).v128Store(0);
      f.get(sum).get(x).f64x2Add().set(sum);
      f.get(c).i32(ldT).i32Add().tee(c).get(end).i32LtU().brIf(0);
    });
    // α = exp(m − m_new); ℓ = α·ℓ + Σ p; m = m_new
    f.get(r).v128Load(L.m).get(safe).f64x2Sub().set(x);
    f.get(r);
    emitExp(f, relaxed, x, E);
    f.tee(x).v128Store(L.a);
    f.get(r).get(x).get(r).v128Load(L.l).f64x2Mul().get(sum).f64x2Add().v128Store(L.l);
    f.get(r).get(vm).v128Store(L.m);
    f.get(r).i32(16).i32Add().tee(r).get(0).i32(8).i32Mul().i32LtU().brIf(0);
  });
  return f;
}

/** O[r..r+3, e..e+3] = α·O + Σ_c P[r.., c]·V[c, e..e+3]: splat p, two value vectors, eight accumulators. */
function emitPv({ Dv, bq4 }: KernelShape, L: KernelLayout, relaxed: boolean): FnBuilder {
  const f = new FnBuilder(2); // (nr4, nc4)
  const [r, e, op, pp, vp, end] = [0, 0, 0, 0, 0, 0].map(() => f.local(I32));
  const acc = Array.from({ length: 8 }, () => f.local(V128)); // acc[2i + j]: row r+i, value columns e+2j, e+2j+1
  const [v0, v1, x] = [0, 0, 0].map(() => f.local(V128));
  const ldT = bq4 * 8;
  const Dvb = Dv * 8;
  f.i32(0).set(r);
  f.loop(() => {
    f.i32(0).set(e);
    f.loop(() => {
      f.get(r).i32(Dvb).i32Mul().get(e).i32Add().i32(L.o).i32Add().set(op);
      for (let i = 0; i < 4; i++) {
        f.get(r).i32(8).i32Mul().load64Splat(L.a + 8 * i).set(x);
        f.get(op).v128Load(i * Dvb).get(x).f64x2Mul().set(acc[2 * i]);
        f.get(op).v128Load(i * Dvb + 16).get(x).f64x2Mul().set(acc[2 * i + 1]);
      }
      f.get(r).i32(8).i32Mul().i32(L.s).i32Add().tee(pp).get(1).i32(ldT).i32Mul().i32Add().set(end);
      f.get(e).i32(L.v).i32Add().set(vp);
      f.loop(() => {
        f.get(vp).v128Load(0).set(v0);
        f.get(vp).v128Load(16).set(v1);
        for (let i = 0; i < 4; i++) {
          f.get(pp).load64Splat(8 * i).set(x);
          madd(f, relaxed, x, v0, acc[2 * i]);
          madd(f, relaxed, x, v1, acc[2 * i + 1]);
        }
        f.get(vp).i32(Dvb).i32Add().set(vp);
        f.get(pp).i32(ldT).i32Add().tee(pp).get(end).i32LtU().brIf(0);
      });
      for (let i = 0; i < 4; i++) {
        f.get(op).get(acc[2 * i]).v128Store(i * Dvb);
        f.get(op).get(acc[2 * i + 1]).v128Store(i * Dvb + 16);
      }
      f.get(e).i32(32).i32Add().tee(e).i32(Dvb).i32LtU().brIf(0);
    });
    f.get(r).i32(4).i32Add().tee(r).get(0).i32LtU().brIf(0);
  });
  return f;
}

/** The module bytes for one shape (needs SIMD; `relaxed` also needs relaxed SIMD). */
export function flashKernelBytes(shape: KernelShape, relaxed: boolean): Uint8Array {
  const L = kernelLayout(shape);
  const pages = Math.max(1, Math.ceil((L.elements * 8) / 65536));
  const bytes = moduleBytes(
    [
      { name: 'qk', fn: emitQk(shape, L, relaxed) },
      { name: 'softmax', fn: emitSoftmax(shape, L, relaxed) },
      { name: 'pv', fn: emitPv(shape, L, relaxed) },
    ],
    2,
    pages,
  );
  return bytes;
}

/** Whether a shape can use the SIMD kernel: Dv a multiple of 4 (two vectors per register block); any D. */
export function kernelFits(D: number, Dv: number): boolean {
  return D > 0 && Dv > 0 && Dv % 4 === 0;
}

/** Instantiates the kernel for a shape, or returns null if this WebAssembly lacks what it needs. */
export function createFlashKernel(api: WasmApi | undefined, shape: KernelShape, allowRelaxed = true): FlashKernel | null {
  if (!api || typeof api.validate !== 'function') return null;
  for (const relaxed of allowRelaxed ? [true, false] : [false]) {
    const bytes = flashKernelBytes(shape, relaxed);
    let ok = false;
    try {
      ok = api.validate(bytes);
    } catch {
      ok = false;
    }
    if (!ok) continue;
    try {
      // Synchronous compile: allowed for small modules everywhere (browsers cap main-thread compiles at 4 KB).
      const instance = new api.Instance(new api.Module(bytes), {});
      const ex = instance.exports as {
        qk: (a: number, b: number) => void;
        softmax: (a: number, b: number) => void;
        pv: (a: number, b: number) => void;
        mem: { buffer: ArrayBuffer };
      };
      const layout = kernelLayout(shape);
      const heap = new Float64Array(ex.mem.buffer);
      return {
        shape,
        layout,
        heap,
        qk: ex.qk,
        softmax: ex.softmax,
        pv: ex.pv,
        relaxed,
        bytes: bytes.length,
      };
    } catch {
      return null;
    }
  }
  return null;
}
