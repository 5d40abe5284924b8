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
  // cli/main.ts runs the command when this file is the main module; no child, nothing to forward.
  require(bundle);
} else {
  runFromSource();
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
