// Turns the learner's TypeScript file into a module object. Used inside sandboxes (Node worker, browser worker);
// sucrase only strips types and rewrites `export` — it does not check types (the editor does that).
import { transform } from 'sucrase';
import type { LearnerModule } from './host';

/** TypeScript source → CommonJS-style JavaScript with `exports.name = …`; throws with a readable message on syntax errors. */
export function transpileLearner(source: string, fileName = 'answer.ts'): string {
  try {
    return transform(source, { transforms: ['typescript', 'imports'], filePath: fileName, disableESTransforms: true }).code;
  } catch (e) {
    throw new Error(`${fileName} could not be read as TypeScript: ${e instanceof Error ? e.message : String(e)}`);
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
  const run = new Function('exports', 'module', 'require', `"use strict";\n${js}`) as (e: unknown, m: unknown, r: unknown) => void;
  run(exports, module, require);
  return module.exports;
}

/** Transpiles and evaluates a learner's TypeScript file (inside a sandbox). */
export function loadLearner(source: string, fileName?: string): LearnerModule {
  return evaluateLearner(transpileLearner(source, fileName));
}
