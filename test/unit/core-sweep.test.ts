import { describe, expect, it } from 'vitest';
import { runSweep } from '../../shared/core/sweep';
import { openEpisode } from '../../shared/domain/episode';
import { decodeState, encodeState } from '../../shared/domain/episode-tag';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';
import { alertFields } from '../../shared/domain/alert-text';

const FAR = T0 + 10 * HOUR;

describe('sweep', () => {
  it('opens an episode for a failed rotation: tag written, one alert, remediation scheduled', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' })).put(aSecret({ secretName: 'rds/healthy' }));
    const summary = await runSweep(deps, { mode: 'full' }, FAR);
    expect(summary).toMatchObject({
      complete: true,
      secrets: 2,
      states: { healthy: 1, critical: 1, warning: 0 },
      alertsSent: 1,
      remediationsScheduled: 1,
    });
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(1);
    const state = decodeState(deps.cloud.kms.tagOf('rds/orders'), 'rds/orders').state;
    expect(state.episodes[0]).toMatchObject({ checkId: 'rotation-failed', alert: { delivery: 'delivered' } });
    expect(deps.cloud.invoker.to('kro-remediate')[0]?.payload).toMatchObject({
      secretName: 'rds/orders',
      attempt: 1,
      phase: 'rotate',
    });
    // The healthy secret's tag holds its schedule alone (the incremental sweep's), no episode.
    expect(decodeState(deps.cloud.kms.tagOf('rds/healthy'), 'rds/healthy').state).toMatchObject({
      episodes: [],
      schedule: { nextRotation: expect.any(Number) },
    });
  });

  it('sends nothing new and writes no tag when the next sweep sees the same problem', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await runSweep(deps, { mode: 'full' }, FAR);
    const writes = deps.cloud.kms.count('TagResource');
    deps.clock.advance(600_000);
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(deps.cloud.monitor.events).toHaveLength(1);
    expect(deps.cloud.kms.count('TagResource')).toBe(writes);
  });

  it('resolves with one recovery alert and keeps only the schedule on the tag once the secret is healthy', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid', lastRotationDate: T0 - 40 * DAY }));
    await runSweep(deps, { mode: 'full' }, FAR);
    deps.clock.advance(HOUR);
    await deps.cloud.kms.rotateSecret('rds/orders', 'v-manual');
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(deps.cloud.monitor.events.map((e) => e.eventName)).toEqual(['KmsRotationFailed', 'KmsRotationRecovered']);
    const { state } = decodeState(deps.cloud.kms.tagOf('rds/orders'), 'rds/orders');
    expect(state.episodes).toEqual([]);
    expect(state.schedule).toBeDefined();
    expect(deps.cloud.kms.tagOf('rds/orders', 'kro-state-msg')).toBeUndefined();
  });

  it.each([
    ['a first-release value with an attempt count no release writes', '1:;a,x,tnsqo0,99,,,,rq0'],
    ['a version 2 value with a wrong seal', '2:0000:@a+x+tnsqo0+3++++rq1o'],
    ['a version 2 value copied from another secret', 'copied'],
  ])('never alerts from a state tag that is not ours on a healthy secret: %s', async (_, raw) => {
    const config = testConfig();
    const value =
      raw === 'copied'
        ? encodeState(
            {
              episodes: [
                {
                  ...openEpisode({ secretName: 'rds/other', checkId: 'rotation-failed', now: T0, remediable: true }),
                  status: 'resolved',
                  attempts: 3,
                  alert: { stage: 'resolve', delivery: 'queued', at: T0 + HOUR },
                },
              ],
            },
            'rds/other',
          ).value!
        : raw;
    const deps = fakeDeps(config);
    deps.cloud.kms.put(aSecret({ tags: { [config.stateTagKey]: value } }));
    await runSweep(deps, { mode: 'full' }, FAR);
    deps.clock.advance(DAY);
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(deps.cloud.monitor.events).toEqual([]);
    expect(deps.cloud.kms.tagOf('rds/orders')).toBe(value);
  });

  it('never turns throttling into a finding: the page is retried later from a cursor', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret()).put(aSecret({ secretName: 'rds/other' }));
    deps.cloud.kms.fail(
      'DescribeSecret',
      cloudError('Rejected.Throttling', 'DescribeSecret', 'kms', 'QPS Limit Exceeded', 429),
      1,
      'rds/other',
    );
    const summary = await runSweep(deps, { mode: 'full' }, FAR);
    expect(summary).toMatchObject({ complete: false, throttled: 1, cursor: { page: 1 } });
    expect(deps.cloud.monitor.events).toEqual([]);
    expect(deps.cloud.invoker.to('kro-sweep')[0]?.payload).toMatchObject({ mode: 'full', cursor: { page: 1 } });
    expect(deps.cloud.monitor.metrics.find((m) => m.metricName === 'kro_sweep_incomplete')).toBeDefined();
  });

  it('stops at its deadline and leaves a cursor for the next page', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.pageSizeLimit = 2;
    for (let i = 0; i < 5; i++) deps.cloud.kms.put(aSecret({ secretName: `rds/s${i}` }));
    const summary = await runSweep(deps, { mode: 'full' }, T0);
    expect(summary).toMatchObject({ complete: false, pages: 1, cursor: { page: 2 } });
    expect(deps.cloud.invoker.to('kro-sweep')[0]?.payload).toMatchObject({ cursor: { page: 2 } });
    const rest = await runSweep(deps, { mode: 'full', cursor: { page: 2, sweepId: 'x' } }, FAR);
    expect(rest).toMatchObject({ complete: true, pages: 2, secrets: 3 });
  });

  it('learns rotation starts from one ActionTrail lookup: a RAM rotation stuck for 50 h', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(
      aSecret({
        secretName: 'acs/ram/user/deployer',
        secretType: 'RAMCredentials',
        extendedConfig: { UserName: 'deployer' },
        lastRotationDate: T0 - 20 * DAY,
      }),
    );
    deps.cloud.actiontrail.add('RotateSecret', 'acs/ram/user/deployer', T0 - 50 * HOUR);
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(alertFields(deps.cloud.monitor.events[0]!.content).checkId).toBe('stuck-in-progress');
  });

  it('groups 500 secrets failing on one RDS instance into at most 3 alerts naming all of them', async () => {
    const deps = fakeDeps(testConfig());
    for (let i = 0; i < 500; i++)
      deps.cloud.kms.put(
        aSecret({
          secretName: `rds/app-${i}`,
          automaticRotation: 'Invalid',
          extendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-shared' },
        }),
      );
    await runSweep(deps, { mode: 'full' }, FAR);
    const events = deps.cloud.monitor.events;
    expect(events.length).toBeLessThanOrEqual(3);
    const named = new Set(
      events.flatMap((e) =>
        (alertFields(e.content).affected as Array<{ secretName: string }>).map((a) => a.secretName),
      ),
    );
    expect(named.size).toBe(500);

    deps.clock.advance(HOUR);
    for (let i = 0; i < 500; i++) await deps.cloud.kms.rotateSecret(`rds/app-${i}`, 'v-fixed');
    await runSweep(deps, { mode: 'full' }, FAR + HOUR);
    const recovered = deps.cloud.monitor.named('KmsRotationRecovered');
    expect(recovered.length).toBeLessThanOrEqual(3);
    expect(recovered.reduce((n, e) => n + (alertFields(e.content).affected as unknown[]).length, 0)).toBe(500);
    const left = [...deps.cloud.kms.secrets.values()].map((s) =>
      decodeState(s.description.tags['kro-state'], s.description.secretName),
    );
    expect(left.every((d) => d.warning === undefined && d.state.episodes.length === 0)).toBe(true);
  });

  it('publishes health metrics after a full sweep', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ nextRotationDate: T0 - 2 * HOUR, lastRotationDate: T0 - 31 * DAY }));
    await runSweep(deps, { mode: 'full' }, FAR);
    const byName = (n: string) => deps.cloud.monitor.metrics.filter((m) => m.metricName === n);
    expect(byName('kro_secrets').find((m) => m.dimensions.state === 'critical')?.value).toBe(1);
    expect(byName('kro_oldest_overdue_seconds')[0]?.value).toBe(7200);
    expect(byName('kro_sweep_duration_ms')).toHaveLength(1);
  });

  it('in dry run reads and logs but writes nothing, sends nothing, invokes nothing', async () => {
    const deps = fakeDeps(testConfig({ dryRun: true }));
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const summary = await runSweep(deps, { mode: 'full' }, FAR);
    expect(summary.states.critical).toBe(1);
    expect(
      deps.cloud.kms.calls
        .map((c) => c.action)
        .filter((a) => !['ListSecrets', 'DescribeSecret', 'ListSecretVersionIds'].includes(a)),
    ).toEqual([]);
    expect(deps.cloud.monitor.events).toEqual([]);
    expect(deps.cloud.monitor.metrics).toEqual([]);
    expect(deps.cloud.invoker.invocations).toEqual([]);
    expect(deps.logger.lines.some((l) => l.message.startsWith('dry run'))).toBe(true);
  });
});
