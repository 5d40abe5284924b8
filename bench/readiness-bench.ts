/**
 * readiness.callsPerSecretPerDay (issue 16, target <= 4): the forecast's read calls over one day of
 * 10-minute sweeps for a 10,000-secret fleet where 10 secrets share each RDS instance, rotation
 * intervals 7-30 days with due dates spread evenly. The reads go through the real reader and sweep
 * selection (shared/readiness/sweep-forecast.ts) over a counting in-memory port: one port call is
 * one API call on the wire, and the figure counts calls, not time.
 */
import type { SecretDescription } from '../shared/ports/kms';
import type { TargetReads } from '../shared/readiness/port';
import { forecastSweep } from '../shared/readiness/sweep-forecast';
import type { Bench } from './figures';

const DAY = 86_400_000;
const START = Date.parse('2026-11-22T00:00:00Z');
export const READINESS_TARGET = 4;

export function readinessFleet(size: number, perInstance: number, now: number): SecretDescription[] {
  return Array.from({ length: size }, (_, i) => {
    const intervalDays = 7 + (i % 24);
    const nextRotationDate = now + Math.floor((((i * 7919) % 1000) / 1000) * intervalDays * DAY);
    return {
      secretName: `fleet/db-${i}`,
      secretType: 'Rds',
      automaticRotation: 'Enabled',
      rotationIntervalSeconds: intervalDays * 86_400,
      nextRotationDate,
      extendedConfig: {
        SecretSubType: 'DoubleUsers',
        DBInstanceId: `rm-${Math.floor(i / perInstance)}`,
        AccountName: 'app',
      },
      tags: {},
    };
  });
}

export function countingReads(): { reads: TargetReads; calls: () => number } {
  let calls = 0;
  const hit = <T>(value: T) => {
    calls++;
    return Promise.resolve(value);
  };
  const reads: TargetReads = {
    rdsInstance: () => hit({ status: 'Running' }),
    rdsAccounts: () => hit(['app', 'app_clone']),
    redisInstance: () => hit({ status: 'Normal' }),
    redisAccounts: () => hit([]),
    polardbCluster: () => hit({ status: 'Running' }),
    polardbAccounts: () => hit([]),
    ecsInstance: () => hit({ status: 'Running' }),
    cloudAssistant: () => hit(true),
    ramUser: () => hit(true as const),
    ramAccessKeys: () => hit(['k1']),
    accessKeyLastUsed: () => hit(null),
    role: () => hit(true as const),
    kmsInstance: () => hit({ endDate: START + 365 * DAY }),
    secretPolicy: () => hit('{"Version":"1","Statement":[]}'),
  };
  return { reads, calls: () => calls };
}

/** Calls per secret over one day of sweeps, and the findings (zero on a healthy fleet). */
export async function measureReadiness(options: {
  size: number;
  perInstance: number;
  sweepMinutes: number;
}): Promise<{ callsPerSecretPerDay: number; findings: number }> {
  const fleet = readinessFleet(options.size, options.perInstance, START);
  const { reads, calls } = countingReads();
  const config = {
    readiness: { horizonHours: 48 },
    sweep: { intervalSeconds: options.sweepMinutes * 60 },
    accountId: '1234567890123456',
  };
  let findings = 0;
  for (let t = START; t < START + DAY; t += options.sweepMinutes * 60_000) {
    const result = await forecastSweep({ reads, config, secrets: fleet, now: t });
    findings += result.findings.length;
  }
  return { callsPerSecretPerDay: calls() / options.size, findings };
}

export function readinessBench(): Bench {
  return {
    name: 'readiness',
    async run(report) {
      const m = await measureReadiness({ size: 10_000, perInstance: 10, sweepMinutes: 10 });
      report({
        name: 'readiness.callsPerSecretPerDay',
        value: Math.round(m.callsPerSecretPerDay * 100) / 100,
        unit: 'calls',
        target: `<= ${READINESS_TARGET}`,
        ok: m.callsPerSecretPerDay <= READINESS_TARGET,
      });
      report({
        name: 'readiness.healthyFindings',
        value: m.findings,
        unit: 'findings',
        target: '0',
        ok: m.findings === 0,
      });
    },
  };
}
