#!/usr/bin/env node
'use strict';
// The CLI runs from its TypeScript source through tsx (installed with the project), so a clone
// needs no build step and never runs a stale bundle. `npm run build` also bundles it to dist/cli.
const path = require('node:path');
require('tsx/cjs');
require(path.join(__dirname, '..', 'cli', 'main.ts'));
