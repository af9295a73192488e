// Error helpers: every engine error names the function, the tensors and their shapes.

/** Formats a shape the way error messages print it: `(1,8,16,64)`. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(',')})`;
}

/** Throws `Error("<fn>: <message>")`. */
export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}
