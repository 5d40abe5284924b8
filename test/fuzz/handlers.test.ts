/**
 * Fuzzing the handlers where outside input enters: on-event's body (EventBridge, FC destinations,
 * anyone who can invoke the function) and the state tags the sweep reads back. The handlers run
 * whole (configuration, parsing, core, a fake cloud): no input makes them throw, a valid event
 * among junk is still processed (issue 4, acceptance 10), and a malformed tag never corrupts an
 * episode: after a sweep every tag decodes cleanly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOnEventHandler } from '../../functions/on-event';
import { createSweepHandler } from '../../functions/sweep';
import type { Wiring } from '../../shared/fc/handler-kit';
import { decodeState, parseOwnState } from '../../shared/domain/episode-tag';
import type { FcContext } from '../../shared/ports/runtime';
import { aSecret, fakeCloud, TestClock, T0, DAY } from '../helpers/fakes';

const ACCOUNT = '1234567890123456';
const env = { KRO_ACCOUNT_ID: ACCOUNT, KRO_REGION_ID: 'cn-hangzhou' };
const context = (name: string): FcContext => ({
  requestId: 'req-fuzz',
  credentials: { accessKeyId: 'STS.fuzz', accessKeySecret: 'sk-fuzz-never-logged', securityToken: 'tok' },
  function: { name, timeout: 600 },
  accountId: ACCOUNT,
  region: 'cn-hangzhou',
});

function setup() {
  const clock = new TestClock(T0);
  const cloud = fakeCloud(clock);
  const wiring = async (): Promise<Wiring> => ({ createClients: () => cloud });
  const runtime = { env, clock, random: () => 0.5, writeLine: () => undefined };
  return { clock, cloud, onEvent: createOnEventHandler(runtime, wiring), sweep: createSweepHandler(runtime, wiring) };
}

const validFailure = (secretName: string) => ({
  id: `evt-${secretName}`,
  source: 'acs.kms',
  specversion: '1.0',
  type: 'kms:CloudMonitor:Secret[RotateSecret:Failure]',
  time: new Date(T0 - 60_000).toISOString(),
  aliyunaccountid: ACCOUNT,
  data: {
    product: 'KMS',
    name: 'Secret:RotateSecret:Failure',
    content: {
      secretName,
      secretType: 'Rds',
      rotationStatus: 'Invalid',
      failureInfo: { errorCode: 'InternalFailure', errorMessage: 'Internal Failure.' },
    },
  },
});

// Shaped like the events and payloads that really arrive, so the parser's deeper paths are reached.
const eventLike = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
    source: fc.oneof(fc.constant('acs.kms'), fc.string({ maxLength: 8 })),
    specversion: fc.constant('1.0'),
    type: fc.oneof(
      fc.constantFrom(
        'kms:CloudMonitor:Secret[RotateSecret:Failure]',
        'kms:CloudMonitor:Secret[RotateSecret:Success]',
        'kms:ActionTrail:ApiCall',
      ),
      fc.string({ maxLength: 10 }),
    ),
    time: fc.oneof(fc.string({ maxLength: 12 }), fc.constant('2026-10-31T23:00:00Z'), fc.integer()),
    aliyunaccountid: fc.oneof(fc.constant(ACCOUNT), fc.string({ maxLength: 16 })),
    data: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          eventName: fc.constantFrom('RotateSecret', 'DeleteSecret', 'PutSecretValue', 'X'),
          requestParameters: fc.oneof(
            fc.record({ SecretName: fc.constantFrom('rds/orders', 'rds/other', '') }),
            fc.jsonValue(),
          ),
          content: fc.jsonValue({ maxDepth: 2 }),
          resourceId: fc.string({ maxLength: 20 }),
        },
        { requiredKeys: [] },
      ),
    ),
    triggerTime: fc.jsonValue({ maxDepth: 1 }),
    requestContext: fc.jsonValue({ maxDepth: 2 }),
    requestPayload: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);
const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), eventLike);

describe('fuzzing on-event', () => {
  it('never throws, whatever bytes arrive', async () => {
    const s = setup();
    s.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          junk.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
        ),
        async (body) => {
          await expect(s.onEvent(body, context('kro-on-event'))).resolves.toBeTypeOf('object');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('still processes a valid failure event placed anywhere in a batch of junk', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { maxLength: 6 }), fc.nat(), async (others, at) => {
        const s = setup();
        s.cloud.kms.put(aSecret({ secretName: 'rds/target', automaticRotation: 'Invalid' }));
        const position = at % (others.length + 1);
        const batch = [...others.slice(0, position), validFailure('rds/target'), ...others.slice(position)];
        const result = (await s.onEvent(Buffer.from(JSON.stringify(batch)), context('kro-on-event'))) as {
          processed: number;
        };
        expect(result.processed).toBeGreaterThanOrEqual(1);
        const state = decodeState(s.cloud.kms.tagOf('rds/target'), 'rds/target');
        expect(state.warning).toBeUndefined();
        expect(state.state.episodes.some((e) => e.checkId === 'rotation-failed')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

const b36 = fc.oneof(
  fc.stringMatching(/^[0-9a-z]{1,7}$/),
  fc.stringMatching(/^[0-9a-z]{9,20}$/),
  fc.constantFrom('', '-1', 'zzzzzzzzzzzz'),
);
const tagLike = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc
    .tuple(
      b36,
      fc.array(
        fc
          .tuple(
            fc.constantFrom('a', 'b', 'c', 'z', ''),
            fc.constantFrom('o', 'r', 'e', 'x', 'q'),
            b36,
            fc.constantFrom('0', '1s', '3', '9999', 'x'),
            b36,
            fc.constantFrom('', '#2', '#zz', 'Some.Code'),
            b36,
            fc.constantFrom('', 'oq', 'es', 'rd', 'zz').chain((p) => b36.map((o) => (p ? p + o : ''))),
            fc.constantFrom('', 't:rm-1', 'cInternalFailure'),
          )
          .map((f) => f.join(',')),
        { maxLength: 3 },
      ),
    )
    .map(([started, episodes]) => ['1:' + started, ...episodes].join(';')),
);

describe('fuzzing the state tags a sweep reads back', () => {
  it('never throws on malformed tags, never touches a value it did not write, and leaves its own tags decodable with sane times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tagLike, { minLength: 1, maxLength: 4 }), async (tags) => {
        const s = setup();
        tags.forEach((tag, i) =>
          s.cloud.kms.put(
            aSecret({
              secretName: `rds/s${i}`,
              automaticRotation: i % 2 ? 'Invalid' : 'Enabled',
              lastRotationDate: T0 - 40 * DAY,
              tags: { 'kro-state': tag },
            }),
          ),
        );
        await s.sweep(Buffer.from('{"mode":"full"}'), context('kro-sweep'));
        tags.forEach((tag, i) => {
          const after = s.cloud.kms.tagOf(`rds/s${i}`);
          if (parseOwnState(tag, `rds/s${i}`) === undefined && tag !== '') {
            expect(after).toBe(tag);
            return;
          }
          const decoded = decodeState(after, `rds/s${i}`);
          expect(decoded.warning).toBeUndefined();
          for (const e of decoded.state.episodes)
            for (const at of [e.openedAt, e.lastAttemptAt, e.nextActionAt, e.alert?.at])
              if (at !== undefined) expect(Number.isNaN(new Date(at).getTime())).toBe(false);
        });
      }),
      { numRuns: 150 },
    );
  });
});
