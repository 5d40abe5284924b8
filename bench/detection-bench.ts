/**
 * Detection latency (issue 8), on the simulated clock with s.yaml deployed through deployLocal
 * (the real handlers, the real triggers and the 10-minute sweep timer):
 *  - eventToAlertMs: from the emulator publishing a RotateSecret:Failure event to the alert
 *    custom event being written in its CloudMonitor;
 *  - missedRotationToAlertMs: the same failure with its event dropped by EventBridge: from the
 *    failed rotation to the alert, which only the sweep can raise (target: one sweep interval).
 */
import { createEmulator } from '../emulator/emulator';
import { deployLocal } from '../emulator/runtime';
import type { FaultSpec } from '../emulator/types';
import type { Bench } from './figures';
import { fleetSeed } from './fleet';

const START = Date.parse('2026-11-22T00:00:00Z');
const FAILURE_TYPE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';
const SWEEP_INTERVAL_MS = 600_000;
/** The failing secret becomes due this long after the start, between two sweeps. */
const DUE_AFTER_MS = 17 * 60_000 + 23_000;
const SIMULATED_MS = 2 * 3_600_000;

export interface DetectionOptions {
  fleet: number;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = { fleet: 40 };

interface Measured {
  secretName: string;
  failedAt?: number;
  publishedAt?: number;
  dropped: boolean;
  alertAt?: number;
  alertName?: string;
}

async function scenario(options: DetectionOptions, dropEvent: boolean): Promise<Measured> {
  const seed = fleetSeed(options.fleet, START);
  const secret = seed.Secrets.find((s) => s.SecretType === 'Rds');
  if (!secret) throw new Error('the fleet has no Rds secret');
  const intervalMs = 7 * 86_400_000;
  secret.RotationInterval = '7d';
  secret.LastRotationDate = new Date(START + DUE_AFTER_MS - intervalMs).toISOString();
  const faults: FaultSpec[] = [
    {
      Kind: 'RotationFailure',
      SecretName: secret.SecretName,
      ErrorCode: 'InternalFailure',
      ErrorMessage: 'The rotation failed (bench).',
    },
  ];
  if (dropEvent) faults.push({ Kind: 'EventDrop', EventType: FAILURE_TYPE, Times: 1 });
  const emulator = createEmulator({ seed: { ...seed, Faults: faults }, now: START });
  await emulator.ready;
  const deployment = await deployLocal(emulator, {
    env: { KRO_SWEEP_CRON: `0 */${SWEEP_INTERVAL_MS / 60_000} * * * *` },
  });
  try {
    const name = secret.SecretName;
    const mentions = (content: string) => content.includes(`"${name}"`) || content.includes(`secret/${name}`);
    for (let t = 0; t < SIMULATED_MS; t += 60_000) {
      await emulator.clock.advance(60_000);
      if (emulator.cms.customEvents().some((e) => mentions(e.content))) break;
    }
    const failure = emulator.kms.getSecret(name)?.rotationHistory.find((h) => h.outcome === 'failure');
    const published = emulator.bus
      .log()
      .find((r) => r.event.type === FAILURE_TYPE && r.event.subject.endsWith(`secret/${name}`));
    const alert = emulator.cms.customEvents().find((e) => mentions(e.content));
    return {
      secretName: name,
      failedAt: failure?.at,
      publishedAt: published?.publishedAt,
      dropped: published?.dropped ?? false,
      alertAt: alert?.time,
      alertName: alert?.name,
    };
  } finally {
    await deployment.close();
    await emulator.close();
  }
}

export function detectionBench(options: DetectionOptions = DEFAULT_DETECTION_OPTIONS): Bench {
  return {
    name: 'detection',
    async run(report) {
      const direct = await scenario(options, false);
      const viaEvent =
        direct.alertAt !== undefined && direct.publishedAt !== undefined ? direct.alertAt - direct.publishedAt : NaN;
      report({
        name: 'detection.eventToAlertMs',
        value: viaEvent,
        unit: 'ms (simulated)',
        alert: direct.alertName ?? 'none within 2 h',
        target: '< 1000 (the leading edge)',
        ok: viaEvent < 1000,
        note: 'EventBridge -> on-event (episode opened, first of its storm window) -> PutCustomEvent in that invocation',
      });
      const missed = await scenario(options, true);
      const viaSweep =
        missed.alertAt !== undefined && missed.failedAt !== undefined ? missed.alertAt - missed.failedAt : NaN;
      report({
        name: 'detection.missedRotationToAlertMs',
        value: viaSweep,
        unit: 'ms (simulated)',
        target: `<= ${SWEEP_INTERVAL_MS} (one sweep interval)`,
        ok: viaSweep <= SWEEP_INTERVAL_MS,
        eventDropped: missed.dropped,
        alert: missed.alertName ?? 'none within 2 h',
      });
    },
  };
}
