import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleEvents } from '../../shared/core/on-event';
import { runSweep } from '../../shared/core/sweep';
import { decodeState } from '../../shared/domain/episode-tag';
import { parseEvents } from '../../shared/events/parse-event';
import { testConfig } from '../helpers/config';
import { rotationResult } from '../helpers/events';
import { HOUR, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';
import { alertFields } from '../../shared/domain/alert-text';

const failure = (id: string, secretName = 'rds/orders', at = T0) =>
  rotationResult(id, {
    secretName,
    at,
    errorCode: 'IncorrectDBInstanceState',
    errorMessage: 'instance busy',
    target: 'acs:rds:cn-hangzhou:1:dbinstance/rm-orders01',
  });
const tagState = (deps: ReturnType<typeof fakeDeps>, name = 'rds/orders') =>
  decodeState(deps.cloud.kms.tagOf(name), name).state;

describe('on-event', () => {
  it("opens the episode and sends its alert at once, as the first of its storm window, and asks for that window's flush", async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const summary = await handleEvents(deps, [failure('e1')]);
    expect(summary).toMatchObject({ processed: 1, flushRequested: true, alertsSent: 1 });
    expect(tagState(deps).episodes[0]).toMatchObject({
      checkId: 'rotation-failed',
      lastError: { code: 'IncorrectDBInstanceState' },
      alert: { delivery: 'delivered' },
    });
    const [alert] = deps.cloud.monitor.named('KmsRotationFailed');
    expect(alertFields(alert!.content)).toMatchObject({
      secretName: 'rds/orders',
      lastErrorCode: 'IncorrectDBInstanceState',
      lastErrorMessage: 'instance busy',
    });
    const [flush] = deps.cloud.invoker.to('kro-sweep');
    expect(flush).toMatchObject({
      payload: { mode: 'flush' },
      delaySeconds: 60,
      taskId: expect.stringMatching(/^flush-/),
    });
  });

  it('holds the later failures of the window, and the flush sends them as one group by error code across instances', async () => {
    const deps = fakeDeps(testConfig());
    const names = ['rds/a', 'rds/b', 'rds/c'];
    for (const [i, name] of names.entries())
      deps.cloud.kms.put(
        aSecret({
          secretName: name,
          automaticRotation: 'Invalid',
          extendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: `rm-${i}`, CustomData: {} },
        }),
      );
    // Three FC instances, one event each, different RDS instances, one error code.
    const summaries = [];
    for (const [i, name] of names.entries()) {
      const event = failure(`e${i}`, name);
      if (event.ok && event.event.kind === 'rotation-result')
        event.event.target = `acs:rds:cn-hangzhou:1:dbinstance/rm-${i}`;
      summaries.push(await handleEvents(deps, [event]));
    }
    expect(summaries.map((s) => s.alertsSent)).toEqual([1, 0, 0]);
    expect(deps.cloud.monitor.events).toHaveLength(1);
    expect(tagState(deps, 'rds/b').episodes[0]?.alert?.delivery).toBe('queued');
    expect(deps.cloud.invoker.to('kro-sweep')).toHaveLength(1);

    deps.clock.advance(60_000);
    const describes = deps.cloud.kms.count('DescribeSecret');
    await runSweep(deps, { mode: 'flush' }, T0 + HOUR);
    expect(deps.cloud.kms.count('DescribeSecret')).toBe(describes);
    const [group, ...more] = deps.cloud.monitor.named('KmsRotationFailureGroup');
    expect(more).toEqual([]);
    const content = alertFields(group!.content);
    expect(content).toMatchObject({ causeKind: 'error-code', cause: 'IncorrectDBInstanceState', affectedTotal: 2 });
    expect((content.affected as Array<{ secretName: string }>).map((a) => a.secretName)).toEqual(['rds/b', 'rds/c']);
    for (const name of names) expect(tagState(deps, name).episodes[0]?.alert?.delivery).toBe('delivered');
    expect(deps.cloud.invoker.to('kro-remediate')).toHaveLength(3);
  });

  it('leads again in the next window', async () => {
    const deps = fakeDeps(testConfig());
    for (const name of ['rds/a', 'rds/b'])
      deps.cloud.kms.put(aSecret({ secretName: name, automaticRotation: 'Invalid' }));
    await handleEvents(deps, [failure('e1', 'rds/a')]);
    deps.clock.advance(60_000);
    expect((await handleEvents(deps, [failure('e2', 'rds/b', T0 + 60_000)])).alertsSent).toBe(1);
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(2);
  });

  it('fails open: when the flush cannot be scheduled, every alert is sent at once', async () => {
    const deps = fakeDeps(testConfig());
    for (const name of ['rds/a', 'rds/b'])
      deps.cloud.kms.put(aSecret({ secretName: name, automaticRotation: 'Invalid' }));
    deps.cloud.invoker.invokeAsync = async () => {
      throw cloudError('FunctionNotFound', 'InvokeFunction', 'fc', 'function does not exist', 404);
    };
    const summary = await handleEvents(deps, [failure('e1', 'rds/a'), failure('e2', 'rds/b')]);
    expect(summary).toMatchObject({ processed: 2, alertsSent: 2, flushRequested: false });
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(2);
    for (const name of ['rds/a', 'rds/b']) expect(tagState(deps, name).episodes[0]?.alert?.delivery).toBe('delivered');
  });

  it("leaves a leading alert CloudMonitor refused to the window's flush, which delivers it once", async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    deps.cloud.monitor.failing = true;
    expect(await handleEvents(deps, [failure('e1')])).toMatchObject({ processed: 1, failed: 0, alertsSent: 0 });
    expect(tagState(deps).episodes[0]?.alert?.delivery).toBe('sending');
    deps.cloud.monitor.failing = false;
    deps.clock.advance(60_000);
    await runSweep(deps, { mode: 'flush' }, T0 + HOUR);
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(1);
    expect(tagState(deps).episodes[0]?.alert?.delivery).toBe('delivered');
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
