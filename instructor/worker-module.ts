// The grading process's code as one plain ES module, so a grading process starts with plain Node instead of
// tsx's loader: no TypeScript transpiled at every start (≈ 0.5 s of CPU per process), and no `__name(…)` wrapper
// (tsx's keepNames) around every function the graders create per call. Built from the sources at first use, once
// per coordinating process, like the guest (sandbox/bundle.ts). Packages stay imports, resolved as from the sources:
// the file is written into node_modules/.cache next to them (isolated-vm is a native addon and is found at run time).
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let built: string | null | undefined;

/**
 * Path of the bundled worker.ts, or null when it cannot be built or written here (then the pool runs worker.ts
 * under tsx, as before). The file is named by its content hash, so concurrent runs and changed sources never share
 * a stale or half-written file.
 */
export function workerModule(): string | null {
  if (built !== undefined) return built;
  try {
    const r = buildSync({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      packages: 'external',
      logLevel: 'silent',
    });
    const text = r.outputFiles[0].text;
    const dir = fileURLToPath(new URL('../node_modules/.cache/attention-grader/', import.meta.url));
    const file = `${dir}worker-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`;
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, file); // atomic: another process sees the whole file or none
    }
    built = file;
  } catch {
    built = null;
  }
  return built;
}
