/** The FC bundles (scripts/build.ts), built once per bench run into a temporary directory. */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFunction, FUNCTIONS } from '../scripts/build';
import type { HandlerFactory } from '../shared/ports/runtime';

export type FunctionName = (typeof FUNCTIONS)[number];

let built: Promise<Record<FunctionName, string>> | undefined;
let root: string | undefined;

/** Directory of each function's bundle (index.js and its sibling cms-sdk.js). */
export function functionBundles(): Promise<Record<FunctionName, string>> {
  built ??= (async () => {
    root = mkdtempSync(path.join(tmpdir(), 'kro-bench-'));
    const out = {} as Record<FunctionName, string>;
    for (const name of FUNCTIONS) out[name] = await buildFunction(name, root);
    return out;
  })();
  return built;
}

export { FUNCTIONS };

/** Removes the temporary bundles (the end of a bench run). */
export function removeBundles(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
  built = undefined;
}

/** createHandler of a built bundle, loaded with require as FC loads it (no TypeScript loader involved). */
export async function bundleFactory(name: string): Promise<HandlerFactory> {
  const bundles = await functionBundles();
  const dir = bundles[name as FunctionName];
  if (!dir) throw new Error(`no bundle for function directory "${name}"`);
  const mod = createRequire(__filename)(path.join(dir, 'index.js')) as { createHandler?: HandlerFactory };
  if (typeof mod.createHandler !== 'function') throw new Error(`${name} bundle does not export createHandler`);
  return mod.createHandler;
}

/** A bench child script (bench/children/<script>) compiled to one CommonJS file, to run with plain node. */
export async function compiledChild(script: string): Promise<string> {
  await functionBundles();
  if (!root) throw new Error('bundle directory missing');
  const outfile = path.join(root, 'children', script.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [path.join(__dirname, 'children', script)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}
