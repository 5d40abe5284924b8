// Bundles each FC function (and the CLI) into one self-contained file with esbuild.
// CloudMonitor's SDK is large and slow to load, so each function gets it as a separate
// file next to its bundle, loaded on first use (see shared/adapters/alibaba/cms-client.ts).
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';

export const FUNCTIONS = ['on-event', 'sweep', 'remediate'] as const;
const root = path.resolve(__dirname, '..');
const CMS_SDK = '@alicloud/cms20190101';

const cmsAsSiblingFile: Plugin = {
  name: 'cms-as-sibling-file',
  setup(b) {
    b.onResolve({ filter: /^@alicloud\/cms20190101$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: './cms-sdk.js', external: true },
    );
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
  await build({ ...common, entryPoints: { index: path.join(root, 'functions', name, 'index.ts') }, outdir, plugins: [cmsAsSiblingFile] });
  await build({ ...common, entryPoints: { 'cms-sdk': CMS_SDK }, outdir });
  return outdir;
}

export async function buildCli(): Promise<void> {
  await build({ ...common, minify: false, entryPoints: [path.join(root, 'cli', 'main.ts')], outfile: path.join(root, 'dist', 'cli', 'kro.cjs') });
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
