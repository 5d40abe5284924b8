// Bundles each FC function (and the CLI) with esbuild. Packages that most invocations never use
// are separate files next to each bundle, required on first use, so a cold start does not pay for
// them: CloudMonitor's and Function Compute's SDKs (shared/adapters/alibaba/cms-client.ts,
// fc-client.ts) and the probes' database drivers (shared/probes/drivers.ts). The SDK engine that
// both the bundle and those SDKs use is one more sibling, sdk-core.js, loaded once (issue 15).
import { build, type Plugin } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export const FUNCTIONS = ['on-event', 'sweep', 'remediate'] as const;
const root = path.resolve(__dirname, '..');

/** Import specifier -> the sibling file (without .js) that holds it. */
export const SIBLING_FILES: Readonly<Record<string, string>> = {
  '@alicloud/cms20190101': 'cms-sdk',
  '@alicloud/fc20230330': 'fc-sdk',
  pg: 'pg',
  'mysql2/promise': 'mysql2',
  ioredis: 'ioredis',
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// `await import(x)` becomes a lazily evaluated wrapper module holding `require('./<file>.js')`:
// left as a real import(), Node would hand the 1-2 MB CommonJS file to its ESM loader, which
// lexes the whole file for export names before running it (a tenth of a short sweep's CPU).
export const siblingFiles: Plugin = siblingFilesOf(SIBLING_FILES);

export function siblingFilesOf(files: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'sibling-files',
    setup(b) {
      const filter = new RegExp(`^(${Object.keys(files).map(escapeRegExp).join('|')})$`);
      b.onResolve({ filter }, (args) => {
        const file = files[args.path];
        // Only a dynamic import may become a sibling: a static one would load it with the bundle anyway.
        if (args.kind === 'entry-point' || !file) return undefined;
        if (args.kind !== 'dynamic-import')
          throw new Error(
            `${args.path} is imported statically from ${args.importer}: use await import() so it stays a lazy sibling file`,
          );
        return { path: `./${file}.js`, namespace: 'sibling' };
      });
      b.onLoad({ filter: /.*/, namespace: 'sibling' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
      b.onResolve({ filter: /^\.\/[\w-]+\.js$/, namespace: 'sibling' }, (args) => ({
        path: args.path,
        external: true,
      }));
    },
  };
}

/**
 * The SDK engine (openapi-core, its credentials and the Darabonba runtime, about 550 KB bundled)
 * that the function code and both cloud SDK siblings import: bundled into each of them, a cold
 * start that sends an alert compiled it twice. It lives in sdk-core.js instead, required by all.
 */
export const SHARED_PACKAGES = ['@alicloud/openapi-core', '@alicloud/credentials', '@darabonba/typescript'] as const;
export const SHARED_FILE = 'sdk-core';
const sharedSpecifier = new RegExp(`^(${SHARED_PACKAGES.map(escapeRegExp).join('|')})(/.*)?$`);

/**
 * Routes every import of a shared package to sdk-core.js, keyed by the file it resolves to (so two
 * versions of a package would stay two modules); `used` collects the keys sdk-core.js must export.
 */
function sharedCore(used: Map<string, string>): Plugin {
  return {
    name: 'shared-sdk-core',
    setup(b) {
      b.onResolve({ filter: sharedSpecifier }, async (args) => {
        if (args.pluginData === SHARED_FILE) return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: SHARED_FILE,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        // Named from its package on (the install's location is no part of it).
        const file = resolved.path.split(path.sep).join('/');
        const key = file.slice(file.indexOf('/node_modules/') + '/node_modules/'.length);
        used.set(key, resolved.path);
        return { path: key, namespace: SHARED_FILE };
      });
      b.onLoad({ filter: /.*/, namespace: SHARED_FILE }, (args) => ({
        contents: `module.exports = require('./${SHARED_FILE}.js')[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
      b.onResolve({ filter: new RegExp(`^\\./${SHARED_FILE}\\.js$`), namespace: SHARED_FILE }, (args) => ({
        path: args.path,
        external: true,
      }));
    },
  };
}

/** sdk-core.js: each shared module behind a getter, evaluated on first use as if required directly. */
function sharedCoreSource(used: ReadonlyMap<string, string>): string {
  const getters = [...used]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([key, file]) => `  ${JSON.stringify(key)}: { enumerable: true, get: () => require(${JSON.stringify(file)}) },`,
    );
  return `Object.defineProperties(module.exports, {\n${getters.join('\n')}\n});\n`;
}

/**
 * The cloud SDKs' models index (dist/models/model.js of cms20190101 and fc20230330) requires all
 * of their ~1,000 model files up front, each re-wrapping the Darabonba runtime: most of the second
 * a cold start spends loading cms-sdk.js. Rewritten so that each model is required on first use.
 * The rewrite expects tsc's CommonJS re-export form; anything else fails the build, not the call.
 */
export const lazyModels: Plugin = {
  name: 'lazy-sdk-models',
  setup(b) {
    b.onLoad({ filter: /[\\/]@alicloud[\\/](cms20190101|fc20230330)[\\/]dist[\\/]models[\\/]model\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const files = new Map<string, string>();
      const withoutRequires = source.replace(
        /^var (\w+) = require\(("\.\/[\w-]+")\);\n/gm,
        (_, local: string, file: string) => {
          files.set(local, file);
          return '';
        },
      );
      let rewritten = 0;
      const contents = withoutRequires.replace(
        /get: function \(\) \{ return (\w+)\.(\w+); \}/g,
        (whole, local: string, name: string) => {
          const file = files.get(local);
          if (!file) return whole;
          rewritten++;
          return `get: function () { return require(${file}).${name}; }`;
        },
      );
      if (files.size === 0 || rewritten === 0 || /\brequire\(/.test(withoutRequires.replace(/return require\(/g, '')))
        throw new Error(`${args.path}: unexpected models index form; update lazyModels in scripts/build.ts`);
      return { contents, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node' as const,
  target: 'node20',
  format: 'cjs' as const,
  sourcemap: false,
  minify: true,
  legalComments: 'none' as const,
  logLevel: 'warning' as const,
  // Optional native/peer modules of the database drivers that are never used here.
  external: ['pg-native', 'cloudflare:sockets'],
};

export async function buildFunction(name: string, outRoot = path.join(root, 'dist', 'functions')): Promise<string> {
  const outdir = path.join(outRoot, name);
  rmSync(outdir, { recursive: true, force: true });
  const used = new Map<string, string>();
  await build({
    ...common,
    entryPoints: { index: path.join(root, 'functions', name, 'index.ts') },
    outdir,
    plugins: [siblingFiles, sharedCore(used)],
  });
  const siblings = Object.fromEntries(Object.entries(SIBLING_FILES).map(([specifier, file]) => [file, specifier]));
  await build({ ...common, entryPoints: siblings, outdir, plugins: [sharedCore(used), lazyModels] });
  await build({
    ...common,
    stdin: { contents: sharedCoreSource(used), resolveDir: root, sourcefile: `${SHARED_FILE}.js`, loader: 'js' },
    outfile: path.join(outdir, `${SHARED_FILE}.js`),
  });
  return outdir;
}

/** The CLI bundle bin/kro.cjs prefers (a command starts without compiling TypeScript), with the
 * same lazy sibling files as the functions so `kro --help` does not load the cloud SDKs. */
/** The cloud SDKs the CLI loads lazily; the database drivers (used only by the emulator's
 * backends and probes) stay in node_modules, which a clone or an install always has. */
const CLI_SIBLING_FILES: Readonly<Record<string, string>> = {
  '@alicloud/cms20190101': 'cms-sdk',
  '@alicloud/fc20230330': 'fc-sdk',
};
const CLI_EXTERNAL = ['pg', 'mysql2', 'mysql2/promise', 'ioredis'];

export async function buildCli(outdir = path.join(root, 'dist', 'cli')): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { kro: path.join(root, 'cli', 'main.ts') },
    outdir,
    external: [...common.external, ...CLI_EXTERNAL],
    plugins: [siblingFilesOf(CLI_SIBLING_FILES)],
  });
  const siblings = Object.fromEntries(Object.entries(CLI_SIBLING_FILES).map(([specifier, file]) => [file, specifier]));
  await build({ ...common, entryPoints: siblings, outdir });
  return path.join(outdir, 'kro.js');
}

async function main(): Promise<void> {
  const cliOnly = process.argv.includes('--cli-only');
  await buildCli();
  if (!cliOnly) for (const fn of FUNCTIONS) await buildFunction(fn);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
