/**
 * Quota bench (issue 15): is the orchestrator a good neighbour on the KMS quotas it shares with the
 * customer's applications? KMS applies its quotas per account and region, so the application's
 * GetSecretValue and the sweep's DescribeSecret draw on one "read" group (450/s). An application
 * reads its secrets at a steady rate throughout a sweep of the fleet (the sweep function's FC bundle
 * in a child process, as in sweep-bench.ts, documented quotas on, the emulator's clock following the
 * wall clock); then the same application runs alone for as long, as the control.
 *  - quota.readShare.peak: the largest share of the read group the orchestrator's own calls used in
 *    any sliding second (its calls are told apart from the application's by AccessKeyId).
 *  - quota.appThrottled: the share of the application's calls rejected with Rejected.Throttling,
 *    with the orchestrator running; `control` is the same application alone.
 * The sweep runs with the share configuration's defaults (KRO_KMS_READ_SHARE_PERCENT and
 * KRO_KMS_LIST_SHARE_PERCENT unset) and paces itself to the sweep's part of them
 * (shared/quota-share.ts); the figures carry every instance's rates, computed from the same env.
 * The sweep is the first one after deployment (it describes every secret: the heaviest reader),
 * and alongside it an event burst: as many on-event instances as s.yaml reserves handle rotation
 * results back to back, each pacing to its own part. The measured window ends when the sweep ends
 * or after `windowMs` (the first sweep of 10,000 secrets at the sweep's 22.5 reads/s takes about
 * 450 s; the pacing is the same in every second of it).
 */
import path from 'node:path';
import type { CallLogEntry } from '../emulator/protocol/call-log';
import { loadConfig } from '../shared/config';
import { DEFAULT_QUOTAS, quotaGroupOf } from '../shared/quota-groups';
import { groupShares, instanceRates, RESERVED_CONCURRENCY, type QuotaConsumer } from '../shared/quota-share';
import { randomUUID } from 'node:crypto';
import { loadHandlerFactory } from '../emulator/runtime';
import { signedPaths, startAppLoad, type SigningKey } from './app-load';
import { bundleFactory, compiledChild, functionBundles } from './bundles';
import { rotationResultOf } from './event-mix';
import { runChild } from './child';
import type { Bench } from './figures';
import { fleetSecret } from './fleet';
import { withEmulator, type BenchEmulator } from './sweep-bench';

export interface QuotaBenchOptions {
  secrets: number;
  /** The application's GetSecretValue calls per second. */
  appPerSecond: number;
  latencyMs: number;
  /** The measured window ends here if the sweep has not finished. */
  windowMs: number;
  fromSource?: boolean;
}

export const DEFAULT_QUOTA_OPTIONS: QuotaBenchOptions = {
  secrets: 10_000,
  appPerSecond: 200,
  latencyMs: 20,
  windowMs: 90_000,
};

const SLIDING_WINDOW_MS = 1000;
/** The application reads a working set of its own secrets, not the whole fleet. */
const APP_WORKING_SET = 50;

const APP_KEY: SigningKey = {
  accessKeyId: 'LTAIbenchApplication01',
  accessKeySecret: 'bench-application-secret-not-real',
};

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The most calls that fall in any window of `windowMs` (two pointers over sorted times). */
export function peakInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from += 1;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

function orchestratorReads(entries: readonly CallLogEntry[]): number[] {
  return entries
    .filter((e) => e.product === 'kms' && e.accessKeyId !== APP_KEY.accessKeyId && quotaGroupOf(e.action) === 'read')
    .map((e) => e.at);
}

function appPaths(options: QuotaBenchOptions, seconds: number): string[] {
  const names = Array.from(
    { length: Math.min(APP_WORKING_SET, options.secrets) },
    (_, i) => fleetSecret(i, 0).SecretName,
  );
  return signedPaths(Math.ceil(seconds * options.appPerSecond), 'GetSecretValue', APP_KEY, names);
}

function addApplication(emulator: BenchEmulator): void {
  emulator.auth.addAccessKey({ ...APP_KEY, principal: 'ram-user/application' });
}

interface SweepResult {
  summary: { complete: boolean };
}

/**
 * On-event instances handling rotation results back to back until `stop` (the handler from its FC
 * bundle, pacing on at on-event's part of the share), as s.yaml's reserved concurrency allows.
 */
async function startEventBurst(
  emulator: BenchEmulator,
  env: Record<string, string>,
  options: QuotaBenchOptions,
): Promise<{ stop(): Promise<{ events: number; failed: number }> }> {
  const factory = options.fromSource ? await loadHandlerFactory('on-event') : await bundleFactory('on-event');
  const ids = { regionId: emulator.regionId, accountId: emulator.accountId };
  const views = Array.from({ length: options.secrets }, (_, i) => emulator.kms.getSecret(fleetSecret(i, 0).SecretName));
  const credentials = {
    accessKeyId: env.BENCH_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.BENCH_ACCESS_KEY_SECRET ?? '',
  };
  let running = true;
  let events = 0;
  let failed = 0;
  let n = 0;
  const instance = async () => {
    const handler = factory({ env, writeLine: () => undefined });
    while (running) {
      const view = views[(n++ * 7919) % views.length];
      if (!view || view.SecretType === 'Generic') continue;
      const event = rotationResultOf(view, { at: emulator.clock.now(), success: true }, ids);
      try {
        await handler(Buffer.from(JSON.stringify(event)), {
          requestId: randomUUID(),
          credentials,
          function: { name: 'kro-on-event', handler: 'index.handler', timeout: 60 },
          region: emulator.regionId,
          accountId: emulator.accountId,
        });
        events += 1;
      } catch {
        failed += 1;
      }
    }
  };
  const workers = Array.from({ length: RESERVED_CONCURRENCY['on-event'] }, instance);
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      return { events, failed };
    },
  };
}

const CONSUMERS: QuotaConsumer[] = ['sweep', 'on-event', 'remediate', 'cli'];

/** What the sweep child's configuration shares out: the whole share, and each instance's rates. */
function shareFigures(env: Record<string, string>) {
  const config = loadConfig(env);
  return {
    sharePercent: { ...config.api.quotaShare },
    share: groupShares(config),
    reservedConcurrency: { ...RESERVED_CONCURRENCY },
    instanceRates: Object.fromEntries(CONSUMERS.map((c) => [c, instanceRates(config, c)])),
  };
}

export function quotaBench(options: QuotaBenchOptions = DEFAULT_QUOTA_OPTIONS): Bench {
  return {
    name: 'quota',
    async run(report) {
      const bundle = options.fromSource ? undefined : path.join((await functionBundles()).sweep, 'index.js');
      const compiled = options.fromSource ? undefined : await compiledChild('sweep-child.ts');
      const readQuota = DEFAULT_QUOTAS.read.limit;
      // Signed before the sweep starts, for up to ten minutes of application traffic.
      const paths = appPaths(options, 600);

      const withProduct = await withEmulator(options.secrets, options.latencyMs, async (env, calls, emulator) => {
        addApplication(emulator);
        const shared = shareFigures(env);
        calls(); // the seeding's log is not the sweep's
        const app = startAppLoad(Number(env.KRO_ENDPOINT?.split(':')[1]), paths, options.appPerSecond);
        const burst = await startEventBurst(emulator, env, options);
        const started = performance.now();
        // A sweep squeezed by the application may stop early and ask FC for a continuation, which
        // this bench does not deploy: that is a finding of the run, not a crash of the bench. One
        // still running when the window closes is stopped there (windowEnded).
        const sweep = await runChild<SweepResult>({
          script: 'sweep-child.ts',
          compiled,
          env: { ...env, ...(bundle ? { BENCH_BUNDLE: bundle } : {}) },
          timeoutMs: options.windowMs,
        }).then(
          (result) => ({ complete: result.summary.complete, failure: undefined, windowEnded: false }),
          (error: unknown) => {
            const windowEnded = performance.now() - started >= options.windowMs;
            return {
              complete: false,
              windowEnded,
              failure: windowEnded ? undefined : (error instanceof Error ? error.message : String(error)).slice(0, 200),
            };
          },
        );
        const wallMs = performance.now() - started;
        const [appCounts, burstCounts] = await Promise.all([app.stop(), burst.stop()]);
        return {
          sweep: { ...sweep, wallMs },
          burst: burstCounts,
          appCounts,
          reads: orchestratorReads(calls().entries),
          shared,
        };
      });
      const control = await withEmulator(options.secrets, options.latencyMs, async (env, _calls, emulator) => {
        addApplication(emulator);
        const app = startAppLoad(Number(env.KRO_ENDPOINT?.split(':')[1]), paths, options.appPerSecond);
        await new Promise((resolve) => setTimeout(resolve, withProduct.sweep.wallMs));
        return app.stop();
      });

      const peak = peakInWindow(withProduct.reads, SLIDING_WINDOW_MS);
      const share = peak / readQuota;
      // The target is the configured share of the read group (10 % by default).
      const { shared } = withProduct;
      const target = shared.sharePercent.readPercent / 100;
      report({
        name: 'quota.readShare.peak',
        value: round(share),
        unit: 'share',
        target: `<= ${target}`,
        ok: share <= target,
        peakCallsPerSecond: peak,
        readQuota,
        // The sweep paces to its part; on-event, remediate and the CLI could add the rest at most.
        sweepPartShare: round(shared.instanceRates.sweep!.read / readQuota),
        sharePercent: shared.sharePercent,
        reservedConcurrency: shared.reservedConcurrency,
        instanceRatesPerSecond: shared.instanceRates,
        orchestratorReads: withProduct.reads.length,
        secrets: options.secrets,
        windowMs: round(withProduct.sweep.wallMs, 0),
        sweepComplete: withProduct.sweep.complete,
        sweepStoppedAtWindowEnd: withProduct.sweep.windowEnded,
        ...(withProduct.sweep.failure ? { sweepFailure: withProduct.sweep.failure } : {}),
        eventBurst: { instances: RESERVED_CONCURRENCY['on-event'], ...withProduct.burst },
        note: 'the first sweep of a fresh deployment (every secret described) and an event burst on every on-event instance s.yaml reserves',
      });
      const rate = (c: { sent: number; throttled: number }) => (c.sent === 0 ? 0 : c.throttled / c.sent);
      report({
        name: 'quota.appThrottled',
        value: round(rate(withProduct.appCounts), 4),
        unit: 'share',
        target: '0',
        ok: withProduct.appCounts.throttled === 0,
        appPerSecond: options.appPerSecond,
        app: withProduct.appCounts,
        control: { ...control, share: round(rate(control), 4) },
      });
    },
  };
}
