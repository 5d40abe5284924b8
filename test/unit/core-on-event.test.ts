import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleEvents } from '../../shared/core/on-event';
import { runSweep } from '../../shared/core/sweep';
import { decodeState } from '../../shared/domain/episode-tag';
import type { ParseResult } from '../../shared/domain/event-types';
import { parseEvents } from '../../shared/events/parse-event';
import { testConfig } from '../helpers/config';
import { HOUR, T0, aSecret, fakeDeps } from '../helpers/fakes';

const failure = (id: string, secretName = 'rds/orders', at = T0): ParseResult => ({
  ok: true,
  event: {
    kind: 'rotation-result',
    outcome: 'failure',
    dedupeKey: `acs.kms/${id}`,
    id,
    source: 'acs.kms',
    at,
    secretName,
    secretType: 'Rds',
    errorCode: 'IncorrectDBInstanceState',
    errorMessage: 'instance busy',
    target: 'acs:rds:cn-hangzhou:1:dbinstance/rm-orders01',
    rotationStatus: 'Invalid',
  },
});
const tagState = (deps: ReturnType<typeof fakeDeps>, name = 'rds/orders') =>
  decodeState(deps.cloud.kms.tagOf(name), name).state;

describe('on-event', () => {
  it('opens the episode at once with its alert queued and asks for one flush', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const summary = await handleEvents(deps, [failure('e1')]);
    expect(summary).toMatchObject({ processed: 1, flushRequested: true });
    expect(tagState(deps).episodes[0]).toMatchObject({
      checkId: 'rotation-failed',
      lastError: { code: 'IncorrectDBInstanceState' },
      alert: { delivery: 'queued' },
    });
    expect(deps.cloud.monitor.events).toEqual([]);
    const [flush] = deps.cloud.invoker.to('kro-sweep');
    expect(flush).toMatchObject({
      payload: { mode: 'flush' },
      delaySeconds: 60,
      taskId: expect.stringMatching(/^flush-/),
    });
  });

  it('the flush sends the queued alert and schedules the remediation without describing secrets', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await handleEvents(deps, [failure('e1')]);
    deps.clock.advance(60_000);
    const describes = deps.cloud.kms.count('DescribeSecret');
    await runSweep(deps, { mode: 'flush' }, T0 + HOUR);
    expect(deps.cloud.kms.count('DescribeSecret')).toBe(describes);
    const [alert] = deps.cloud.monitor.named('KmsRotationFailed');
    expect(JSON.parse(alert!.content)).toMatchObject({
      lastErrorCode: 'IncorrectDBInstanceState',
      lastErrorMessage: 'instance busy',
    });
    expect(deps.cloud.invoker.to('kro-remediate')).toHaveLength(1);
  });

  it('processes duplicates once and ends in the same state whatever the order', async () => {
    const a = fakeDeps(testConfig());
    const b = fakeDeps(testConfig());
    for (const d of [a, b]) d.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const events = [failure('e1'), failure('e2', 'rds/orders', T0 - 60_000)];
    const sa = await handleEvents(a, [...events, ...events]);
    await handleEvents(b, [...events].reverse());
    await handleEvents(b, events);
    expect(sa.duplicates).toBe(2);
    expect(a.cloud.kms.tagOf('rds/orders')).toBe(b.cloud.kms.tagOf('rds/orders'));
  });

  it('records a RotateSecret call as a rotation start', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret());
    await handleEvents(deps, [
      {
        ok: true,
        event: {
          kind: 'api-call',
          eventName: 'RotateSecret',
          secretName: 'rds/orders',
          failed: false,
          dedupeKey: 'k/1',
          id: '1',
          source: 'acs.kms',
          at: T0,
        },
      },
    ]);
    expect(tagState(deps).rotationStartedAt).toBe(T0);
  });

  it('logs a malformed or foreign event and still processes the valid one next to it', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const summary = await handleEvents(deps, [
      { ok: false, reason: 'malformed', detail: 'not JSON' },
      { ok: false, reason: 'foreign-account', detail: 'account 999' },
      failure('e1'),
    ]);
    expect(summary).toMatchObject({ rejected: 2, processed: 1 });
    expect(deps.logger.lines.some((l) => l.message === 'event from another account refused')).toBe(true);
  });

  it('keeps going when one secret cannot be read', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const summary = await handleEvents(deps, [failure('e0', 'rds/deleted'), failure('e1')]);
    expect(summary.processed).toBe(2);
    expect(tagState(deps).episodes).toHaveLength(1);
  });

  it('never throws on arbitrary bytes, and a valid event mixed in is still processed', async () => {
    const valid = {
      id: 'ev-1',
      source: 'acs.kms',
      specversion: '1.0',
      type: 'kms:CloudMonitor:Secret[RotateSecret:Failure]',
      time: '2026-11-01T00:00:00Z',
      aliyunaccountid: '1234567890123456',
      data: {
        product: 'KMS',
        name: 'Secret:RotateSecret:Failure',
        eventTime: '20261101T000000.000+0800',
        content: {
          eventId: 'x',
          secretName: 'rds/orders',
          secretType: 'Rds',
          rotationStatus: 'Invalid',
          failureInfo: { errorCode: 'InternalFailure', errorMessage: 'x' },
        },
      },
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.jsonValue(), fc.string())), async (junk) => {
        const deps = fakeDeps(testConfig());
        deps.cloud.kms.put(aSecret());
        const summary = await handleEvents(
          deps,
          parseEvents(JSON.stringify([...junk, valid]), { accountId: '1234567890123456' }),
        );
        return summary.processed >= 1 && tagState(deps).episodes.some((e) => e.checkId === 'rotation-failed');
      }),
      { numRuns: 50 },
    );
  });
});
