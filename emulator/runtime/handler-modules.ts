/**
 * Loads a function's `createHandler` from its TypeScript source, the same module esbuild bundles
 * for FC (scripts/build.ts). The directory comes from the s.yaml code path
 * (./dist/functions/<dir>), so s.yaml stays the one place that says which code a function runs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HandlerFactory } from '../../shared/ports/runtime';

/** The repository root (also right from the esbuild bundle in dist/cli). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

const SOURCE_DIR = /^[a-z0-9][a-z0-9-]*$/;

export async function loadHandlerFactory(sourceDir: string, sourceRoot?: string): Promise<HandlerFactory> {
  if (!SOURCE_DIR.test(sourceDir))
    throw new Error(`function source directory "${sourceDir}" is not a plain directory name`);
  const file = path.join(sourceRoot ?? PROJECT_ROOT, 'functions', sourceDir, 'index.ts');
  let module: unknown;
  try {
    // A literal template, so esbuild bundles every functions/*/index.ts into the CLI bundle.
    module = sourceRoot ? await import(file) : await import(`../../functions/${sourceDir}/index.ts`);
  } catch (error) {
    // Under bin/kro.cjs, tsx compiles TypeScript for require() only; Node's import() refuses .ts.
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    module = createRequire(__filename)(file) as unknown;
  }
  const factory = findFactory(module);
  if (!factory) throw new Error(`functions/${sourceDir}/index.ts does not export createHandler`);
  return factory;
}

// Node's ESM loader, tsx and vitest wrap CommonJS exports differently; look through the layers.
function findFactory(module: unknown): HandlerFactory | undefined {
  let current: unknown = module;
  for (let depth = 0; depth < 3 && current && typeof current === 'object'; depth++) {
    const candidate = (current as { createHandler?: unknown }).createHandler;
    if (typeof candidate === 'function') return candidate as HandlerFactory;
    current = (current as { default?: unknown }).default;
  }
  return undefined;
}
