// Builds the guest script (guest.ts + the grading library's call code) into one self-contained script for QuickJS.
// Built from source on first use, so the sandbox always runs the same `executeCall` as the CLI and the browser.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

/** The guest script as text (ES2020, no imports), built once per process. */
export function guestScript(): Promise<string> {
  cached ??= build({
    entryPoints: [fileURLToPath(new URL('./guest.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2020',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return cached;
}
