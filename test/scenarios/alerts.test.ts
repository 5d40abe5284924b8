/** Issue 5 acceptance: storm grouping, delivery through a CloudMonitor outage, and no secret value in any output. */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, MINUTE, START_MS, startScenario, type Scenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

const iso = (ms: number) => new Date(ms).toISOString();

/** Every alert id announced in CloudMonitor, once per custom event that carries it. */
function announcedAlertIds(s: Scenario): string[] {
  return s.alerts().flatMap((a) => {
    const content = alertFields(a.content) as { alertId?: string; affected?: Array<{ alertId: string }> };
    return content.affected ? content.affected.map((x) => x.alertId) : content.alertId ? [content.alertId] : [];
  });
}

describe('a storm of failures on one RDS instance', () => {
  it('reaches the contact group as at most 3 notifications naming all 500 secrets, then resolves them as they recover', async () => {
    const names = Array.from({ length: 500 }, (_, i) => `prod/shard-${String(i).padStart(3, '0')}`);
    const due = iso(START_MS - 7 * DAY + 5 * MINUTE);
    const s = await startScenario({
      secrets: names.map((n) =>
        aSecret(n, 'rds', {
          LastRotationDate: due,
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-shared' },
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
        }),
      ),
      env: { KRO_SWEEP_CRON: '0 0 * * * *', KRO_ROTATE_BUDGET_PER_HOUR: '50', KRO_LOG_LEVEL: 'warn' },
      emulator: { quotas: false },
    });
    await s.advance(15 * MINUTE);

    const failures = s.notifications().filter((n) => n.level === 'CRITICAL');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThanOrEqual(3);
    expect(new Set(failures.flatMap((n) => n.secrets))).toEqual(new Set(names));
    // The first failure pages at once (leading edge); the rest of the window as one group.
    expect(failures.map((n) => n.eventName)).toEqual(['KmsRotationFailed', 'KmsRotationFailureGroup']);

    await s.advance(HOUR);
    const resolved = names.filter((n) => s.state(n).episodes.length === 0);
    expect(resolved.length).toBeGreaterThanOrEqual(40);
    const recovered = new Set(
      s
        .notifications()
        .filter((n) => n.eventName === 'KmsRotationRecovered')
        .flatMap((n) => n.secrets),
    );
    expect([...recovered].sort()).toEqual(
      resolved.filter((n) => s.history(n).some((h) => h.outcome === 'success')).sort(),
    );
    // Never above the service's RotateSecret limit of 50 an hour.
    const rotations = s.calls('RotateSecret').map((c) => c.at);
    for (const at of rotations)
      expect(rotations.filter((t) => t > at - HOUR && t <= at).length).toBeLessThanOrEqual(50);
  }, 300_000);
});

describe('CloudMonitor down while failures happen', () => {
  it('delivers every alert exactly once afterwards', async () => {
    const due = (minutes: number) => iso(START_MS - 7 * DAY + minutes * MINUTE);
    const s = await startScenario({
      secrets: [
        aSecret('prod/a', 'rds', {
          LastRotationDate: due(15),
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-a' },
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
        }),
        aSecret('prod/b', 'rds', {
          LastRotationDate: due(35),
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-b' },
          DeletedTarget: true,
        }),
        aSecret('prod/c', 'rds-single', { ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-c' } }),
      ],
    });
    const outage = s.emulator.faults.add({
      Kind: 'ApiError',
      Product: 'cms',
      ErrorCode: 'InternalError',
      HttpStatus: 503,
    });
    await s.advance(HOUR);
    expect(s.alerts()).toEqual([]);
    expect(s.calls().filter((c) => c.product === 'cms' && c.code === 'InternalError').length).toBeGreaterThan(0);
    s.emulator.faults.clear(outage);
    await s.advance(2 * HOUR);

    const ids = announcedAlertIds(s);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBe(new Set(ids).size);
    const bySecret = (name: string) =>
      s
        .alerts()
        .filter((a) => a.secrets.includes(name))
        .map((a) => a.name);
    // prod/a failed and recovered during the outage: its undelivered open alert is superseded by
    // the resolution, which carries what happened (the error and the attempts).
    expect(bySecret('prod/a')).toEqual(['KmsRotationRecovered']);
    expect(alertFields(s.alerts().find((a) => a.secrets.includes('prod/a'))!.content)).toMatchObject({
      checkId: 'rotation-failed',
      lastErrorCode: 'InternalFailure',
      attempts: 1,
    });
    expect(bySecret('prod/b')).toEqual(['KmsRotationEscalated']);
    expect(bySecret('prod/c')).toEqual(['KmsRotationPolicyViolation']);
    for (const name of ['prod/a', 'prod/b', 'prod/c'])
      expect(s.state(name).episodes.every((e) => e.alert?.delivery === 'delivered')).toBe(true);
  });
});

describe('secret values', () => {
  it('never appear in an alert, metric, notification, call log, ActionTrail record or handler log', async () => {
    const due = iso(START_MS - 7 * DAY + 5 * MINUTE);
    const secrets = [
      aSecret('prod/db', 'rds', {
        LastRotationDate: due,
        Faults: [
          {
            Kind: 'RotationFailure',
            ErrorCode: 'InternalFailure',
            ErrorMessage: 'login failed for password pw-prod_db-Rds1',
            Times: 1,
          },
        ],
      }),
      aSecret('prod/key', 'ram', {
        LastRotationDate: due,
        Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
      }),
      aSecret('acs/ecs/web', 'ecs', { EnableAutomaticRotation: false, RotationInterval: undefined }),
      aSecret('prod/token', 'generic', {
        SecretData: 'tok_live_9f8e7d6c5b4a3f2e1d0c',
        CreateTime: iso(START_MS - 200 * DAY),
      }),
    ];
    const s = await startScenario({ secrets, functionEnv: { KRO_VERIFY_SCHEDULE_HOURS: '1', KRO_LOG_LEVEL: 'debug' } });
    await s.advance(3 * HOUR);

    const values = new Set<string>();
    const collect = (v: unknown): void => {
      if (typeof v === 'string' && v.length >= 8 && !/^(LTAI|root|app|analyst|acs\/)/.test(v)) values.add(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    for (const secret of secrets) {
      if (!secret.SecretData) continue;
      values.add(secret.SecretData);
      try {
        collect(JSON.parse(secret.SecretData));
      } catch {
        // not JSON: the whole value is the secret
      }
    }
    // And whatever the rotations put there since.
    for (const name of ['prod/db', 'prod/key']) {
      const current = await s.operatorCall('GetSecretValue', { SecretName: name });
      expect(current.status).toBe(200);
      const data = JSON.parse(String(current.body.SecretData)) as unknown;
      collect(data);
    }
    expect(s.history('prod/db').some((h) => h.outcome === 'success')).toBe(true);
    expect(values.size).toBeGreaterThanOrEqual(6);

    // What the orchestrator wrote or sent (the bus carries KMS's own events, which quote the fault's message).
    const outputs: Record<string, string> = {
      notifications: JSON.stringify(s.rawNotifications()),
      customEvents: JSON.stringify(s.alerts()),
      metrics: JSON.stringify(s.emulator.cms.metrics()),
      callLog: JSON.stringify(s.calls()),
      actionTrail: JSON.stringify(s.emulator.actiontrail.events()),
      logs: s.logs().join('\n'),
    };
    expect(s.alerts().length).toBeGreaterThan(0);
    expect(s.logs().length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(outputs)) {
      for (const value of values)
        expect(text.includes(value), `${where} contains a secret value (${value.slice(0, 6)}...)`).toBe(false);
    }
  });
});
