/**
 * The FC bundles of an earlier commit, built from `git archive` of that commit with its own
 * scripts/build.ts (this checkout's node_modules linked in), so a figure can be measured side by
 * side against the release it claims to improve on, in the same run on the same machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './child';

/**
 * The release the cold start is compared with: 044cf7a, the last landed release, whose bundles
 * are what a deployment runs today (c5aff2f, where issue 15 was filed, loads its on-event and sweep
 * bundles faster than 044cf7a: comparing with the newer one measures what this version changes).
 */
export const PREVIOUS_RELEASE = '044cf7a02bc516531dd5e3f943fb8c7fbc125fe7';

/** Directory of each function's bundle at `ref`, or undefined when the commit is not in this clone. */
export function previousBundles(
  functions: readonly string[],
  ref = PREVIOUS_RELEASE,
): Record<string, string> | undefined {
  const probe = spawnSync('git', ['cat-file', '-e', `${ref}^{commit}`], { cwd: PROJECT_ROOT });
  if (probe.status !== 0) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'kro-previous-'));
  const archive = execFileSync('git', ['archive', '--format=tar', ref], {
    cwd: PROJECT_ROOT,
    maxBuffer: 256 * 2 ** 20,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, 'scripts', 'build.ts')], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (built.status !== 0)
    throw new Error(
      `building ${ref.slice(0, 7)} failed: ${built.stderr.toString('utf8').trim().split('\n').slice(-3).join(' | ')}`,
    );
  const out: Record<string, string> = {};
  for (const name of functions) {
    const bundle = path.join(dir, 'dist', 'functions', name, 'index.js');
    if (!existsSync(bundle)) throw new Error(`${ref.slice(0, 7)} has no bundle for ${name}`);
    out[name] = bundle;
  }
  return out;
}
