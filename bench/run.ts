/**
 * `npm run bench [-- --only <prefix>]`: runs every benchmark module (or those whose figures start
 * with the prefix), prints one JSON object per figure on its own line as it is measured, then a
 * short table. Targets missed are marked MISSED; a bench that crashes is reported and the others
 * still run (exit code 1). Timings depend on the machine: the load average is printed first.
 */
import { loadavg, cpus } from 'node:os';
import { removeBundles } from './bundles';
import { coldStartBench } from './cold-start-bench';
import { detectionBench } from './detection-bench';
import { emulatorBench } from './emulator-bench';
import { eventsBench } from './events-bench';
import { formatTable, selects, type Bench, type Figure } from './figures';
import { quotaBench } from './quota-bench';
import { readinessBench } from './readiness-bench';
import { sweepBench } from './sweep-bench';

export const BENCHES: ReadonlyArray<() => Bench> = [
  emulatorBench,
  sweepBench,
  quotaBench,
  eventsBench,
  coldStartBench,
  detectionBench,
  readinessBench,
].map((make) => () => make());

function parseOnly(argv: readonly string[]): string[] {
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--only') only.push(argv[++i] ?? '');
    else if (arg.startsWith('--only=')) only.push(arg.slice('--only='.length));
    else throw new Error(`unknown argument ${arg} (usage: npm run bench [-- --only <prefix>])`);
  }
  if (only.some((o) => !o)) throw new Error('--only needs a prefix, e.g. --only sweep or --only coldStart.on-event');
  return only;
}

export async function runBenches(
  benches: Bench[],
  only: string[],
  print: (line: string) => void,
  warn: (text: string) => void = (text) => void process.stderr.write(text),
): Promise<{ figures: Figure[]; crashed: string[] }> {
  const figures: Figure[] = [];
  const crashed: string[] = [];
  const wanted = (bench: Bench, figure: Figure) =>
    only.length === 0 || only.some((o) => bench.name === o || figure.name.startsWith(o));
  for (const bench of benches) {
    if (only.length > 0 && !only.some((o) => selects(bench, o))) continue;
    try {
      await bench.run((figure) => {
        if (!wanted(bench, figure)) return;
        figures.push(figure);
        print(JSON.stringify(figure));
      });
    } catch (error) {
      crashed.push(bench.name);
      warn(`bench ${bench.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  return { figures, crashed };
}

async function main(): Promise<void> {
  const only = parseOnly(process.argv.slice(2));
  const print = (line: string) => void process.stdout.write(`${line}\n`);
  const [load1] = loadavg();
  const context: Figure = {
    name: 'machine.loadAverage1m',
    value: Math.round((load1 ?? 0) * 100) / 100,
    unit: 'load',
    cpus: cpus().length,
    node: process.version,
    note: 'timings are only comparable on an otherwise idle machine',
  };
  print(JSON.stringify(context));
  const started = performance.now();
  const { figures, crashed } = await runBenches(
    BENCHES.map((make) => make()),
    only,
    print,
  ).finally(removeBundles);
  const missed = figures.filter((f) => f.ok === false).length;
  print('');
  print(formatTable([context, ...figures]));
  print(
    `\n${figures.length} figures in ${Math.round((performance.now() - started) / 1000)} s; ${missed} target${missed === 1 ? '' : 's'} missed${crashed.length ? `; crashed: ${crashed.join(', ')}` : ''}`,
  );
  if (crashed.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
