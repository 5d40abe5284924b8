import { describe, expect, it } from 'vitest';
import { handleEvents } from '../../shared/core/on-event';
import { runRemediation } from '../../shared/core/remediate';
import type { RemediatePayload } from '../../shared/core/scheduling';
import { runSweep } from '../../shared/core/sweep';
import { decodeState } from '../../shared/domain/episode-tag';
import { versionIdFor } from '../../shared/domain/ids';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

type Deps = ReturnType<typeof fakeDeps>;
const tagState = (deps: Deps) => decodeState(deps.cloud.kms.tagOf('rds/orders'), 'rds/orders').state;

/** A failed rotation seen by a sweep: one episode, its first attempt scheduled. */
async function openedEpisode(deps: Deps): Promise<RemediatePayload> {
  deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid', lastRotationDate: T0 - 40 * DAY }));
  await runSweep(deps, { mode: 'full' }, T0 + HOUR);
  const payload = deps.cloud.invoker.to('kro-remediate')[0]!.payload as RemediatePayload;
  deps.clock.time = payload.notBefore!; // the storm window given to the failure event
  return payload;
}

/** Runs every scheduled remediation in time order, as FC would, until none is left. */
async function drain(deps: Deps, limit = 50): Promise<string[]> {
  const outcomes: string[] = [];
  for (let done = 0; done < limit; done++) {
    const next = deps.cloud.invoker.to('kro-remediate')[done];
    if (!next) break;
    deps.clock.time = Math.max(deps.clock.time, (next.payload as RemediatePayload).notBefore ?? 0);
    outcomes.push((await runRemediation(deps, next.payload as RemediatePayload)).outcome);
  }
  return outcomes;
}

describe('remediate', () => {
  it('marks the attempt started on the tag before calling RotateSecret with the derived VersionId', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
    const seen: Array<string | undefined> = [];
    const rotate = deps.cloud.kms.rotateSecret.bind(deps.cloud.kms);
    deps.cloud.kms.rotateSecret = async (name, versionId) => {
      seen.push(deps.cloud.kms.tagOf(name));
      return rotate(name, versionId);
    };
    expect((await runRemediation(deps, payload)).outcome).toBe('rotated');
    expect(decodeState(seen[0], 'rds/orders').state.episodes[0]).toMatchObject({ attempts: 1, attemptStarted: true });
    expect(deps.cloud.kms.calls.find((c) => c.action === 'RotateSecret')?.args).toEqual({
      versionId: versionIdFor(payload.episodeId, 1),
    });
  });

  it('never calls RotateSecret twice for one attempt, even when invoked twice or after a crash', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
    deps.cloud.kms.rotateSecret = async () => {
      throw new Error('connection reset'); // the call may or may not have happened
    };
    await runRemediation(deps, payload);
    await runRemediation(deps, payload);
    expect(deps.cloud.kms.count('TagResource')).toBeGreaterThan(0);
    expect(deps.logger.lines.filter((l) => l.fields.detail === 'attempt already begun')).toHaveLength(1);
    expect(tagState(deps).episodes[0]).toMatchObject({ attempts: 1, attemptStarted: true });
  });

  it('verifies a successful attempt and resolves the episode with a queued recovery alert', async () => {
    const deps = fakeDeps(testConfig());
    await openedEpisode(deps);
    const outcomes = await drain(deps);
    expect(outcomes).toEqual(['rotated', 'verified']);
    expect(tagState(deps).episodes[0]).toMatchObject({
      status: 'resolved',
      alert: { stage: 'resolve', delivery: 'queued' },
    });
    expect(deps.cloud.invoker.to('kro-sweep').some((i) => (i.payload as { mode: string }).mode === 'flush')).toBe(true);
  });

  it('retries twice after transient failures, then resolves: one episode, distinct VersionIds', async () => {
    const deps = fakeDeps(testConfig());
    await openedEpisode(deps);
    deps.cloud.kms.fail('RotateSecret', cloudError('OperationDenied.DBInstanceStatus', 'RotateSecret'), 2);
    const outcomes = await drain(deps);
    expect(outcomes).toEqual(['failed', 'failed', 'rotated', 'verified']);
    const versionIds = deps.cloud.kms.calls
      .filter((c) => c.action === 'RotateSecret')
      .map((c) => (c.args as { versionId: string }).versionId);
    expect(new Set(versionIds).size).toBe(versionIds.length);
    expect(tagState(deps).episodes).toHaveLength(1);
  });

  it('escalates at once, without retrying, when the RDS instance is gone', async () => {
    const deps = fakeDeps(testConfig());
    await openedEpisode(deps);
    deps.cloud.kms.fail('RotateSecret', cloudError('InvalidDBInstanceId.NotFound', 'RotateSecret'), 5);
    expect(await drain(deps)).toEqual(['escalated']);
    expect(deps.cloud.kms.count('RotateSecret')).toBe(1);
    expect(tagState(deps).episodes[0]).toMatchObject({
      status: 'escalated',
      alert: { stage: 'escalate', delivery: 'delivered' },
    });
    // The escalation is the first alert of its storm window: remediate sends it at once.
    expect(deps.cloud.monitor.named('KmsRotationEscalated')).toHaveLength(1);
  });

  it('escalates when the attempts are spent', async () => {
    const deps = fakeDeps(testConfig());
    await openedEpisode(deps);
    deps.cloud.kms.fail('RotateSecret', cloudError('InternalFailure', 'RotateSecret', 'kms', 'x', 500), 10);
    expect(await drain(deps)).toEqual(['failed', 'failed', 'failed', 'escalated']);
    expect(deps.cloud.kms.count('RotateSecret')).toBe(4);
  });

  it('waits, without spending an attempt, while a rotation is already running', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
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
    expect((await runRemediation(deps, payload)).outcome).toBe('waiting');
    expect(deps.cloud.kms.count('RotateSecret')).toBe(0);
    expect(tagState(deps).episodes[0]).toMatchObject({ attempts: 0, attemptStarted: false });
  });

  it('counts a failure event during the attempt as that attempt failing', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
    deps.cloud.kms.rotationBehaviour = 'fail';
    await runRemediation(deps, payload);
    deps.clock.advance(30_000);
    await handleEvents(deps, [
      {
        ok: true,
        event: {
          kind: 'rotation-result',
          outcome: 'failure',
          secretName: 'rds/orders',
          errorCode: 'InternalFailure',
          dedupeKey: 'k/2',
          id: '2',
          source: 'acs.kms',
          at: deps.clock.now(),
        },
      },
    ]);
    expect(tagState(deps).episodes[0]).toMatchObject({
      status: 'retrying',
      attempts: 1,
      attemptStarted: false,
      lastError: { code: 'InternalFailure' },
    });
  });

  it('retries after its own accepted-then-failed rotation instead of waiting for it', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
    deps.cloud.kms.rotationBehaviour = 'fail';
    await runRemediation(deps, payload);
    const apiCall = {
      kind: 'api-call',
      eventName: 'RotateSecret',
      secretName: 'rds/orders',
      failed: false,
      dedupeKey: 'k/1',
      id: '1',
      source: 'acs.kms',
      at: deps.clock.now() + 1000,
    } as const;
    deps.clock.advance(30_000);
    await handleEvents(deps, [
      { ok: true, event: apiCall },
      {
        ok: true,
        event: {
          kind: 'rotation-result',
          outcome: 'failure',
          secretName: 'rds/orders',
          errorCode: 'InternalFailure',
          dedupeKey: 'k/2',
          id: '2',
          source: 'acs.kms',
          at: deps.clock.now(),
        },
      },
    ]);
    const next = tagState(deps).episodes[0]!;
    deps.clock.time = next.nextActionAt!;
    deps.cloud.kms.rotationBehaviour = 'succeed';
    expect((await runRemediation(deps, { ...payload, attempt: 2, notBefore: next.nextActionAt })).outcome).toBe(
      'rotated',
    );
  });

  it('defers the attempt when the deployment spent its RotateSecret budget this hour', async () => {
    const deps = fakeDeps(testConfig({ retry: { rotateBudgetPerHour: 3 } }));
    const payload = await openedEpisode(deps);
    for (let i = 0; i < 3; i++) deps.cloud.actiontrail.add('RotateSecret', `rds/x${i}`, T0 - 60_000);
    expect((await runRemediation(deps, payload)).outcome).toBe('deferred');
    expect(deps.cloud.kms.count('RotateSecret')).toBe(0);
  });

  it('does nothing for a resolved or unknown episode', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
    expect((await runRemediation(deps, { ...payload, episodeId: '0000000000' })).outcome).toBe('noop');
  });

  it('re-schedules itself when it arrives before a delay longer than FC allows', async () => {
    const deps = fakeDeps(testConfig());
    const payload = await openedEpisode(deps);
    const result = await runRemediation(deps, { ...payload, notBefore: T0 + 5 * HOUR });
    expect(result.outcome).toBe('rescheduled');
    expect(deps.cloud.invoker.to('kro-remediate').at(-1)?.delaySeconds).toBe(3600);
  });

  it('in dry run calls no RotateSecret and writes nothing', async () => {
    const deps = fakeDeps(testConfig({ dryRun: true }));
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await runSweep(deps, { mode: 'full' }, T0 + HOUR);
    const result = await runRemediation(deps, {
      secretName: 'rds/orders',
      episodeId: 'abcdefabcd',
      attempt: 1,
      phase: 'rotate',
    });
    expect(result.outcome).toBe('noop');
    expect(deps.cloud.kms.count('RotateSecret') + deps.cloud.kms.count('TagResource')).toBe(0);
  });
});
