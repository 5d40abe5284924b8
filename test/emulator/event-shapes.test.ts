/**
 * The emulator emits rotation events and ActionTrail records in their published shapes
 * (emulator/services/event-shapes.ts), and the product's parser reads every one of them.
 */
import { describe, expect, it } from 'vitest';
import type { EventShapes } from '../../emulator/services/event-shapes';
import type { CloudEvent } from '../../emulator/types';
import { parseEvents } from '../../shared/events';
import { classify } from '../../shared/domain/retry-policy';
import { emulatorFixture } from '../helpers/emulator';

const NOW = '2026-01-01T00:00:00Z';
const ACCOUNT = '1234567890123456';

const ECS = {
  SecretName: 'acs/ecs/i-1/root',
  SecretType: 'ECS' as const,
  SecretData: '{"UserName":"root","Password":"pw-Abc123!"}',
  ExtendedConfig: { SecretSubType: 'Password', RegionId: 'cn-hangzhou', InstanceId: 'i-1' },
  EnableAutomaticRotation: true,
  RotationInterval: '7d',
};
const RDS = {
  SecretName: 'prod/orders',
  SecretType: 'Rds' as const,
  SecretData: '{"Accounts":[{"AccountName":"app","AccountPassword":"pw-Abc123!"}]}',
  ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-1' },
  EnableAutomaticRotation: true,
  RotationInterval: '7d',
};

function fixture(shapes: Partial<EventShapes> = {}) {
  return emulatorFixture({ now: NOW, quotas: false, eventShapes: shapes, seed: { Secrets: [ECS, RDS] } });
}

function published(f: ReturnType<typeof fixture>, type: string): CloudEvent[] {
  return f.emulator.bus
    .log()
    .map((r) => r.event)
    .filter((e) => e.type === type);
}

function parsedOne(event: CloudEvent) {
  const [result] = parseEvents(Buffer.from(JSON.stringify(event)), { accountId: ACCOUNT });
  if (!result?.ok) throw new Error(`rejected: ${JSON.stringify(result)}`);
  return result.event;
}

describe('rotation events in their published shapes (defaults)', () => {
  it('ECS: RotationEntityArn is the secret ARN; the product parses it and takes no target from it', async () => {
    const f = fixture();
    f.emulator.kms.setTargetDeleted(ECS.SecretName, true);
    await f.call('RotateSecret', { SecretName: ECS.SecretName, VersionId: 'v2' });
    const [event] = published(f, 'kms:CloudMonitor:Secret[RotateSecret:Failure]');
    const data = event!.data as any;
    expect(data.content.RotationEntityArn).toBe(`acs:kms:cn-hangzhou:${ACCOUNT}:secret/${ECS.SecretName}`);
    expect(data.resourceId).toBe(data.content.RotationEntityArn);
    const parsed = parsedOne(event!);
    expect(parsed).toMatchObject({
      kind: 'rotation-result',
      outcome: 'failure',
      secretName: ECS.SecretName,
      errorCode: 'InvalidInstanceId.NotFound',
    });
    expect(parsed).not.toHaveProperty('target');
  });

  it('RDS: resourceId starts with a space; success has no eventTime; both parse', async () => {
    const f = fixture();
    await f.call('RotateSecret', { SecretName: RDS.SecretName, VersionId: 'v2' });
    const [event] = published(f, 'kms:CloudMonitor:Secret[RotateSecret:Success]');
    const data = event!.data as any;
    expect(data.resourceId).toBe(` acs:kms:cn-hangzhou:${ACCOUNT}:secret/${RDS.SecretName}`);
    expect(data).not.toHaveProperty('eventTime');
    expect(parsedOne(event!)).toMatchObject({
      outcome: 'success',
      secretName: RDS.SecretName,
      at: Date.parse(NOW),
      target: `acs:rds:cn-hangzhou:${ACCOUNT}:dbinstance/rm-1`,
    });
    // RawData delivery (only `data`): still the secret, still the time.
    const [raw] = parseEvents(Buffer.from(JSON.stringify(data)), { accountId: ACCOUNT });
    expect(raw).toMatchObject({
      ok: true,
      event: { secretName: RDS.SecretName, at: Date.parse(NOW), accountId: ACCOUNT },
    });
  });

  it('Kms:<Code> when switched on; classified exactly like the bare code', async () => {
    const f = fixture({ kmsCodePrefix: true });
    f.emulator.kms.setTargetDeleted(ECS.SecretName, true);
    await f.call('RotateSecret', { SecretName: ECS.SecretName, VersionId: 'v2' });
    const [event] = published(f, 'kms:CloudMonitor:Secret[RotateSecret:Failure]');
    const parsed = parsedOne(event!) as { errorCode?: string };
    expect(parsed.errorCode).toBe('Kms:InvalidInstanceId.NotFound');
    expect(classify(parsed.errorCode)).toEqual(classify('InvalidInstanceId.NotFound'));
    expect(classify(parsed.errorCode).kind).toBe('needs-human');
  });

  it('the older shapes when switched off: instance ARN, no space, eventTime on success', async () => {
    const f = fixture({ ecsEntityIsSecret: false, rdsResourceIdLeadingSpace: false, successWithoutEventTime: false });
    await f.call('RotateSecret', { SecretName: ECS.SecretName, VersionId: 'v2' });
    await f.call('RotateSecret', { SecretName: RDS.SecretName, VersionId: 'v2' });
    const [ecs, rds] = published(f, 'kms:CloudMonitor:Secret[RotateSecret:Success]');
    expect((ecs!.data as any).content.RotationEntityArn).toBe(`acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-1`);
    expect((rds!.data as any).resourceId.startsWith('acs:')).toBe(true);
    expect((rds!.data as any).eventTime).toMatch(/^\d{8}T\d{6}\.\d{3}\+0800$/);
    expect(parsedOne(ecs!)).toMatchObject({ target: `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-1` });
  });
});

describe('ActionTrail records in their published shapes', () => {
  const API_CALL = 'kms:ActionTrail:ApiCall';

  it('eventVersion is the number 1, in LookupEvents and on the bus', async () => {
    const f = fixture();
    await f.call('RotateSecret', { SecretName: RDS.SecretName, VersionId: 'v2' });
    const [event] = published(f, API_CALL);
    expect((event!.data as any).eventVersion).toBe(1);
    expect((f.emulator.actiontrail.events()[0] as any).eventVersion).toBe(1);
    expect(parsedOne(event!)).toMatchObject({
      kind: 'api-call',
      eventName: 'RotateSecret',
      secretName: RDS.SecretName,
      versionId: 'v2',
    });
  });

  it.each([
    ['object', 'requestParameters'],
    ['json', 'requestParameterJson'],
  ] as const)('parameters as %s (%s): the product reads the secret and the VersionId', async (mode, field) => {
    const f = fixture({ actionTrailParameters: mode });
    await f.call('RotateSecret', { SecretName: RDS.SecretName, VersionId: 'v2' });
    const [event] = published(f, API_CALL);
    const data = event!.data as Record<string, unknown>;
    expect(Object.keys(data).filter((k) => k.startsWith('requestParameter'))).toEqual([field]);
    expect(parsedOne(event!)).toMatchObject({ eventName: 'RotateSecret', secretName: RDS.SecretName, versionId: 'v2' });
  });

  it('no parameters at all (the EventBridge sample): the secret comes from referencedResources', async () => {
    const f = fixture({ actionTrailParameters: 'referenced-only' });
    await f.call('RotateSecret', { SecretName: RDS.SecretName, VersionId: 'v2' });
    const [event] = published(f, API_CALL);
    const data = event!.data as Record<string, unknown>;
    expect(data).not.toHaveProperty('requestParameters');
    expect(data).not.toHaveProperty('responseElements');
    expect(data.referencedResources).toEqual({ 'ACS::KMS::Secret': [RDS.SecretName] });
    const parsed = parsedOne(event!);
    expect(parsed).toMatchObject({ eventName: 'RotateSecret', secretName: RDS.SecretName, failed: false });
    expect(parsed).not.toHaveProperty('versionId');
    // LookupEvents keeps the full record.
    expect((f.emulator.actiontrail.events()[0] as any).requestParameters.SecretName).toBe(RDS.SecretName);
  });
});
