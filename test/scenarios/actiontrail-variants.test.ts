/**
 * Issue 12 acceptance: the EventBridge documentation's ActionTrail sample (no requestParameters,
 * the resource only in referencedResources; https://alibabacloud.com/help/en/eventbridge/user-guide/actiontrail-events)
 * for a RotateSecret on an existing secret records the rotation start on the secret's state.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../emulator/types';
import { aSecret, MINUTE, startScenario } from '../helpers/scenario';

const SAMPLE = path.resolve(__dirname, '..', 'fixtures', 'events', 'actiontrail-eventbridge-sample-rotatesecret.json');
const SECRET = 'prod/ci-key';

/** The documented sample, naming this scenario's secret at this scenario's time. */
function sampleFor(secretName: string, at: number): CloudEvent {
  const event = JSON.parse(readFileSync(SAMPLE, 'utf8')) as CloudEvent & { data: Record<string, unknown> };
  const iso = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  expect(event.data).not.toHaveProperty('requestParameters');
  return {
    ...event,
    subject: `acs.kms:cn-hangzhou:1234567890123456:secret/${secretName}`,
    time: iso,
    aliyunpublishtime: iso,
    data: { ...event.data, eventTime: iso, referencedResources: { 'ACS::KMS::Secret': [secretName] } },
  };
}

describe('an ActionTrail RotateSecret record without requestParameters', () => {
  it('records the rotation start (the EventBridge documentation sample)', async () => {
    const s = await startScenario({ secrets: [aSecret(SECRET, 'ram', { Faults: [{ Kind: 'RotationStuck' }] })] });
    await s.advance(5 * MINUTE);
    // A rotation KMS runs for someone else: no API call of ours, so only the event can tell.
    await s.emulator.kms.rotateNow(SECRET, 'immediate');
    const started = Math.floor(s.now() / 1000) * 1000;
    s.emulator.bus.publish(sampleFor(SECRET, started));
    await s.advance(MINUTE);

    const done = s.logRecords('invocation done').filter((r) => r.functionName === 'kro-on-event');
    expect(done.map((r) => r.result)).toContainEqual(
      expect.objectContaining({ received: 1, processed: 1, rejected: 0 }),
    );
    expect(s.logRecords('event skipped')).toEqual([]);
    expect(s.state(SECRET).rotationStartedAt).toBe(started);
    expect(s.calls('RotateSecret')).toEqual([]);
  });

  it('records it too when the emulator itself delivers records in that shape (actionTrailParameters: referenced-only)', async () => {
    const s = await startScenario({
      secrets: [aSecret(SECRET, 'ram', { Faults: [{ Kind: 'RotationStuck' }] })],
      emulator: { eventShapes: { actionTrailParameters: 'referenced-only' } },
    });
    await s.advance(5 * MINUTE);
    const started = Math.floor(s.now() / 1000) * 1000;
    expect((await s.operatorCall('RotateSecret', { SecretName: SECRET, VersionId: 'ops-manual-1' })).status).toBe(200);
    const delivered = s.emulator.bus
      .log()
      .filter((r) => r.event.type === 'kms:ActionTrail:ApiCall')
      .map((r) => r.event.data as Record<string, unknown>);
    expect(delivered.map((d) => [d.eventName, 'requestParameters' in d])).toEqual([['RotateSecret', false]]);
    await s.advance(MINUTE);

    expect(s.logRecords('event skipped')).toEqual([]);
    expect(s.state(SECRET).rotationStartedAt).toBe(started);
  });
});
