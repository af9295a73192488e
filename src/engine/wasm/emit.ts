// A tiny WebAssembly binary writer: just the opcodes the flash kernel uses, so the engine can build its
// SIMD module from TypeScript at run time, with no toolchain and no dependencies. Opcode numbers are from
// the WebAssembly core specification (binary format, §5) and the fixed-width SIMD and relaxed-SIMD
// proposals (both prefixed by 0xfd).

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Little-endian bytes of two float64 lanes. */
function f64x2Bytes(a: number, b: number): number[] {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setFloat64(0, a, true);
  dv.setFloat64(8, b, true);
  return Array.from(new Uint8Array(dv.buffer));
}

/** Little-endian bytes of four float32 lanes. */
function f32x4Bytes(a: number, b: number, c: number, d: number): number[] {
  const dv = new DataView(new ArrayBuffer(16));
  [a, b, c, d].forEach((x, i) => dv.setFloat32(4 * i, x, true));
  return Array.from(new Uint8Array(dv.buffer));
}

/** Little-endian bytes of two int64 lanes given as (high 32 bits, low 32 bits) pairs, both lanes equal. */
function i64x2Bytes(hi: number, lo: number): number[] {
  const dv = new DataView(new ArrayBuffer(16));
  for (const at of [0, 8]) {
    dv.setUint32(at, lo >>> 0, true);
    dv.setUint32(at + 4, hi >>> 0, true);
  }
  return Array.from(new Uint8Array(dv.buffer));
}

/** Builds one function body; locals are declared up front and referred to by index. */
export class FnBuilder {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];
  constructor(private readonly params: number) {}

  /** Declares a new local of the given type and returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }
  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  private simd(op: number, ...rest: number[]): this {
    return this.op(0xfd, ...uleb(op), ...rest);
  }

  get(i: number): this { return this.op(0x20, ...uleb(i)); }
  set(i: number): this { return this.op(0x21, ...uleb(i)); }
  tee(i: number): this { return this.op(0x22, ...uleb(i)); }
  i32(n: number): this { return this.op(0x41, ...sleb(n)); }
  f64(x: number): this { return this.op(0x44, ...f64x2Bytes(x, 0).slice(0, 8)); }
  i32Add(): this { return this.op(0x6a); }
  i32Mul(): this { return this.op(0x6c); }
  i32LtU(): this { return this.op(0x49); }
  f64Add(): this { return this.op(0xa0); }
  f64Sub(): this { return this.op(0xa1); }
  f64Mul(): this { return this.op(0xa2); }
  f64Max(): this { return this.op(0xa5); }
  f64Eq(): this { return this.op(0x61); }
  f64Load(offset: number): this { return this.op(0x2b, 3, ...uleb(offset)); }
  f64Store(offset: number): this { return this.op(0x39, 3, ...uleb(offset)); }
  /** `loop` (or `block`) … `end` with an empty block type; br 0 inside a loop jumps back to its start. */
  loop(body: () => void): this { this.op(0x03, 0x40); body(); return this.op(0x0b); }
  ifElse(then: () => void, otherwise: () => void): this {
    this.op(0x04, 0x40);
    then();
    this.op(0x05);
    otherwise();
    return this.op(0x0b);
  }
  brIf(depth: number): this { return this.op(0x0d, ...uleb(depth)); }

  v128Load(offset: number): this { return this.simd(0x00, 4, ...uleb(offset)); }
  load64Splat(offset: number): this { return this.simd(0x0a, 3, ...uleb(offset)); }
  v128Store(offset: number): this { return this.simd(0x0b, 4, ...uleb(offset)); }
  f64x2Const(a: number, b = a): this { return this.simd(0x0c, ...f64x2Bytes(a, b)); }
  i64x2Const(hi: number, lo: number): this { return this.simd(0x0c, ...i64x2Bytes(hi, lo)); }
  shuffle(lanes: number[]): this { return this.simd(0x0d, ...lanes); }
  f64x2Splat(): this { return this.simd(0x14); }
  extractLane(lane: number): this { return this.simd(0x21, lane); }
  v128And(): this { return this.simd(0x4e); }
  f64x2Ge(): this { return this.simd(0x4c); }
  i64x2Shl(): this { return this.simd(0xcb); }
  i64x2Add(): this { return this.simd(0xce); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Sub(): this { return this.simd(0xf1); }
  f64x2Mul(): this { return this.simd(0xf2); }
  f64x2Pmax(): this { return this.simd(0xf7); }
  /** f64x2.relaxed_madd: a·b + c, fused or not as the hardware prefers (relaxed-SIMD proposal). */
  f64x2RelaxedMadd(): this { return this.simd(0x107); }

  // float32 lanes (the opt-in float32 kernel)
  load32Splat(offset: number): this { return this.simd(0x09, 2, ...uleb(offset)); }
  f32x4Const(a: number, b = a, c = a, d = a): this { return this.simd(0x0c, ...f32x4Bytes(a, b, c, d)); }
  f32x4Ge(): this { return this.simd(0x46); }
  /** f32x4.demote_f64x2_zero: two float64 lanes rounded to float32 in lanes 0, 1; lanes 2, 3 zero. */
  f32x4DemoteF64x2Zero(): this { return this.simd(0x5e); }
  /** f64x2.promote_low_f32x4: float32 lanes 0, 1 widened to two float64 lanes. */
  f64x2PromoteLowF32x4(): this { return this.simd(0x5f); }
  i32x4Shl(): this { return this.simd(0xab); }
  i32x4Add(): this { return this.simd(0xae); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Sub(): this { return this.simd(0xe5); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Pmax(): this { return this.simd(0xeb); }
  /** f32x4.relaxed_madd: a·b + c, fused or not as the hardware prefers (relaxed-SIMD proposal). */
  f32x4RelaxedMadd(): this { return this.simd(0x105); }

  /** The encoded body: local declarations (one entry per local, which is valid if not minimal), code, end. */
  body(): number[] {
    const decls = [...uleb(this.localTypes.length), ...this.localTypes.flatMap((t) => [1, t])];
    const all = [...decls, ...this.code, 0x0b];
    return [...uleb(all.length), ...all];
  }
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/**
 * A module of functions that all take `params` i32 arguments and return nothing, plus one exported memory of
 * `pages` 64 KiB pages (exported as "mem"). Functions are exported under the given names.
 */
export function moduleBytes(fns: { name: string; fn: FnBuilder }[], params: number, pages: number): Uint8Array {
  const type = [0x60, ...uleb(params), ...new Array<number>(params).fill(I32), 0];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, ...type]),
    ...section(3, [...uleb(fns.length), ...fns.map(() => 0)]),
    ...section(5, [1, 0x00, ...uleb(pages)]),
    ...section(7, [
      ...uleb(fns.length + 1),
      ...fns.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
      ...name('mem'), 0x02, 0,
    ]),
    ...section(10, [...uleb(fns.length), ...fns.flatMap((f) => f.fn.body())]),
  ];
  return new Uint8Array(bytes);
}
