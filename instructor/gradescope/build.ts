// `npm run gradescope -- --out autograder.zip [--secret-seed S] [--exercises 01,02,…] [--timeout ms]`: builds the
// Gradescope autograder zip (https://gradescope-autograders.readthedocs.io/en/latest/specs/): setup.sh and
// run_autograder at the root, and the grader as ONE bundled file (grader.mjs: graders, engine, sandbox and the
// QuickJS WebAssembly embedded) that runs on any Node ≥ 20 without npm install.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { zipSync, strToU8 } from 'fflate';
import { graders } from '../../graders/index';
import { courseInfo } from '../batch';
import { DEFAULT_CALL_TIMEOUT_MS, PUBLIC_SEED, seedFromSecret } from '../cli';
import { guestScript } from '../sandbox/bundle';
import type { AutograderConfig } from './autograder';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const USAGE = 'usage: npm run gradescope -- --out autograder.zip [--secret-seed S] [--exercises 01,02,…] [--timeout ms]';

/** Options of one build. */
export interface BuildOptions {
  out: string;
  secretSeed?: string;
  exercises: string[] | null;
  callTimeoutMs: number;
}

/** Parses argv; throws an Error with a readable message. */
export function parseBuildArgs(argv: string[]): BuildOptions {
  const o: BuildOptions = { out: '', exercises: null, callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[i + 1];
    const need = () => {
      if (v === undefined || v.startsWith('--')) throw new Error(`${f} needs a value\n${USAGE}`);
      i++;
      return v;
    };
    if (f === '--out') o.out = need();
    else if (f === '--secret-seed') o.secretSeed = need();
    else if (f === '--timeout') {
      const t = need();
      if (!/^\d+$/.test(t) || Number(t) < 10) throw new Error(`--timeout must be an integer ≥ 10 (ms), got "${t}"`);
      o.callTimeoutMs = Number(t);
    } else if (f === '--exercises') {
      const ids = need().split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.padStart(2, '0'));
      const unknown = ids.filter((id) => !graders[id]);
      if (!ids.length || unknown.length) throw new Error(`--exercises: unknown exercise ${unknown.join(', ') || '(none given)'}; known: ${Object.keys(graders).sort().join(', ')}`);
      o.exercises = [...new Set(ids)].sort();
    } else throw new Error(`unknown option ${f}\n${USAGE}`);
  }
  if (!o.out) throw new Error(`--out <file.zip> is required\n${USAGE}`);
  return o;
}

/** The guest script, built now, replaces instructor/sandbox/bundle.ts (which would need esbuild at run time). */
function prebuiltGuest(guest: string): Plugin {
  return {
    name: 'prebuilt-guest',
    setup(b) {
      b.onResolve({ filter: /\/sandbox\/bundle$/ }, () => ({ path: 'guest', namespace: 'prebuilt-guest' }));
      b.onLoad({ filter: /.*/, namespace: 'prebuilt-guest' }, () => ({ contents: `export const guestScript = () => Promise.resolve(${JSON.stringify(guest)});`, loader: 'js' }));
    },
  };
}

/** QuickJS with its WebAssembly embedded (quickjs-emscripten's newVariant with wasmBinary), so no .wasm file is looked up. */
function embeddedQuickjs(): Plugin {
  const pkg = '@jitl/quickjs-wasmfile-release-sync';
  const index = require.resolve(pkg).replace(/index\.js$/, 'index.mjs');
  const wasm = join(dirname(index), 'emscripten-module.wasm');
  return {
    name: 'embedded-quickjs',
    setup(b) {
      b.onResolve({ filter: /^@jitl\/quickjs-wasmfile-release-sync$/ }, () => ({ path: 'variant', namespace: 'embedded-quickjs' }));
      b.onLoad({ filter: /.*/, namespace: 'embedded-quickjs' }, () => ({
        contents: `import base from ${JSON.stringify(index)};
import { newVariant } from 'quickjs-emscripten-core';
import wasm from ${JSON.stringify(wasm)};
export default newVariant(base, { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });`,
        loader: 'js',
        resolveDir: here,
      }));
    },
  };
}

/** Bundles the autograder into one ES module text. */
export async function bundleAutograder(config: AutograderConfig): Promise<string> {
  const r = await build({
    entryPoints: [join(here, 'autograder.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Loaded from /autograder/source/node_modules when setup.sh could install it; never bundled (a native addon).
    external: ['isolated-vm'],
    loader: { '.wasm': 'binary' },
    define: { __AUTOGRADER_CONFIG__: JSON.stringify(config) },
    // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [prebuiltGuest(await guestScript()), embeddedQuickjs()],
    legalComments: 'eof',
    logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

/** The zip's files: name → [content, executable]. */
export function autograderFiles(grader: string): Record<string, [string, boolean]> {
  const ivmVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies['isolated-vm'];
  return {
    'setup.sh': [readFileSync(join(here, 'setup.sh'), 'utf8').replace('@IVM_VERSION@', ivmVersion), true],
    run_autograder: [readFileSync(join(here, 'run_autograder'), 'utf8'), true],
    'grader.mjs': [grader, false],
  };
}

/** Builds the zip; returns its size and the bundle's. */
export async function buildAutograderZip(o: BuildOptions): Promise<{ zipBytes: number; graderBytes: number; config: AutograderConfig }> {
  const config: AutograderConfig = {
    seed: o.secretSeed === undefined ? PUBLIC_SEED : seedFromSecret(o.secretSeed),
    secret: o.secretSeed !== undefined,
    exercises: o.exercises,
    course: courseInfo(),
    callTimeoutMs: o.callTimeoutMs,
  };
  const grader = await bundleAutograder(config);
  const files = autograderFiles(grader);
  // Unix permissions in the external attributes (made on "Unix", os 3), so run_autograder stays executable.
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, [text, exec]]) => [name, [strToU8(text), { os: 3, attrs: ((exec ? 0o100755 : 0o100644) << 16) >>> 0, level: 9 }]])));
  writeFileSync(o.out, zip);
  return { zipBytes: zip.length, graderBytes: Buffer.byteLength(grader), config };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let opts: BuildOptions;
  try {
    opts = parseBuildArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gradescope: ${(e as Error).message}\n`);
    process.exit(2);
  }
  buildAutograderZip(opts).then(({ zipBytes, graderBytes, config }) => {
    process.stdout.write(`wrote ${opts.out} (${(zipBytes / 1024).toFixed(0)} KB; grader.mjs ${(graderBytes / 1024).toFixed(0)} KB) — exercises ${config.exercises?.join(', ') ?? 'all'}, ${config.secret ? 'secret seed' : `public seed ${config.seed}`}\n`);
    process.stdout.write('Upload it in Gradescope: assignment → Configure Autograder → Zip file upload, Ubuntu 22.04 base image (instructor/README.md).\n');
  }, (e) => {
    process.stderr.write(`gradescope: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
