// Runs the real Serverless Devs CLI offline: a throwaway HOME, credentials from the environment
// variables s reads (serverless-devs.md §1.5), so ${config('AccountID')} resolves with no network.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ACCOUNT_ID = '1234567890123456';

export async function sPreview(
  env: Record<string, string> = {},
  file = path.join(ROOT, 's.yaml'),
): Promise<Record<string, unknown>> {
  const home = mkdtempSync(path.join(tmpdir(), 'kro-s-home-'));
  try {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('KRO_') && !k.startsWith('ALIBABA_CLOUD_')),
    );
    const { stdout } = await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 's'),
      ['preview', '-t', file, '-o', 'json'],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: {
          ...clean,
          HOME: home,
          AccessKeyID: 'AKIDPREVIEW',
          AccessKeySecret: 'preview-only',
          AccountID: ACCOUNT_ID,
          ...env,
        },
      },
    );
    // s prints log lines (e.g. a warning about running as root) before the document.
    return JSON.parse(stdout.slice(stdout.indexOf('{'))) as Record<string, unknown>;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
