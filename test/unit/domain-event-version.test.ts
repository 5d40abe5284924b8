import { describe, expect, it } from 'vitest';
import type { ApiCallEvent } from '../../shared/domain/event-types';
import { currentVersionFromCalls, EVENT_VERSION_MAX_AGE_MS } from '../../shared/domain/event-version';
import { T0 } from '../helpers/fakes';

const put = (tweak: Partial<ApiCallEvent> = {}): ApiCallEvent => ({
  kind: 'api-call',
  eventName: 'PutSecretValue',
  secretName: 'app/token',
  failed: false,
  dedupeKey: `acs.kms/${tweak.versionId ?? 'v2'}`,
  id: tweak.versionId ?? 'v2',
  source: 'acs.kms',
  at: T0,
  versionId: 'v2',
  ...tweak,
});

describe('the current version an event establishes', () => {
  it('is the PutSecretValue version, created at the call, when the record names no stages (the default is ACSCurrent)', () => {
    expect(currentVersionFromCalls([put()], T0)).toEqual({
      versionId: 'v2',
      createTime: T0,
      versionStages: ['ACSCurrent'],
    });
  });

  it('is the latest of several puts, whatever their order', () => {
    const calls = [put({ versionId: 'v3', at: T0 + 2000 }), put({ versionId: 'v2', at: T0 })];
    expect(currentVersionFromCalls(calls, T0 + 2000)?.versionId).toBe('v3');
  });

  it("is CreateSecret's first version", () => {
    expect(currentVersionFromCalls([put({ eventName: 'CreateSecret', versionId: 'v1' })], T0)?.versionId).toBe('v1');
  });

  it('ignores a put whose stages leave ACSCurrent where it was, and a refused put', () => {
    expect(currentVersionFromCalls([put({ versionStages: ['ACSNext'] })], T0)).toBeUndefined();
    expect(currentVersionFromCalls([put({ failed: true, errorCode: 'Rejected.Throttling' })], T0)).toBeUndefined();
    expect(currentVersionFromCalls([put({ versionStages: ['ACSCurrent', 'ACSNext'] })], T0)?.versionId).toBe('v2');
  });

  it.each<[string, ApiCallEvent[]]>([
    ['a stage moved in the same batch', [put(), put({ eventName: 'UpdateSecretVersionStage', versionId: 'v1' })]],
    ['a put without a VersionId', [put({ versionId: undefined })]],
    ['a VersionId longer than KMS accepts', [put({ versionId: 'x'.repeat(65) })]],
    ['a call older than the trusted age', [put({ at: T0 - EVENT_VERSION_MAX_AGE_MS - 1 })]],
    ['calls that do not make versions', [put({ eventName: 'UpdateSecretRotationPolicy' })]],
  ])('leaves it to the listing after %s', (_, calls) => {
    expect(currentVersionFromCalls(calls, T0)).toBeUndefined();
  });
});
