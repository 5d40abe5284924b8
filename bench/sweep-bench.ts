/**
 * Sweep benchmark (issues 8, 15): the product's sweep (the sweep function's FC bundle, pacing on
 * at its quota share, the real client layer over HTTP) against an emulator with the documented
 * quotas ON and 20 ms of latency on every call, in real time. The emulator runs in this process
 * with its clock following the wall clock (the quota buckets refill on it); the sweep runs in a
 * child process, so the peak RSS measured is the sweep's alone.
 *
 * Two kinds of run: `first` (a fleet the product has never seen: every secret is described and
 * gets its schedule) and `steady` (the fleet as adopted, bench/adopted-fleet.ts, seeded a day
 * before the sweep so KMS's own rotations of that day have happened unseen). The naive baseline
 * (describe everything, one at a time) runs on the largest fleet after it.
 */
import path from 'node:path';
import { createEmulator } from '../emulator/emulator';
import type { CallLogEntry } from '../emulator/protocol/call-log';
import { compiledChild, functionBundles } from './bundles';
import { runChild } from './child';
import type { Bench, Report } from './figures';
import { adoptedFleetSeed } from './adopted-fleet';
import { fleetSeed } from './fleet';
import { countCalls, quotaBoundMs, sweepQuotas, type CallCounts } from './quota-bound';
import { loadConfig } from '../shared/config';

export interface SweepBenchOptions {
  /** Fleets swept in steady state (adopted: second and later sweeps). */
  sizes: number[];
  /** Fleets swept for the first time after deployment. */
  firstSizes: number[];
  /** Secrets the naive loop reads before its time is extrapolated to the largest size (0 = skip). */
  naiveSample: number;
  latencyMs: number;
  /** Run the source instead of the FC bundle (tests: no build). */
  fromSource?: boolean;
}

export const DEFAULT_SWEEP_OPTIONS: SweepBenchOptions = {
  sizes: [1000, 10_000],
  firstSizes: [1000],
  naiveSample: 500,
  latencyMs: 20,
};

/** Issue 15's steady-state targets, against the full-describe sweep of the previous release (22.7 s at 10,000). */
const STEADY_CALLS_PER_SECRET = 0.05;
const STEADY_WALL_MS_10000 = 22_700;
const DAY_MS = 86_400_000;

interface ProductResult {
  wallMs: number;
  startedEpoch: number;
  endedEpoch: number;
  cpuMs: number;
  summary: {
    secrets: number;
    complete: boolean;
    throttled: number;
    states: Record<string, number>;
    pages: number;
    described?: number;
    describedFor?: Record<string, number>;
    tagWrites?: number;
  };
  logLevels: Record<string, number>;
  problems: string[];
  rssBeforeMb: number;
  peakRssMb: number;
}

interface NaiveResult {
  wallMs: number;
  secrets: number;
  pages: number;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Where the wall time went, from the emulator's call log (its clock follows the wall clock). */
function phases(entries: readonly CallLogEntry[], product: ProductResult): Record<string, number> {
  const describes = entries.filter((e) => e.action === 'DescribeSecret');
  const first = describes[0]?.at;
  const last = describes[describes.length - 1]?.at;
  if (first === undefined || last === undefined) return {};
  const span = Math.max(1, last - first);
  return {
    beforeFirstDescribeMs: Math.max(0, first - product.startedEpoch),
    describePhaseMs: span,
    describesPerSecond: Math.round((describes.length * 1000) / span),
    afterLastDescribeMs: Math.max(0, product.endedEpoch - last),
  };
}

type Slice = { counts: CallCounts; entries: CallLogEntry[] };

export type BenchEmulator = ReturnType<typeof createEmulator>;

/** A seeded emulator with the documented quotas on, its clock following the wall clock, served on loopback. */
export async function withEmulator<T>(
  size: number,
  latencyMs: number,
  fn: (env: Record<string, string>, calls: () => Slice, emulator: BenchEmulator) => Promise<T>,
  options: { adopted?: boolean } = {},
): Promise<T> {
  // An adopted fleet was tagged a day ago: the day's rotations by KMS happen as the clock catches up.
  const now = options.adopted ? Date.now() - DAY_MS : Date.now();
  const seed = options.adopted ? await adoptedFleetSeed(size, now) : fleetSeed(size, now);
  const emulator = createEmulator({ seed, now });
  await emulator.ready;
  // Catch up with the wall clock lost while seeding, then follow it: quotas refill in real time.
  await emulator.clock.runUntil(Date.now());
  const stopFollowing = emulator.clock.follow(1, 5);
  emulator.faults.add({ Kind: 'Latency', Ms: latencyMs });
  const server = await emulator.listen({ port: 0 });
  const env = {
    KRO_ENDPOINT: `127.0.0.1:${server.port}`,
    KRO_ACCOUNT_ID: emulator.accountId,
    KRO_REGION_ID: emulator.regionId,
    BENCH_ACCESS_KEY_ID: emulator.defaultAccessKey.accessKeyId,
    BENCH_ACCESS_KEY_SECRET: emulator.defaultAccessKey.accessKeySecret,
  };
  let from = 0;
  const calls = () => {
    const log = emulator.callLog();
    const entries = log.slice(from);
    from = log.length;
    return { counts: countCalls(entries), entries };
  };
  try {
    return await fn(env, calls, emulator);
  } finally {
    stopFollowing();
    await emulator.close();
  }
}

export function sweepBench(options: SweepBenchOptions = DEFAULT_SWEEP_OPTIONS): Bench {
  return {
    name: 'sweep',
    async run(report: Report) {
      const bundle = options.fromSource ? undefined : path.join((await functionBundles()).sweep, 'index.js');
      const compiled = options.fromSource ? undefined : await compiledChild('sweep-child.ts');
      const largest = Math.max(...options.sizes);
      const runs = [
        ...options.firstSizes.map((size) => ({ size, kind: 'first' as const })),
        ...options.sizes.map((size) => ({ size, kind: 'steady' as const })),
      ];
      for (const { size, kind } of runs) {
        const prefix = kind === 'first' ? `sweep.first.${size}` : `sweep.${size}`;
        await withEmulator(
          size,
          options.latencyMs,
          async (env, calls) => {
            const emulatorCpu = process.cpuUsage();
            const product = await runChild<ProductResult>({
              script: 'sweep-child.ts',
              compiled,
              env: { ...env, ...(bundle ? { BENCH_BUNDLE: bundle } : {}) },
            });
            const { counts: counted, entries } = calls();
            const emulatorCpuUsed = process.cpuUsage(emulatorCpu);
            const cpu = {
              sweepCpuMs: Math.round(product.cpuMs),
              emulatorCpuMs: Math.round((emulatorCpuUsed.user + emulatorCpuUsed.system) / 1000),
            };
            const paced = sweepQuotas(loadConfig(env));
            const { boundMs, dominant } = quotaBoundMs(counted.byGroup, options.latencyMs, paced);
            const callsPerSecret = counted.total / size;
            const steady = kind === 'steady';
            const common = {
              secrets: size,
              sweep: steady ? 'steady state (adopted fleet, seeded a day before)' : 'first after deployment',
              latencyMs: options.latencyMs,
              quotas: `documented (read 450/s, list 40/s); the sweep paces to its share: read ${paced.read.limit}/s, list ${paced.list.limit}/s`,
            };
            const wallTarget =
              steady && size === 10_000
                ? { target: `<= ${STEADY_WALL_MS_10000}`, ok: product.wallMs <= STEADY_WALL_MS_10000 }
                : {};
            report({
              name: `${prefix}.wallMs`,
              value: round(product.wallMs, 0),
              unit: 'ms',
              ...wallTarget,
              ...common,
              complete: product.summary.complete,
              states: product.summary.states,
              described: product.summary.described,
              describedFor: product.summary.describedFor,
              tagWrites: product.summary.tagWrites,
              ...phases(entries, product),
              ...cpu,
            });
            report({
              name: `${prefix}.boundMs`,
              value: round(boundMs, 0),
              unit: 'ms',
              dominantGroup: dominant,
              callsByGroup: counted.byGroup,
              ratio: round(product.wallMs / boundMs),
              note: "calls of the dominant quota group / the sweep's paced rate for it + one latency",
            });
            report({
              name: `${prefix}.callsPerSecret`,
              value: round(callsPerSecret, 4),
              unit: 'calls',
              ...(steady && size >= 10_000
                ? { target: `<= ${STEADY_CALLS_PER_SECRET}`, ok: callsPerSecret <= STEADY_CALLS_PER_SECRET }
                : {
                    note: steady
                      ? 'the target is for 10,000 secrets: a sweep has a few fixed calls (lookup, metrics) whatever the fleet'
                      : 'every secret described once, and up to the per-sweep budget of schedule writes',
                  }),
              callsByAction: counted.byAction,
            });
            report({
              name: `${prefix}.throttled`,
              value: counted.throttled,
              unit: 'calls',
              target: '0 surfacing as findings',
              ok: product.summary.complete && (product.logLevels.error ?? 0) === 0,
              sweepSawThrottled: product.summary.throttled,
            });
            report({
              name: `${prefix}.peakRssMb`,
              value: round(product.peakRssMb, 1),
              unit: 'MB',
              ...(size >= 10_000 ? { target: '< 256', ok: product.peakRssMb < 256 } : {}),
              processBaselineMb: round(product.rssBeforeMb, 1),
              note: `maxRSS of the child process running only the sweep${compiled ? ' (plain node, the FC bundle)' : ' (source through tsx)'}`,
            });
            if (product.problems.length > 0)
              report({
                name: `${prefix}.warnings`,
                value: (product.logLevels.warn ?? 0) + (product.logLevels.error ?? 0),
                unit: 'log lines',
                first: product.problems,
              });

            if (!steady || size !== largest || options.naiveSample <= 0) return;
            const naive = await runChild<NaiveResult>({
              script: 'naive-sweep-child.ts',
              env: { ...env, BENCH_NAIVE_LIMIT: String(Math.min(options.naiveSample, size)) },
            });
            const extrapolated = naive.secrets < size;
            const naiveWallMs = (naive.wallMs * size) / Math.max(1, naive.secrets);
            report({
              name: 'sweep.naive.ratio',
              value: round(naiveWallMs / product.wallMs, 2),
              unit: 'x',
              secrets: size,
              naiveWallMs: round(naiveWallMs, 0),
              productWallMs: round(product.wallMs, 0),
              ...(extrapolated
                ? {
                    extrapolated: `measured on the first ${naive.secrets} secrets (${round(naive.wallMs, 0)} ms), scaled linearly to ${size}`,
                  }
                : {}),
            });
          },
          { adopted: kind === 'steady' },
        );
      }
    },
  };
}
