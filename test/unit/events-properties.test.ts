import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../shared/events';

const ACCOUNT = '1234567890123456';

const validFailure = {
  id: 'evt-valid',
  source: 'acs.kms',
  specversion: '1.0',
  type: 'kms:CloudMonitor:Secret[RotateSecret:Failure]',
  aliyunaccountid: ACCOUNT,
  time: '2020-11-19T21:04:41+08:00',
  data: {
    product: 'KMS',
    resourceId: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/db_prod`,
    content: {
      secretName: 'db_prod',
      failureInfo: { errorCode: 'InternalFailure' },
      failureTime: '2012-03-12T05:55:36Z',
    },
  },
};

// Values shaped like events, so the generator reaches the deeper parsers and not only the first guard.
const eventLike = fc.record(
  {
    id: fc.oneof(fc.string(), fc.constant('evt'), fc.integer()),
    source: fc.oneof(fc.constant('acs.kms'), fc.string()),
    type: fc.oneof(
      fc.constantFrom(
        'kms:CloudMonitor:Secret[RotateSecret:Failure]',
        'kms:CloudMonitor:Secret[RotateSecret:Success]',
        'kms:ActionTrail:ApiCall',
      ),
      fc.string(),
    ),
    aliyunaccountid: fc.oneof(fc.constant(ACCOUNT), fc.string(), fc.integer()),
    time: fc.oneof(fc.string(), fc.constant('2020-11-19T21:04:42.179PRC'), fc.integer()),
    data: fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          eventName: fc.string(),
          requestParameters: fc.jsonValue(),
          content: fc.jsonValue(),
          resourceId: fc.string(),
          eventTime: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    ),
    triggerTime: fc.jsonValue(),
    triggerName: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('parseEvents properties', () => {
  it('never throws on arbitrary bytes, and yields at least one result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const results = parseEvents(Buffer.from(bytes), { accountId: ACCOUNT });
        expect(results.length).toBeGreaterThanOrEqual(Array.isArray(safeJson(bytes)) ? 0 : 1);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary JSON or event-shaped objects', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), eventLike), (value) => {
        const results = parseEvents(JSON.stringify(value) ?? 'null', { accountId: ACCOUNT });
        for (const result of results) if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('still parses a valid event placed anywhere among junk in a batch', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), eventLike), { maxLength: 8 }), fc.nat(), (junk, at) => {
        const position = at % (junk.length + 1);
        const batch = [...junk.slice(0, position), validFailure, ...junk.slice(position)];
        const results = parseEvents(Buffer.from(JSON.stringify(batch)), { accountId: ACCOUNT });
        expect(results).toHaveLength(batch.length);
        const mine = results[position]!;
        expect(mine.ok && mine.event.kind === 'rotation-result' && mine.event.dedupeKey).toBe('acs.kms/evt-valid');
      }),
      { numRuns: 300 },
    );
  });

  it('does not throw on deeply nested input', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseEvents(deep, {})).not.toThrow();
  });
});

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
