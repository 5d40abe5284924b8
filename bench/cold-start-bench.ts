/**
 * Cold start (issues 8 and 15): each function's FC bundle is built (scripts/build.ts), then loaded
 * with `require` in fresh Node processes; the median of `runs` loads minus the median of a bare
 * `node -e 0` is the time the bundle costs before the handler can run. CloudMonitor's SDK is a
 * sibling file (cms-sdk.js) loaded only when an alert or metric is sent: its size is reported apart.
 * A cold start also pays for its first invocation (lazy siblings, first connections, first
 * validation): `firstInvocationMs` times require + one typical event in a fresh process against an
 * emulator served here, for this checkout's bundles and, interleaved run by run, the previous
 * release's (bench/previous-release.ts).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createEmulator } from '../emulator/emulator';
import type { CallLogEntry } from '../emulator/protocol/call-log';
import { compiledChild, functionBundles, FUNCTIONS, type FunctionName } from './bundles';
import { runChild } from './child';
import { rotationResultOf } from './event-mix';
import type { Bench, Report } from './figures';
import { adoptedFleetSeed } from './adopted-fleet';
import { previousBundles, PREVIOUS_RELEASE } from './previous-release';
import { SHARED_FILE, SIBLING_FILES } from '../scripts/build';

export interface ColdStartOptions {
  runs: number;
  /** Fresh processes per bundle for the first invocation (0 skips it); the previous release too, unless false. */
  firstInvocationRuns: number;
  comparePrevious: boolean;
}

export const DEFAULT_COLD_START_OPTIONS: ColdStartOptions = { runs: 7, firstInvocationRuns: 7, comparePrevious: true };

/** A small healthy fleet: the first invocation's work, not a big sweep's, is what is timed. */
const FIRST_INVOCATION_FLEET = 20;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeNode(script: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    times.push(performance.now() - started);
    if (result.status !== 0)
      throw new Error(
        `node -e ${script} failed: ${result.stderr.toString('utf8').trim().split('\n').slice(-3).join(' | ')}`,
      );
  }
  return median(times);
}

interface FirstInvocation {
  loadedMs: number;
  firstInvocationMs: number;
  reply: string;
}

/** `{"kms.DescribeSecret 200": 2, "cms.PutCustomMetric 200": 1}`: the calls one invocation made. */
function callCounts(log: readonly CallLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of log) {
    const key = `${call.product}.${call.action} ${call.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const DAY_MS = 86_400_000;

/** One typical event per function: a rotation success, a scheduled sweep, a verification with nothing to do. */
function typicalEvents(emulator: ReturnType<typeof createEmulator>): Record<FunctionName, string> {
  const name = emulator.kms.secretNames().find((n) => emulator.kms.getSecret(n)?.SecretType === 'Rds') ?? '';
  const secret = emulator.kms.getSecret(name);
  if (!secret) throw new Error('the first-invocation fleet has no RDS secret');
  return {
    'on-event': JSON.stringify(rotationResultOf(secret, { at: emulator.clock.now(), success: true }, emulator)),
    sweep: JSON.stringify({ mode: 'sweep' }),
    remediate: JSON.stringify({ secretName: name, episodeId: '0123456789', attempt: 1, phase: 'verify' }),
  };
}

async function firstInvocations(
  options: ColdStartOptions,
  current: Record<FunctionName, string>,
  report: Report,
): Promise<void> {
  // The fleet as a deployment's sweep finds it on a typical run: adopted a day ago (each secret
  // carries the schedule the product wrote), the day's rotations by KMS since. A fresh fleet would
  // time the once-only adoption instead; the previous release describes every secret either way.
  const now = Date.now();
  const adoptedAt = now - DAY_MS;
  const emulator = createEmulator({
    seed: await adoptedFleetSeed(FIRST_INVOCATION_FLEET, adoptedAt),
    now: adoptedAt,
    quotas: false,
  });
  await emulator.ready;
  await emulator.clock.runUntil(now);
  const server = await emulator.listen({ port: 0 });
  try {
    const compiled = await compiledChild('first-invocation.ts');
    const previous = options.comparePrevious ? previousBundles(FUNCTIONS) : undefined;
    const events = typicalEvents(emulator);
    const env = {
      KRO_ENDPOINT: `127.0.0.1:${server.port}`,
      KRO_ACCOUNT_ID: emulator.accountId,
      KRO_REGION_ID: emulator.regionId,
      BENCH_ACCESS_KEY_ID: emulator.defaultAccessKey.accessKeyId,
      BENCH_ACCESS_KEY_SECRET: emulator.defaultAccessKey.accessKeySecret,
    };
    const once = (bundle: string, name: FunctionName) =>
      runChild<FirstInvocation>({
        script: 'first-invocation.ts',
        compiled,
        env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: events[name], BENCH_FUNCTION_NAME: `kro-${name}` },
      });
    for (const name of FUNCTIONS) {
      const now: FirstInvocation[] = [];
      const before: FirstInvocation[] = [];
      let calls: Record<string, number> = {};
      // Interleaved, so a change in the machine's load weighs on both sides alike.
      for (let i = 0; i < options.firstInvocationRuns; i++) {
        const logged = emulator.callLog().length;
        now.push(await once(path.join(current[name], 'index.js'), name));
        // What the first invocation did, answered how: the figure times real work, not an early failure.
        if (i === 0) calls = callCounts(emulator.callLog().slice(logged));
        const old = previous?.[name];
        if (old) before.push(await once(old, name));
      }
      const value = median(now.map((r) => r.firstInvocationMs));
      const previousMs = before.length ? median(before.map((r) => r.firstInvocationMs)) : undefined;
      report({
        name: `coldStart.${name}.firstInvocationMs`,
        value: Math.round(value),
        unit: 'ms',
        ...(previousMs !== undefined
          ? {
              target: `< previous release (${Math.round(previousMs)} ms)`,
              ok: value < previousMs,
              previousMs: Math.round(previousMs),
              previousRelease: PREVIOUS_RELEASE.slice(0, 7),
            }
          : { note: 'previous release not in this clone: no comparison' }),
        requireMs: Math.round(median(now.map((r) => r.loadedMs))),
        runs: options.firstInvocationRuns,
        calls,
        reply: now[0]?.reply,
        event:
          name === 'on-event'
            ? 'rotation success'
            : name === 'sweep'
              ? `sweep of ${FIRST_INVOCATION_FLEET} healthy secrets`
              : 'verification of an unknown episode',
      });
    }
  } finally {
    await emulator.close();
  }
}

export function coldStartBench(options: ColdStartOptions = DEFAULT_COLD_START_OPTIONS): Bench {
  return {
    name: 'coldStart',
    prefixes: ['coldStart', 'bundle'],
    async run(report) {
      const bundles = await functionBundles();
      const bare = timeNode('0', options.runs);
      for (const name of FUNCTIONS) {
        const file = path.join(bundles[name], 'index.js');
        const cmsFile = path.join(bundles[name], 'cms-sdk.js');
        // Ready = the module evaluated and its exported handler built (as FC does before the first event).
        const loadMs =
          timeNode(
            `const m = require(${JSON.stringify(file)}); if (typeof m.handler !== 'function') process.exit(3);`,
            options.runs,
          ) - bare;
        // What requiring the bundle reads: index.js and the SDK engine it shares with the cloud SDKs.
        const indexBytes = statSync(file).size;
        const bytes = indexBytes + statSync(path.join(bundles[name], `${SHARED_FILE}.js`)).size;
        report({
          name: `coldStart.${name}.ms`,
          value: Math.round(loadMs),
          unit: 'ms',
          target: '< 150',
          ok: loadMs < 150,
          runs: options.runs,
          bareNodeMs: Math.round(bare),
          note: 'median require of the bundle minus median bare node start',
        });
        report({
          name: `bundle.${name}.bytes`,
          value: bytes,
          unit: 'bytes',
          ...(name === 'on-event' ? { target: '< 2 MB', ok: bytes < 2 * 2 ** 20 } : {}),
          indexBytes,
          cmsSdkBytes: statSync(cmsFile).size,
          siblingBytes: Object.fromEntries(
            [SHARED_FILE, ...Object.values(SIBLING_FILES)].map((file) => [
              `${file}.js`,
              statSync(path.join(bundles[name], `${file}.js`)).size,
            ]),
          ),
          note: 'sibling files: sdk-core.js (the SDK engine index.js and both cloud SDKs share) with the bundle; cms-sdk.js on the first alert or metric, fc-sdk.js on the first FC invocation, pg.js / mysql2.js / ioredis.js on the first probe of that engine',
        });
      }
      if (options.firstInvocationRuns > 0) await firstInvocations(options, bundles, report);
    },
  };
}
