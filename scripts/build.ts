// Bundles each FC function (and the CLI) with esbuild. Packages that most invocations never use
// are separate files next to each bundle, required on first use, so a cold start does not pay for
// them: CloudMonitor's and Function Compute's SDKs (shared/adapters/alibaba/cms-client.ts,
// fc-client.ts) and the probes' database drivers (shared/probes/drivers.ts).
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
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
  await build({
    ...common,
    entryPoints: { index: path.join(root, 'functions', name, 'index.ts') },
    outdir,
    plugins: [siblingFiles],
  });
  const siblings = Object.fromEntries(Object.entries(SIBLING_FILES).map(([specifier, file]) => [file, specifier]));
  await build({ ...common, entryPoints: siblings, outdir });
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
