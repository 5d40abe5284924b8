import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../emulator/runtime';
import { buildCli } from '../../scripts/build';
import packageJson from '../../package.json';

const run = promisify(execFile);

describe('the built CLI (scripts/build.ts)', () => {
  it(
    'is one bundle that answers --version and --help without the cloud SDKs loaded',
    { timeout: 120_000 },
    async () => {
      // Inside the project, so the packages left external (database drivers) resolve from node_modules.
      mkdirSync(path.join(PROJECT_ROOT, 'dist'), { recursive: true });
      const dir = mkdtempSync(path.join(PROJECT_ROOT, 'dist', 'test-cli-'));
      try {
        const bundle = await buildCli(dir);
        expect((await run(process.execPath, [bundle, '--version'])).stdout).toBe(`kro ${packageJson.version}\n`);
        const preload = path.join(dir, 'count-sdks.cjs');
        writeFileSync(
          preload,
          "process.on('exit', () => console.error(Object.keys(require.cache).filter((f) => /-sdk\\.js$/.test(f)).length));\n",
        );
        const help = await run(process.execPath, ['--require', preload, bundle, '--help']);
        expect(help.stdout).toContain('kro setup');
        // The 12 MB CloudMonitor SDK and the FC SDK are sibling files, required on first use only.
        expect(help.stderr.trim()).toBe('0');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
