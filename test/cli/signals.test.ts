import { spawn } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../emulator/runtime';
import { buildCli } from '../../scripts/build';

const BIN = path.join(PROJECT_ROOT, 'bin', 'kro.cjs');

/** Whether something still listens: a fresh server can bind the port only once it is free. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const BUNDLE = path.join(PROJECT_ROOT, 'dist', 'cli', 'kro.js');

/** bin/kro.cjs runs the bundle in-process when it is fresh, else the source in a child: test both. */
async function useMode(mode: 'source' | 'built'): Promise<void> {
  if (mode === 'built') await buildCli();
  else if (existsSync(BUNDLE)) utimesSync(BUNDLE, new Date(0), new Date(0));
}

describe.each(['source', 'built'] as const)('bin/kro.cjs running from the %s, and signals', (mode) => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to bin/kro.cjs running the emulator stops it and frees its port',
    { timeout: 90_000 },
    async (signal) => {
      await useMode(mode);
      const kro = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      kro.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => kro.once('exit', (code) => resolve(code)));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (match) {
            clearInterval(timer);
            resolve(Number(match[1]));
          }
        }, 50);
        void exited.then(() => reject(new Error(`kro exited before listening: ${out}`)));
      });
      expect(await portIsFree(port)).toBe(false);

      // Only the wrapper gets the signal, as when a supervisor stops `npx kro`.
      kro.kill(signal);
      expect(await exited).toBe(0);
      expect(await portIsFree(port)).toBe(true);
    },
  );
});
