/** on-event's side of untrusted events: what the parse layer refuses is logged at warn with why; nothing is touched. */
import { describe, expect, it } from 'vitest';
import { handleEvents } from '../../shared/core/on-event';
import { parseEvents } from '../../shared/events';
import { testConfig } from '../helpers/config';
import { T0, aSecret, fakeDeps } from '../helpers/fakes';

const ACCOUNT = '1234567890123456';
const cloudEvent = (type: string, tweak: Record<string, unknown> = {}) => ({
  id: 'ev-1',
  source: 'acs.kms',
  specversion: '1.0',
  type,
  time: new Date(T0).toISOString(),
  aliyunaccountid: ACCOUNT,
  aliyunregionid: 'cn-hangzhou',
  data: {
    product: 'KMS',
    name: 'Secret:RotateSecret:Failure',
    content: {
      eventId: 'x',
      secretName: 'rds/orders',
      secretType: 'Rds',
      rotationStatus: 'Invalid',
      failureInfo: { errorCode: 'InternalFailure', errorMessage: 'x' },
    },
  },
  ...tweak,
});
const FAILURE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';

async function handle(events: unknown[]) {
  const deps = fakeDeps(testConfig());
  deps.cloud.kms.put(aSecret());
  const summary = await handleEvents(
    deps,
    parseEvents(JSON.stringify(events), { accountId: ACCOUNT, regionId: 'cn-hangzhou', now: T0 }),
  );
  return { deps, summary };
}

describe('on-event with untrusted events', () => {
  it('logs an unknown event type at warn, naming the type, so a wrong subscription is seen', async () => {
    const { deps, summary } = await handle([cloudEvent('kms:Config:NonCompliantNotification')]);
    expect(summary).toMatchObject({ rejected: 1, processed: 0 });
    const line = deps.logger.lines.find((l) => l.fields.reason === 'unknown-type');
    expect(line?.level).toBe('warn');
    expect(String(line?.fields.detail)).toContain('kms:Config:NonCompliantNotification');
  });

  it('refuses a future-dated and a foreign-region event at warn with the reason, and touches no secret', async () => {
    const { deps, summary } = await handle([
      cloudEvent(FAILURE, { time: '2099-01-01T00:00:00Z' }),
      cloudEvent(FAILURE, { id: 'ev-2', aliyunregionid: 'cn-shanghai' }),
    ]);
    expect(summary).toMatchObject({ rejected: 2, processed: 0 });
    expect(deps.logger.lines.filter((l) => l.level === 'warn').map((l) => l.fields.reason)).toEqual([
      'future-dated',
      'foreign-region',
    ]);
    expect(deps.cloud.kms.count('DescribeSecret')).toBe(0);
    expect(deps.cloud.kms.tagOf('rds/orders')).toBeUndefined();
  });

  it('keeps an irrelevant API call at debug: it is expected traffic, not a problem', async () => {
    const record = {
      eventId: 'at-1',
      eventName: 'GetSecretValue',
      eventTime: new Date(T0).toISOString(),
      acsRegion: 'cn-hangzhou',
      serviceName: 'Kms',
      requestParameters: { SecretName: 'rds/orders' },
      userIdentity: { accountId: ACCOUNT },
    };
    const { deps } = await handle([cloudEvent('kms:ActionTrail:ApiCall', { data: record })]);
    expect(deps.logger.lines.find((l) => l.fields.reason === 'irrelevant')?.level).toBe('debug');
  });
});
