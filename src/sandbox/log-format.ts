// Turns console.log arguments into one line of text, the way a browser console would print them (compactly).

/** Caps on what one run may print; beyond them the output is cut with a note. */
export const LOG_LIMITS = { lines: 200, chars: 40_000, perLine: 2_000 } as const;

function show(x: unknown, depth: number): string {
  if (typeof x === 'string') return depth === 0 ? x : JSON.stringify(x);
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (x === undefined || x === null || typeof x === 'boolean' || typeof x === 'bigint') return String(x) + (typeof x === 'bigint' ? 'n' : '');
  if (typeof x === 'function') return `[Function ${x.name || 'anonymous'}]`;
  if (typeof x === 'symbol') return x.toString();
  if (depth > 3) return Array.isArray(x) ? '[…]' : '{…}';
  if (x instanceof Error) return `${x.name}: ${x.message}`;
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const arr = Array.from(x as ArrayLike<unknown>);
    const head = arr.slice(0, 20).map((v) => show(v, depth + 1));
    const prefix = ArrayBuffer.isView(x) ? `${x.constructor.name}(${arr.length}) ` : '';
    return `${prefix}[${head.join(', ')}${arr.length > 20 ? `, … ${arr.length - 20} more` : ''}]`;
  }
  const entries = Object.entries(x as object).slice(0, 20);
  return `{ ${entries.map(([k, v]) => `${k}: ${show(v, depth + 1)}`).join(', ')} }`;
}

/** One printed line for a console call's arguments; never throws. */
export function formatLogArgs(args: unknown[]): string {
  let text: string;
  try {
    text = args.map((a) => show(a, 0)).join(' ');
  } catch {
    text = '<a value that cannot be printed>';
  }
  return text.length > LOG_LIMITS.perLine ? text.slice(0, LOG_LIMITS.perLine) + '…' : text;
}
