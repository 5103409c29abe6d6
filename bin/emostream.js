#!/usr/bin/env node
// emostream CLI launcher: runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` / `npm install` run).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('emostream: dist/ is missing: run `npm run build` (npm ci / npm install do it) in the package folder\n');
  process.exit(70);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
