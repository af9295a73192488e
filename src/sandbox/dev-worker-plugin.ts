// Dev server only: serves the sandbox worker as one self-contained script. The build makes that script itself (the
// worker bundle); the dev server would serve an ES module that imports other files by URL, which the sandbox's
// worker (a data: URL, with a CSP that forbids loading scripts from the site) cannot follow.
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { DEV_WORKER_PATH } from './dev-worker-path';

/** A Vite plugin that bundles `entry` on each request of DEV_WORKER_PATH (so edits show on the next page load). */
export function sandboxWorkerDev(entry: string): Plugin {
  return {
    name: 'amm-sandbox-worker-dev',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use(DEV_WORKER_PATH, (_req, res) => {
        build({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2022', write: false, logLevel: 'silent' })
          .then((out) => {
            res.setHeader('content-type', 'text/javascript; charset=utf-8');
            res.end(out.outputFiles[0].text);
          })
          .catch((e: unknown) => {
            res.statusCode = 500;
            res.end(`could not bundle the sandbox worker: ${e instanceof Error ? e.message : String(e)}`);
          });
      });
    },
  };
}
