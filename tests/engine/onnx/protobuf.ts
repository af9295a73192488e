// A tiny protobuf writer: just enough of ModelProto/GraphProto/NodeProto/ValueInfoProto to build
// one-node ONNX models in tests (field numbers from onnx/onnx.proto), so no extra package is needed.

type Field = number[]; // encoded bytes of one field

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const key = (field: number, wire: number) => varint(field * 8 + wire);
/** A varint field (int32, int64 ≥ 0, enum). */
export const int = (field: number, n: number): Field => [...key(field, 0), ...varint(n)];
/** A length-delimited field holding raw bytes. */
export const bytes = (field: number, b: number[]): Field => [...key(field, 2), ...varint(b.length), ...b];
/** A string field (UTF-8). */
export const str = (field: number, s: string): Field => bytes(field, [...new TextEncoder().encode(s)]);
/** A nested message field. */
export const msg = (field: number, ...fields: Field[]): Field => bytes(field, fields.flat());
/** A 32-bit float field (fixed32). */
export function float(field: number, x: number): Field {
  const b = new Uint8Array(new Float32Array([x]).buffer);
  return [...key(field, 5), ...b];
}

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, BOOL: 9 } as const;

/** An attribute value for `node`. */
export type Attr = { name: string; int: number } | { name: string; float: number };

/** Serialises a ModelProto with one node (ir_version 11, default-domain opset `opset`). */
export function modelBytes(opts: {
  opType: string;
  opset: number;
  inputs: { name: string; elemType: number; shape: number[] }[];
  /** Node input names in operator order; '' skips an optional input. */
  nodeInputs: string[];
  /** Node output names in operator order; '' skips an optional output. */
  outputs: string[];
  attrs: Attr[];
}): Uint8Array {
  const vi = (name: string, elemType: number, shape?: number[]) => {
    const dims = shape ? [msg(2, ...shape.map((d) => msg(1, int(1, d))))] : [];
    return [str(1, name), msg(2, msg(1, int(1, elemType), ...dims))];
  };
  const attr = (a: Attr): Field[] =>
    'int' in a ? [str(1, a.name), int(3, a.int), int(20, 2)] : [str(1, a.name), float(2, a.float), int(20, 1)];
  const node = msg(
    1,
    ...opts.nodeInputs.map((n) => str(1, n)),
    ...opts.outputs.map((n) => str(2, n)),
    str(3, 'node0'),
    str(4, opts.opType),
    ...opts.attrs.map((a) => msg(5, ...attr(a))),
  );
  const graph = msg(
    7,
    node,
    str(2, 'g'),
    ...opts.inputs.map((i) => msg(11, ...vi(i.name, i.elemType, i.shape))),
    ...opts.outputs.filter((o) => o !== '').map((o) => msg(12, ...vi(o, DataType.FLOAT))),
  );
  return new Uint8Array([...int(1, 11), ...str(2, "engine-tests"), ...graph, ...msg(8, str(1, ''), int(2, opts.opset))]);
}
