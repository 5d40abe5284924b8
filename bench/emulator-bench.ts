/**
 * Emulator benchmarks (issue 3): DescribeSecret throughput over HTTP with quotas off, the emulator
 * alone in a child process and several keep-alive clients here sending requests signed beforehand
 * (RPC v1, as the KMS SDK signs; every signature is verified); and the memory of 100,000 seeded secrets, measured in a fresh process.
 */
import { Agent } from 'node:http';
import { post, signedPaths } from './app-load';
import { runChild, startChild } from './child';
import type { Bench, Report } from './figures';

export interface EmulatorBenchOptions {
  /** DescribeSecret calls timed (after as many warm-up calls, at most 2,000). */
  calls: number;
  clients: number;
  seededSecrets: number;
  /** 0 skips the memory figure. */
  memorySecrets: number;
}

export const DEFAULT_EMULATOR_OPTIONS: EmulatorBenchOptions = {
  calls: 20_000,
  clients: 32,
  seededSecrets: 1000,
  memorySecrets: 100_000,
};

interface ServerInfo {
  port: number;
  accessKeyId: string;
  accessKeySecret: string;
  secretNames: string[];
}

async function fire(
  agent: Agent,
  port: number,
  paths: string[],
  clients: number,
): Promise<{ ok: number; failed: number }> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const client = async () => {
    while (next < paths.length) {
      const status = await post(agent, port, paths[next++] ?? '/');
      if (status === 200) ok += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { ok, failed };
}

async function throughput(options: EmulatorBenchOptions, report: Report): Promise<void> {
  const server = await startChild<ServerInfo>({
    script: 'emulator-server.ts',
    env: { BENCH_SECRETS: String(options.seededSecrets) },
  });
  const { port } = server.result;
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  try {
    await fire(
      agent,
      port,
      signedPaths(Math.min(2000, options.calls), 'DescribeSecret', server.result, server.result.secretNames),
      options.clients,
    ); // warm-up: JIT, sockets
    const paths = signedPaths(options.calls, 'DescribeSecret', server.result, server.result.secretNames);
    const started = performance.now();
    const { ok, failed } = await fire(agent, port, paths, options.clients);
    const elapsedMs = performance.now() - started;
    const perSecond = (ok * 1000) / elapsedMs;
    report({
      name: 'emulator.describeSecret.perSecond',
      value: Math.round(perSecond),
      unit: 'calls/s',
      target: '>= 3000',
      ok: perSecond >= 3000 && failed === 0,
      clients: options.clients,
      calls: ok,
      failed,
      seededSecrets: options.seededSecrets,
      signature: 'RPC v1 HMAC-SHA1, verified',
      note: 'requests signed before timing; the emulator in its own process',
    });
  } finally {
    agent.destroy();
    await server.stop();
  }
}

interface MemoryResult {
  secrets: number;
  heapMb: number;
  rssMb: number;
  seedMs: number;
}

export function emulatorBench(options: EmulatorBenchOptions = DEFAULT_EMULATOR_OPTIONS): Bench {
  return {
    name: 'emulator',
    async run(report) {
      await throughput(options, report);
      if (options.memorySecrets <= 0) return;
      const memory = await runChild<MemoryResult>({
        script: 'seed-memory.ts',
        nodeFlags: ['--expose-gc'],
        env: { BENCH_SECRETS: String(options.memorySecrets) },
      });
      const label = options.memorySecrets === 100_000 ? 'seed100k' : `seed${options.memorySecrets}`;
      report({
        name: `emulator.${label}.heapMb`,
        value: Math.round(memory.heapMb),
        unit: 'MB',
        target: '< 1024',
        ok: memory.heapMb < 1024,
        secrets: memory.secrets,
        seedMs: Math.round(memory.seedMs),
        note: 'heap used after a full GC',
      });
      report({
        name: `emulator.${label}.rssMb`,
        value: Math.round(memory.rssMb),
        unit: 'MB',
        target: '< 1024',
        ok: memory.rssMb < 1024,
        secrets: memory.secrets,
      });
    },
  };
}
