/** Where the dev server serves the sandbox worker as one script (see dev-worker-plugin.ts); unused in the build. */
export const DEV_WORKER_PATH = '/__amm/sandbox-worker.js';
