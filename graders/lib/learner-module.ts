// Turns the learner's TypeScript file into a module object. Used inside sandboxes (Node worker, browser worker);
// sucrase only strips types and rewrites `export` — it does not check types (the editor does that).
import { transform } from 'sucrase';
import type { LearnerModule } from './host';
import { LEARNER_SOURCE_URL } from './learner-source';

/** A syntax error in the learner's file, with its position: the message reads "answer.ts:3:12: Unexpected token". */
export class LearnerSyntaxError extends Error {
  override name = 'SyntaxError';
  constructor(readonly fileName: string, readonly line: number | null, readonly column: number | null, readonly reason: string) {
    super(line === null ? `${fileName}: ${reason}` : `${fileName}:${line}:${column}: ${reason}`);
  }
}

/** TypeScript source → CommonJS-style JavaScript with `exports.name = …` on the same lines; throws LearnerSyntaxError. */
export function transpileLearner(source: string, fileName = 'answer.ts'): string {
  try {
    return transform(source, { transforms: ['typescript', 'imports'], filePath: fileName, disableESTransforms: true }).code;
  } catch (e) {
    // sucrase: "Error transforming answer.ts: Unexpected token (3:12)", line and column from 1 — keep those and the reason.
    const raw = e instanceof Error ? e.message : String(e);
    const at = /\((\d+):(\d+)\)\s*$/.exec(raw);
    const reason = raw.replace(/^Error transforming [^:]*:\s*/, '').replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new LearnerSyntaxError(fileName, at ? Number(at[1]) : null, at ? Number(at[2]) : null, reason);
  }
}

/**
 * Evaluates transpiled learner code and returns its exports. The file must be self-contained: `require` throws a
 * message saying imports are not allowed. Only call this inside a sandbox — it runs untrusted code.
 */
export function evaluateLearner(js: string): LearnerModule {
  const exports: LearnerModule = {};
  const module = { exports };
  const require = (name: string) => {
    throw new Error(`imports are not available in exercises (tried to import "${name}"); keep everything in one file`);
  };
  // The Function constructor gives the code its own scope with only these three names plus the realm's globals.
  // sucrase keeps line numbers, so a stack frame "learner-code:L:C" is line L − LEARNER_LINE_OFFSET of the learner's file.
  const run = new Function('exports', 'module', 'require', `"use strict";\n${js}\n//# sourceURL=${LEARNER_SOURCE_URL}`) as (e: unknown, m: unknown, r: unknown) => void;
  run(exports, module, require);
  return module.exports;
}

/** Transpiles and evaluates a learner's TypeScript file (inside a sandbox). */
export function loadLearner(source: string, fileName?: string): LearnerModule {
  return evaluateLearner(transpileLearner(source, fileName));
}
