#!/usr/bin/env node
'use strict';
// Runs the esbuild bundle of the CLI (`npm run build`, dist/cli/kro.js) in this process when it is
// present and no source file is newer, so a command starts without compiling TypeScript. Otherwise
// (a clone that was never built, or edited since: a stale bundle never runs) it runs the
// TypeScript source through tsx in a child process and stays its parent until it ends: signals
// sent to this process (Ctrl-C, SIGTERM from a supervisor or `npx`) are passed on, so the child
// closes what it holds (the emulator's port) instead of being orphaned, and this process exits
// with the child's status.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { spawn } = require('node:child_process');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli', 'kro.js');
const SOURCE_DIRS = ['cli', 'shared', 'emulator', 'functions'];
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Newest modification time under the source folders (a few hundred files: a few milliseconds). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  let built;
  try {
    built = fs.statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  for (const dir of SOURCE_DIRS) {
    const full = path.join(root, dir);
    if (fs.existsSync(full) && newestSource(full) > built) return false;
  }
  return true;
}

if (bundleIsFresh()) {
  runBundle();
} else {
  runFromSource();
}

/**
 * Loads the bundle as require() would, but with V8's code cache kept beside it
 * (dist/cli/kro.js.cache): compiling the 1.5 MB bundle is the largest part of a start. V8 rejects
 * a cache made from other source, which is then rewritten; a folder that cannot be written only
 * costs the cache. cli/main.ts runs the command because this file is the main module.
 */
function runBundle() {
  const Module = require('node:module');
  const vm = require('node:vm');
  const cacheFile = `${bundle}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // At exit, so the cache also holds the functions this command compiled lazily.
    process.once('exit', () => {
      try {
        fs.writeFileSync(cacheFile, script.createCachedData());
      } catch {
        // Read-only install: run without the cache.
      }
    });
  }
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  script
    .runInThisContext()
    .call(
      bundleModule.exports,
      bundleModule.exports,
      Module.createRequire(bundle),
      bundleModule,
      bundle,
      path.dirname(bundle),
    );
}

function runFromSource() {
  const args = [
    '--import',
    pathToFileURL(require.resolve('tsx')).href,
    path.join(root, 'cli', 'main.ts'),
    ...process.argv.slice(2),
  ];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });

  for (const signal of FORWARDED) {
    process.on(signal, () => {
      // A terminal's Ctrl-C already reached the child (same process group); sending it again is harmless.
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }

  child.on('error', (error) => {
    console.error(`kro: could not start: ${error.message}`);
    process.exit(1);
  });

  child.on('exit', (code, signal) => {
    // A child ended by a signal exits like a shell reports it: 128 + the signal number.
    process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1));
  });
}
