/**
 * One sweep in its own process, against an emulator another process serves (KRO_ENDPOINT), so
 * the peak RSS is the sweep's alone: the sweep function's real handler (the FC bundle given in
 * BENCH_BUNDLE, loaded with require as FC does; else the source), its config from the
 * environment, the real client layer with pacing, over HTTP. The bench compiles this file and
 * runs it with plain node, so no TypeScript loader sits in the measured process.
 */
import { createRequire } from 'node:module';
import type { HandlerFactory } from '../../shared/ports/runtime';
import { printResult } from '../child';

const env = process.env;
const credentials = { accessKeyId: env.BENCH_ACCESS_KEY_ID ?? '', accessKeySecret: env.BENCH_ACCESS_KEY_SECRET ?? '' };

async function sweepFactory(): Promise<HandlerFactory> {
  if (env.BENCH_BUNDLE)
    return (createRequire(__filename)(env.BENCH_BUNDLE) as { createHandler: HandlerFactory }).createHandler;
  // A computed specifier: the compiled child must not carry the sources it does not run.
  const source = ['..', '..', 'functions', 'sweep', 'index'].join('/');
  const { createSweepHandler } = (await import(source)) as typeof import('../../functions/sweep/index');
  return (runtime) => createSweepHandler(runtime);
}

async function product(): Promise<Record<string, unknown>> {
  const factory = await sweepFactory();
  const levels: Record<string, number> = {};
  const problems: string[] = [];
  const handler = factory({
    env,
    writeLine: (line) => {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      const level = entry.level ?? 'info';
      levels[level] = (levels[level] ?? 0) + 1;
      if ((level === 'warn' || level === 'error') && problems.length < 5)
        problems.push(String(entry.msg ?? line).slice(0, 160));
    },
  });
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const startedEpoch = Date.now();
  const started = performance.now();
  const summary = (await handler(Buffer.from('{"mode":"sweep"}'), {
    requestId: 'bench-sweep',
    credentials,
    function: { name: 'kro-sweep', timeout: 600 },
    region: env.KRO_REGION_ID,
    accountId: env.KRO_ACCOUNT_ID,
  })) as Record<string, unknown>;
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    startedEpoch,
    endedEpoch: Date.now(),
    summary,
    logLevels: levels,
    problems,
    rssBeforeMb: rssBefore / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

product().then(printResult, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
