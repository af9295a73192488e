// The opt-in float32 WebAssembly SIMD (f32x4) kernel of flashAttention (`precision: 'float32'`). Same loop and
// the same tile functions as the float64 kernel (flash-kernel.ts), with four float32 lanes per v128:
//   cvt(nk, nv)        K and V tiles, copied in as float64 (a plain copy), rounded to float32 in place
//   qk(nr8, nc4)       sT = (Q·Kᵀ)ᵀ in float32, 4 keys × 8 queries per register block (8 accumulators)
//   softmax(nr8, nc4)  online softmax for 4 queries per vector, float32 exp; m in float32, ℓ and α in float64
//   pv(nr8, nc4)       P·V_tile in float32 registers (4 query rows × 8 value columns), then added to O kept in
//                      float64: O = α·O + (P·V_tile), so only the within-tile sums (≤ bk terms) are float32
// Query rows are padded to multiples of 8, keys to multiples of 4.
import { FnBuilder, I32, V128, moduleBytes } from './emit';
import type { WasmApi } from './flash-kernel';

/** Tile geometry: query rows padded to a multiple of 8, keys to a multiple of 4. */
export interface KernelShapeF32 {
  D: number;
  Dv: number;
  /** Query rows per tile, a multiple of 8 (also the row stride of qT and sT). */
  bq8: number;
  /** Keys per tile, a multiple of 4. */
  bk4: number;
}

/** Byte offsets of the tiles in module memory (multiples of 16), with each tile's element type. */
export interface KernelLayoutF32 {
  q: number; // float32 (D, bq8): scaled query rows, transposed
  k: number; // (bk4, D) key rows: copied in as float64, converted in place to float32
  v: number; // (bk4, Dv) value rows: likewise
  s: number; // float32 (bk4, bq8): logits, then p, transposed
  o: number; // float64 (bq8, Dv): unnormalised output rows
  m: number; // float32 (bq8): running max
  l: number; // float64 (bq8): running normaliser
  a: number; // float64 (bq8): α of the last step
  /** Elements of all of the above (q, s, m counted as float32s; k, v, o, l, a as float64s). */
  elements: number;
  /** Bytes of all of the above. */
  bytes: number;
}

/** An instantiated float32 kernel. */
export interface FlashKernelF32 {
  shape: KernelShapeF32;
  layout: KernelLayoutF32;
  /** The module memory as float32s and as float64s (offsets are layout bytes / 4 or / 8). */
  heap32: Float32Array;
  heap64: Float64Array;
  cvt(nk: number, nv: number): void;
  qk(nr8: number, nc4: number): void;
  softmax(nr8: number, nc4: number): void;
  pv(nr8: number, nc4: number): void;
  relaxed: boolean;
  bytes: number;
}

/** Where each tile lives. */
export function kernelLayoutF32({ D, Dv, bq8, bk4 }: KernelShapeF32): KernelLayoutF32 {
  const tiles: [keyof Omit<KernelLayoutF32, 'elements' | 'bytes'>, number, number][] = [
    ['q', D * bq8, 4], ['k', bk4 * D, 8], ['v', bk4 * Dv, 8], ['s', bk4 * bq8, 4],
    ['o', bq8 * Dv, 8], ['m', bq8, 4], ['l', bq8, 8], ['a', bq8, 8],
  ];
  const layout = { elements: 0, bytes: 0 } as KernelLayoutF32;
  for (const [key, n, size] of tiles) {
    layout[key] = layout.bytes;
    layout.bytes += n * size; // every size here is a multiple of 16 bytes
    layout.elements += n;
  }
  return layout;
}

/** acc = a·b + acc in float32 lanes, fused (relaxed madd) or as a multiply then an add. */
function madd(f: FnBuilder, relaxed: boolean, a: number, b: number, acc: number): void {
  f.get(a).get(b);
  if (relaxed) f.get(acc).f32x4RelaxedMadd();
  else f.f32x4Mul().get(acc).f32x4Add();
  f.set(acc);
}

/** Pushes the high two float32 lanes of local `x` widened to float64 (lanes 2, 3 → 0, 1, then promote). */
function promoteHigh(f: FnBuilder, x: number): void {
  f.get(x).get(x).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]).f64x2PromoteLowF32x4();
}

/** Rounds n float64s at byte `at` to float32s at the same address, in place (reads run ahead of writes). */
function emitCvtLoop(f: FnBuilder, count: number, at: number, src: number, dst: number, end: number): void {
  f.i32(at).tee(src).set(dst);
  f.get(count).i32(8).i32Mul().i32(at).i32Add().set(end);
  f.loop(() => {
    f.get(dst);
    f.get(src).v128Load(0).f32x4DemoteF64x2Zero();
    f.get(src).v128Load(16).f32x4DemoteF64x2Zero();
    f.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]).v128Store(0);
    f.get(dst).i32(16).i32Add().set(dst);
    f.get(src).i32(32).i32Add().tee(src).get(end).i32LtU().brIf(0);
  });
}

function emitCvt(L: KernelLayoutF32): FnBuilder {
  const f = new FnBuilder(2); // (nk, nv): element counts, multiples of 4
  const [src, dst, end] = [0, 0, 0].map(() => f.local(I32));
  emitCvtLoop(f, 0, L.k, src, dst, end);
  emitCvtLoop(f, 1, L.v, src, dst, end);
  return f;
}

/** sT[c..c+3, r..r+7] = K[c..c+3]·Q[r..r+7]ᵀ: per d, 4 splatted key elements times 2 vectors of 4 queries. */
function emitQk({ D, bq8 }: KernelShapeF32, L: KernelLayoutF32, relaxed: boolean): FnBuilder {
  const f = new FnBuilder(2); // (nr8, nc4)
  const [r, c, qp, kp, end, sp] = [0, 0, 0, 0, 0, 0].map(() => f.local(I32));
  const acc = Array.from({ length: 8 }, () => f.local(V128)); // acc[2i + j]: key c+i, queries r+4j..r+4j+3
  const [q0, q1, x] = [0, 0, 0].map(() => f.local(V128));
  const Db = D * 4; // float32 key row
  const ldT = bq8 * 4;
  f.i32(0).set(c);
  f.loop(() => {
    f.i32(0).set(r);
    f.loop(() => {
      for (const a of acc) f.f32x4Const(0).set(a);
      f.get(r).i32(4).i32Mul().i32(L.q).i32Add().set(qp);
      f.get(c).i32(Db).i32Mul().i32(L.k).i32Add().tee(kp).i32(Db).i32Add().set(end);
      f.loop(() => {
        f.get(qp).v128Load(0).set(q0);
        f.get(qp).v128Load(16).set(q1);
        for (let i = 0; i < 4; i++) {
          f.get(kp).load32Splat(i * Db).set(x);
          madd(f, relaxed, x, q0, acc[2 * i]);
          madd(f, relaxed, x, q1, acc[2 * i + 1]);
        }
        f.get(qp).i32(ldT).i32Add().set(qp);
        f.get(kp).i32(4).i32Add().tee(kp).get(end).i32LtU().brIf(0);
      });
      f.get(c).i32(ldT).i32Mul().get(r).i32(4).i32Mul().i32Add().i32(L.s).i32Add().set(sp);
      for (let i = 0; i < 4; i++) {
        f.get(sp).get(acc[2 * i]).v128Store(i * ldT);
        f.get(sp).get(acc[2 * i + 1]).v128Store(i * ldT + 16);
      }
      f.get(r).i32(8).i32Add().tee(r).get(0).i32LtU().brIf(0);
    });
    f.get(c).i32(4).i32Add().tee(c).get(1).i32LtU().brIf(0);
  });
  return f;
}

/** Below this exp gives 0: ln(2^−126), where float32 leaves the normal range. */
export const EXP_F32_MIN = -87.33;

/**
 * Pushes exp(x) for the f32x4 in local `x`: x = n·ln2 + r with n = round(x·log2 e) (adding 1.5·2^23 leaves n in
 * the low mantissa bits), r reduced with Cephes' two-part ln2 (0.693359375 has 9 significant bits, so n·ln2_hi
 * is exact), e^r by its degree-7 Taylor polynomial (truncation below 8e−9 relative for |r| ≤ ln2/2, under a
 * tenth of a float32 ulp) by Estrin's scheme, and 2^n built in the exponent bits. Inputs below −87.33 (and
 * −∞) give 0.
 */
function emitExpF32(f: FnBuilder, relaxed: boolean, x: number, t: number, r: number, r2: number, a: number[]): void {
  const MAGIC = 12582912; // 1.5·2^23
  const LN2_HI = 0.693359375;
  const LN2_LO = -2.12194440e-4;
  const c = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
  const fma = (mul: () => void, add: () => void) => {
    mul();
    if (relaxed) {
      add();
      f.f32x4RelaxedMadd();
    } else {
      f.f32x4Mul();
      add();
      f.f32x4Add();
    }
  };
  f.get(x).f32x4Const(EXP_F32_MIN).f32x4Pmax().set(r);
  f.get(r).f32x4Const(Math.LOG2E).f32x4Mul().f32x4Const(MAGIC).f32x4Add().tee(t).f32x4Const(MAGIC).f32x4Sub().set(r2); // n
  f.get(r).get(r2).f32x4Const(LN2_HI).f32x4Mul().f32x4Sub().get(r2).f32x4Const(LN2_LO).f32x4Mul().f32x4Sub().set(r);
  for (let k = 0; k < 4; k++) {
    fma(() => f.get(r).f32x4Const(c[2 * k + 1]), () => f.f32x4Const(c[2 * k]));
    f.set(a[k]);
  }
  f.get(r).get(r).f32x4Mul().set(r2);
  fma(() => f.get(a[1]).get(r2), () => f.get(a[0]));
  f.set(a[0]);
  fma(() => f.get(a[3]).get(r2), () => f.get(a[2]));
  f.set(a[1]);
  f.get(r2).get(r2).f32x4Mul().set(r2);
  fma(() => f.get(a[1]).get(r2), () => f.get(a[0]));
  // 2^n: shift n from the low mantissa bits of t into the exponent field and add the bits of 1.0f.
  f.get(t).i32(23).i32x4Shl().f32x4Const(1).i32x4Add().f32x4Mul();
  f.get(x).f32x4Const(EXP_F32_MIN).f32x4Ge().v128And();
}

/**
 * Online softmax for 4 queries at a time down the key axis of sT (as in the float64 kernel): m_new = max(m,
 * max_c s), p = exp(s − m_new), α = exp(m − m_new) in float32; then, in float64, ℓ = α·ℓ + Σ p and α stored for
 * pv. A query with nothing visible yet is shifted by −FLT_MAX, so p = α = 0 and ℓ = O = 0 stay (no NaN).
 */
function emitSoftmax({ bq8 }: KernelShapeF32, L: KernelLayoutF32, relaxed: boolean): FnBuilder {
  const f = new FnBuilder(2); // (nr8, nc4)
  const [r, r8, c, end] = [0, 0, 0, 0].map(() => f.local(I32));
  const [vm, safe, sum, x, t, rr, r2] = [0, 0, 0, 0, 0, 0, 0].map(() => f.local(V128));
  const a = [0, 0, 0, 0].map(() => f.local(V128));
  const ldT = bq8 * 4;
  const FLT_MAX = 3.4028234663852886e38;
  f.i32(0).set(r);
  f.loop(() => {
    // r: byte offset of 4 queries in float32 arrays; r8 = 2r in float64 arrays
    f.get(r).i32(2).i32Mul().set(r8);
    f.get(r).v128Load(L.m).set(vm);
    f.get(r).i32(L.s).i32Add().tee(c).get(1).i32(ldT).i32Mul().i32Add().set(end);
    f.loop(() => {
      f.get(vm).get(c).v128Load(0).f32x4Pmax().set(vm);
      f.get(c).i32(ldT).i32Add().tee(c).get(end).i32LtU().brIf(0);
    });
    f.get(vm).f32x4Const(-FLT_MAX).f32x4Pmax().set(safe);
    f.f32x4Const(0).set(sum);
    f.get(r).i32(L.s).i32Add().set(c);
    f.loop(() => {
      f.get(c).v128Load(0).get(safe).f32x4Sub().set(x);
      f.get(c);
      emitExpF32(f, relaxed, x, t, rr, r2, a);
      f.tee(x).v128Store(0);
      f.get(sum).get(x).f32x4Add().set(sum);
      f.get(c).i32(ldT).i32Add().tee(c).get(end).i32LtU().brIf(0);
    });
    f.get(r).v128Load(L.m).get(safe).f32x4Sub().set(x);
    emitExpF32(f, relaxed, x, t, rr, r2, a);
    f.set(x); // α (float32)
    f.get(r).get(vm).v128Store(L.m);
    // α and ℓ in float64, two queries per vector: low lanes, then high lanes.
    f.get(r8).get(x).f64x2PromoteLowF32x4().v128Store(L.a);
    f.get(r8);
    promoteHigh(f, x);
    f.v128Store(L.a + 16);
    f.get(r8).get(r8).v128Load(L.l).get(r8).v128Load(L.a).f64x2Mul().get(sum).f64x2PromoteLowF32x4().f64x2Add().v128Store(L.l);
    f.get(r8).get(r8).v128Load(L.l + 16).get(r8).v128Load(L.a + 16).f64x2Mul();
    promoteHigh(f, sum);
    f.f64x2Add().v128Store(L.l + 16);
    f.get(r).i32(16).i32Add().tee(r).get(0).i32(4).i32Mul().i32LtU().brIf(0);
  });
  return f;
}

/**
 * O[r..r+3, e..e+7] = α·O + Σ_c P[r.., c]·V[c, e..e+7]: the tile sum in float32 registers (4 splatted p, two
 * value vectors, eight accumulators), then widened and added to O in float64. When Dv is not a multiple of 8,
 * the last 4 columns take a 4 × 4 block. (A block of 8 rows × 4 columns, 8 splats per key, measured 4× slower.)
 */
function emitPv({ Dv, bq8 }: KernelShapeF32, L: KernelLayoutF32, relaxed: boolean): FnBuilder {
  const f = new FnBuilder(2); // (nr8, nc4)
  const [r, e, op, pp, vp, end] = [0, 0, 0, 0, 0, 0].map(() => f.local(I32));
  const acc = Array.from({ length: 8 }, () => f.local(V128)); // acc[w·i + j]: row r+i, value columns e+4j..e+4j+3
  const [x, ...v] = [0, 0, 0].map(() => f.local(V128));
  const ldT = bq8 * 4;
  const Dvb = Dv * 4; // float32 value row
  const Dob = Dv * 8; // float64 output row
  /** One block of 4 rows × 4w columns at column e. */
  const block = (w: number) => {
    for (const a of acc.slice(0, 4 * w)) f.f32x4Const(0).set(a);
    f.get(r).i32(4).i32Mul().i32(L.s).i32Add().tee(pp).get(1).i32(ldT).i32Mul().i32Add().set(end);
    f.get(e).i32(4).i32Mul().i32(L.v).i32Add().set(vp);
    f.loop(() => {
      for (let j = 0; j < w; j++) f.get(vp).v128Load(16 * j).set(v[j]);
      for (let i = 0; i < 4; i++) {
        f.get(pp).load32Splat(4 * i).set(x);
        for (let j = 0; j < w; j++) madd(f, relaxed, x, v[j], acc[w * i + j]);
      }
      f.get(vp).i32(Dvb).i32Add().set(vp);
      f.get(pp).i32(ldT).i32Add().tee(pp).get(end).i32LtU().brIf(0);
    });
    f.get(r).i32(Dob).i32Mul().get(e).i32(8).i32Mul().i32Add().i32(L.o).i32Add().set(op);
    for (let i = 0; i < 4; i++) {
      f.get(r).i32(8).i32Mul().load64Splat(L.a + 8 * i).set(x);
      for (let j = 0; j < w; j++) {
        const at = i * Dob + 32 * j;
        f.get(op).get(op).v128Load(at).get(x).f64x2Mul().get(acc[w * i + j]).f64x2PromoteLowF32x4().f64x2Add().v128Store(at);
        f.get(op).get(op).v128Load(at + 16).get(x).f64x2Mul();
        promoteHigh(f, acc[w * i + j]);
        f.f64x2Add().v128Store(at + 16);
      }
    }
  };
  f.i32(0).set(r);
  f.loop(() => {
    if (Dv >= 8) {
      f.i32(0).set(e);
      f.loop(() => {
        block(2);
        f.get(e).i32(8).i32Add().tee(e).i32(Dv - 7).i32LtU().brIf(0);
      });
    }
    if (Dv % 8 === 4) {
      f.i32(Dv - 4).set(e);
      block(1);
    }
    f.get(r).i32(4).i32Add().tee(r).get(0).i32LtU().brIf(0);
  });
  return f;
}

/** The module bytes for one shape (needs SIMD; `relaxed` also needs relaxed SIMD). */
export function flashKernelF32Bytes(shape: KernelShapeF32, relaxed: boolean): Uint8Array {
  const L = kernelLayoutF32(shape);
  return moduleBytes(
    [
      { name: 'cvt', fn: emitCvt(L) },
      { name: 'qk', fn: emitQk(shape, L, relaxed) },
      { name: 'softmax', fn: emitSoftmax(shape, L, relaxed) },
      { name: 'pv', fn: emitPv(shape, L, relaxed) },
    ],
    2,
    Math.max(1, Math.ceil(L.bytes / 65536)),
  );
}

/** Instantiates the float32 kernel for a shape, or returns null if this WebAssembly lacks what it needs. */
export function createFlashKernelF32(api: WasmApi | undefined, shape: KernelShapeF32, allowRelaxed = true): FlashKernelF32 | null {
  if (!api || typeof api.validate !== 'function') return null;
  for (const relaxed of allowRelaxed ? [true, false] : [false]) {
    const bytes = flashKernelF32Bytes(shape, relaxed);
    let ok = false;
    try {
      ok = api.validate(bytes);
    } catch {
      ok = false;
    }
    if (!ok) continue;
    try {
      const ex = new api.Instance(new api.Module(bytes), {}).exports as {
        cvt: (a: number, b: number) => void;
        qk: (a: number, b: number) => void;
        softmax: (a: number, b: number) => void;
        pv: (a: number, b: number) => void;
        mem: { buffer: ArrayBuffer };
      };
      return {
        shape,
        layout: kernelLayoutF32(shape),
        heap32: new Float32Array(ex.mem.buffer),
        heap64: new Float64Array(ex.mem.buffer),
        cvt: ex.cvt,
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
