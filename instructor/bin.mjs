#!/usr/bin/env node
// Package bin (`attention-grade …`): the same command as `npm run grade -- …` — one file with --exercise,
// batch mode otherwise. Re-runs this Node with tsx's loader, because the graders are TypeScript.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
const script = fileURLToPath(new URL('../scripts/grade.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--import', tsx, script, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
