/** What the parser makes of each published variant in test/fixtures/events/ (field by field). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../shared/domain/retry-policy';
import { parseEvents } from '../../shared/events';

const ACCOUNT = '1234567890123456';
const parse = (file: string) => {
  const [result] = parseEvents(readFileSync(path.resolve(__dirname, '..', 'fixtures', 'events', file)), {
    accountId: ACCOUNT,
  });
  if (!result?.ok) throw new Error(`${file} rejected: ${JSON.stringify(result)}`);
  return result.event as unknown as Record<string, unknown>;
};

describe('published rotation-event variants', () => {
  it('RDS with a leading space in resourceId and a Kms: code', () => {
    const e = parse('rotation-failure-rds-leading-space-kms-code.json');
    expect(e).toMatchObject({
      outcome: 'failure',
      secretName: 'prod/orders-db',
      accountId: ACCOUNT,
      errorCode: 'Kms:InvalidDBInstanceId.NotFound',
    });
    expect(e.target).toBe(`acs:rds:cn-hangzhou:${ACCOUNT}:dbinstance/rm-bp1orders01`);
    expect(classify(e.errorCode as string).kind).toBe('needs-human');
  });

  it('ECS naming the secret as RotationEntityArn: no target is invented from it', () => {
    const e = parse('rotation-failure-ecs-secret-arn.json');
    expect(e).toMatchObject({
      outcome: 'failure',
      secretName: 'acs/ecs/prod/web-01/root',
      errorCode: 'InvalidInstanceId.NotFound',
    });
    expect(e).not.toHaveProperty('target');
  });

  it('"being rotated" in the FAQ wording waits, it is not a failed attempt', () => {
    const e = parse('rotation-failure-being-rotated.json');
    expect(classify(e.errorCode as string, e.errorMessage as string)).toMatchObject({ kind: 'retryable', wait: true });
  });

  it('success without eventTime takes successTime', () => {
    expect(parse('rotation-success-ecs-no-event-time.json')).toMatchObject({
      outcome: 'success',
      at: Date.parse('2026-11-22T11:30:08Z'),
    });
  });

  it('RawData success: the account comes from the trimmed resourceId', () => {
    expect(parse('rotation-success-rds-rawdata.json')).toMatchObject({
      outcome: 'success',
      secretName: 'prod/orders-db',
      accountId: ACCOUNT,
      at: Date.parse('2026-11-22T11:30:09Z'),
    });
  });

  it('refuses a leading-space resourceId of another account (the trim does not hide it)', () => {
    const body = JSON.parse(
      readFileSync(path.resolve(__dirname, '..', 'fixtures', 'events', 'rotation-success-rds-rawdata.json'), 'utf8'),
    );
    body.resourceId = ' acs:kms:cn-hangzhou:9999999999999999:secret/prod/orders-db';
    expect(parseEvents(JSON.stringify(body), { accountId: ACCOUNT })[0]).toMatchObject({
      ok: false,
      reason: 'foreign-account',
    });
  });
});

describe('published ActionTrail variants', () => {
  it('the EventBridge sample shape: no requestParameters, the secret from referencedResources', () => {
    expect(parse('actiontrail-eventbridge-sample-rotatesecret.json')).toMatchObject({
      kind: 'api-call',
      eventName: 'RotateSecret',
      secretName: 'prod/orders-db',
      failed: false,
      at: Date.parse('2026-11-22T11:30:10Z'),
    });
  });

  it('root-account with numbers and booleans in requestParameters', () => {
    expect(parse('actiontrail-root-account-numbers.json')).toMatchObject({
      eventName: 'DeleteSecret',
      secretName: 'prod/webhook-key',
      principalId: ACCOUNT,
    });
  });

  it('ram-user with requestParameterJson', () => {
    expect(parse('actiontrail-ram-user-request-parameter-json.json')).toMatchObject({
      eventName: 'PutSecretValue',
      secretName: 'prod/webhook-key',
      versionId: 'v20261122',
    });
  });

  it('assumed-role, RawData, the secret named by ARN', () => {
    expect(parse('actiontrail-assumed-role-rawdata.json')).toMatchObject({
      eventName: 'RotateSecret',
      secretName: 'acs/ecs/prod/web-01/root',
      versionId: 'ops-20261122',
      accountId: ACCOUNT,
    });
  });

  it('a record naming no secret anywhere is still malformed, and says where it looked', () => {
    const body = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '..', 'fixtures', 'events', 'actiontrail-eventbridge-sample-rotatesecret.json'),
        'utf8',
      ),
    );
    body.data.referencedResources = { 'ACS::ECS::Instance': ['i-1'] };
    expect(parseEvents(JSON.stringify(body), { accountId: ACCOUNT })[0]).toMatchObject({
      ok: false,
      reason: 'malformed',
      detail: expect.stringContaining('referencedResources'),
    });
  });

  it('two secrets in referencedResources without parameters is ambiguous: malformed, not a guess', () => {
    const body = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '..', 'fixtures', 'events', 'actiontrail-eventbridge-sample-rotatesecret.json'),
        'utf8',
      ),
    );
    body.data.referencedResources = { 'ACS::KMS::Secret': ['a', 'b'] };
    expect(parseEvents(JSON.stringify(body), { accountId: ACCOUNT })[0]).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});
