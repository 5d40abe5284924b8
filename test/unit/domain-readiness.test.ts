import { describe, expect, it } from 'vitest';
import {
  assessReadiness,
  assessSecretPolicy,
  databasePreconditions,
  ecsPreconditions,
  holdsRetry,
  kmsInstancePrecondition,
  ramPreconditions,
  READINESS_CAUSES,
  READINESS_RUNBOOKS,
  rolePrecondition,
  shouldCheckReadiness,
} from '../../shared/domain/readiness';

const H = 3_600_000;
const NOW = Date.parse('2026-11-01T00:00:00Z');
const rds = { kind: 'rds-instance' as const, id: 'rm-1' };
const found = <T>(value: T) => ({ kind: 'found' as const, value });

describe('readiness preconditions', () => {
  it('database: missing, stopped, account gone, healthy, unreadable', () => {
    expect(
      databasePreconditions(rds, { kind: 'not-found' }, undefined, ['app']).map((r) => [r.cause, r.state]),
    ).toEqual([['instance-missing', 'fails']]);
    const stopped = databasePreconditions(rds, found({ status: 'Stopped' }), found(['app']), ['app']);
    expect(stopped.find((r) => r.cause === 'instance-not-running')).toMatchObject({
      state: 'fails',
      detail: 'Stopped',
    });
    const noClone = databasePreconditions(rds, found({ status: 'Running' }), found(['app']), ['app', 'app_clone']);
    expect(noClone.find((r) => r.cause === 'account-missing')).toMatchObject({ state: 'fails', detail: 'app_clone' });
    expect(
      databasePreconditions(rds, found({ status: 'Running' }), found(['app', 'app_clone']), ['app', 'app_clone']).every(
        (r) => r.state === 'holds',
      ),
    ).toBe(true);
    const redis = databasePreconditions(
      { kind: 'redis-instance', id: 'r-1' },
      found({ status: 'Normal' }),
      found(['c']),
      ['c'],
    );
    expect(redis.every((r) => r.state === 'holds')).toBe(true);
    const denied = databasePreconditions(rds, { kind: 'unreadable', code: 'Forbidden.RAM' }, undefined, ['app']);
    expect(denied.every((r) => r.state === 'not-checked' && r.detail === 'Forbidden.RAM')).toBe(true);
    expect(
      databasePreconditions(rds, found({ status: 'Running' }), undefined, []).find((r) => r.cause === 'account-missing')
        ?.state,
    ).toBe('not-checked');
  });

  it('ECS: stopped is one cause, Cloud Assistant offline another', () => {
    const ecs = { kind: 'ecs-instance' as const, id: 'i-1' };
    expect(
      ecsPreconditions(ecs, found({ status: 'Stopped' }), found(false))
        .filter((r) => r.state === 'fails')
        .map((r) => r.cause),
    ).toEqual(['instance-not-running']);
    expect(
      ecsPreconditions(ecs, found({ status: 'Running' }), found(false))
        .filter((r) => r.state === 'fails')
        .map((r) => r.cause),
    ).toEqual(['cloud-assistant-offline']);
    expect(ecsPreconditions(ecs, found({ status: 'Running' }), found(true)).every((r) => r.state === 'holds')).toBe(
      true,
    );
  });

  it('RAM: user gone, two keys, one key', () => {
    const user = { kind: 'ram-user' as const, id: 'svc' };
    expect(ramPreconditions(user, { kind: 'not-found' }, undefined)[0]).toMatchObject({
      cause: 'ram-user-missing',
      state: 'fails',
    });
    expect(ramPreconditions(user, found(true as const), found(2))[1]).toMatchObject({
      cause: 'access-key-limit',
      state: 'fails',
    });
    expect(ramPreconditions(user, found(true as const), found(1)).every((r) => r.state === 'holds')).toBe(true);
    expect(ramPreconditions(user, found(true as const), { kind: 'unreadable', code: 'NoPermission' })[1]?.state).toBe(
      'not-checked',
    );
  });

  it('KMS instance: within 15 days or before the rotation fails; a year out holds', () => {
    const kst = { kind: 'kms-instance' as const, id: 'kst-1' };
    expect(kmsInstancePrecondition(kst, found({ endDate: NOW + 10 * 24 * H }), NOW, NOW + 72 * H).state).toBe('fails');
    expect(kmsInstancePrecondition(kst, found({ endDate: NOW + 365 * 24 * H }), NOW, NOW + 72 * H).state).toBe('holds');
    expect(kmsInstancePrecondition(kst, found({ endDate: NOW + 20 * 24 * H }), NOW, NOW + 30 * 24 * H).state).toBe(
      'fails',
    );
    expect(rolePrecondition({ kind: 'service-role', id: 'R' }, { kind: 'not-found' }).state).toBe('fails');
  });
});

describe('assessReadiness', () => {
  const failing = databasePreconditions(rds, found({ status: 'Stopped' }), found(['app']), ['app']);

  it('warning more than 24 h ahead, critical inside 24 h, naming cause, resource and runbook', () => {
    const early = assessReadiness({ secretName: 'db', nextRotationDate: NOW + 72 * H, now: NOW, results: failing });
    expect(early.findings).toHaveLength(1);
    expect(early.findings[0]).toMatchObject({
      checkId: 'rotation-at-risk',
      severity: 'warning',
      cause: 'instance-not-running',
      resource: rds,
      runbook: READINESS_RUNBOOKS['instance-not-running'],
    });
    expect(early.findings[0]?.summary).toContain('rm-1');
    expect(
      assessReadiness({ secretName: 'db', nextRotationDate: NOW + 23 * H, now: NOW, results: failing }).findings[0]
        ?.severity,
    ).toBe('critical');
    expect(holdsRetry(early)).toBe(true);
  });

  it('not-checked is reported, never a finding, and does not hold a retry', () => {
    const denied = databasePreconditions(rds, { kind: 'unreadable', code: 'Forbidden.RAM' }, undefined, ['app']);
    const a = assessReadiness({ secretName: 'db', nextRotationDate: NOW + 2 * H, now: NOW, results: denied });
    expect(a.findings).toEqual([]);
    expect(a.notChecked).toHaveLength(2);
    expect(holdsRetry(a)).toBe(false);
  });

  it('every cause has a runbook', () => {
    for (const cause of READINESS_CAUSES) expect(READINESS_RUNBOOKS[cause].length).toBeGreaterThan(40);
  });

  it('checks a failing secret every sweep, one due within the horizon every 6 h, any other once a day', () => {
    const base = { horizonMs: 48 * H, sweepIntervalMs: 600_000, failing: false };
    const count = (key: string, due: number) => {
      let checks = 0;
      for (let t = NOW; t < NOW + 24 * H; t += 600_000)
        if (shouldCheckReadiness({ ...base, spreadKey: key, nextRotationDate: due, now: t })) checks++;
      return checks;
    };
    for (const key of ['rm-a', 'rm-b', 'i-c', 'svc-17']) {
      expect(count(key, NOW + 30 * 24 * H)).toBe(1);
      expect(count(key, NOW + 47 * H)).toBe(4);
    }
    expect(
      shouldCheckReadiness({ ...base, spreadKey: 'x', nextRotationDate: NOW + 30 * 24 * H, now: NOW, failing: true }),
    ).toBe(true);
  });
});

describe('assessSecretPolicy', () => {
  const ACCOUNT = '1234567890123456';
  const policy = (principal: unknown, action: unknown = ['kms:GetSecretValue']) =>
    JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Principal: principal, Action: action, Resource: ['*'] }],
    });

  it("flags * and other accounts, not the account's own roles", () => {
    expect(assessSecretPolicy(policy({ RAM: ['*'] }), ACCOUNT).broad).toEqual(['*']);
    expect(assessSecretPolicy(policy('*'), ACCOUNT).broad).toEqual(['*']);
    expect(assessSecretPolicy(policy({ RAM: ['acs:ram::9999999999999999:role/x'] }), ACCOUNT).broad).toHaveLength(1);
    expect(assessSecretPolicy(policy({ RAM: ['acs:ram::*:*'] }, ['kms:*']), ACCOUNT).broad).toEqual(['acs:ram::*:*']);
    const own = assessSecretPolicy(
      policy({ RAM: [`acs:ram::${ACCOUNT}:role/app`, `acs:ram::${ACCOUNT}:role/ops`] }),
      ACCOUNT,
    );
    expect(own).toMatchObject({
      broad: [],
      principals: [`acs:ram::${ACCOUNT}:role/app`, `acs:ram::${ACCOUNT}:role/ops`],
    });
    // A broad principal that cannot read the value is not "broad" for this check.
    expect(assessSecretPolicy(policy({ RAM: ['*'] }, ['kms:DescribeSecret']), ACCOUNT).broad).toEqual([]);
    expect(assessSecretPolicy('not json', ACCOUNT).unparsable).toBe(true);
  });
});
