#!/usr/bin/env node
'use strict';
// The CLI runs from its TypeScript source through tsx (installed with the project), so a clone
// needs no build step and never runs a stale bundle. tsx is registered with --import so that both
// require() and dynamic import() of .ts files work (the core loads its adapters lazily).
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { spawnSync } = require('node:child_process');

const result = spawnSync(
  process.execPath,
  ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(__dirname, '..', 'cli', 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (result.error) {
  console.error(`kro: could not start: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? (result.signal ? 1 : 0));
