import { describe, expect, it } from 'vitest';
import { runSweep } from '../../shared/core/sweep';
import { decodeState } from '../../shared/domain/episode-tag';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

const FAR = T0 + 10 * HOUR;
const inDeleteWindow = () =>
  cloudError('Rejected.ResourceInDeleteWindow', 'TagResource', 'kms', 'The secret is planned to be deleted.', 409);

describe('sweep with a secret whose state cannot be written', () => {
  it('still assesses, alerts and writes every other secret, and counts the failed write', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms
      .put(aSecret({ secretName: 'rds/going', plannedDeleteTime: T0 + 7 * DAY }))
      .put(aSecret({ secretName: 'rds/broken', automaticRotation: 'Invalid' }));
    deps.cloud.kms.fail('TagResource', inDeleteWindow(), 100, 'rds/going');

    const summary = await runSweep(deps, { mode: 'full' }, FAR);

    expect(summary.complete).toBe(true);
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(1);
    expect(decodeState(deps.cloud.kms.tagOf('rds/broken'), 'rds/broken').state.episodes[0]).toMatchObject({
      checkId: 'rotation-failed',
      alert: { delivery: 'delivered' },
    });
    expect(deps.cloud.monitor.metrics.find((m) => m.metricName === 'kro_state_write_errors')?.value).toBe(1);
  });

  it('sends the deletion-scheduled alert exactly once over many sweeps although nothing is stored', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ secretName: 'rds/going', plannedDeleteTime: T0 + 7 * DAY }));
    deps.cloud.kms.fail('TagResource', inDeleteWindow(), 1000, 'rds/going');

    for (let i = 0; i < 5; i++) {
      await runSweep(deps, { mode: 'full' }, FAR + i * HOUR);
      deps.clock.advance(HOUR);
    }

    expect(deps.cloud.monitor.named('KmsSecretDeletionScheduled')).toHaveLength(1);
    expect(deps.cloud.kms.tagOf('rds/going')).toBeUndefined();
  });

  it('alerts again when the deletion is cancelled and scheduled anew (a new PlannedDeleteTime)', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ secretName: 'rds/going', plannedDeleteTime: T0 + 7 * DAY }));
    deps.cloud.kms.fail('TagResource', inDeleteWindow(), 1000, 'rds/going');
    await runSweep(deps, { mode: 'full' }, FAR);
    deps.clock.advance(DAY);
    deps.cloud.kms.put(aSecret({ secretName: 'rds/going', plannedDeleteTime: T0 + 20 * DAY }));

    await runSweep(deps, { mode: 'full' }, FAR + DAY);

    expect(deps.cloud.monitor.named('KmsSecretDeletionScheduled')).toHaveLength(2);
  });

  it('fails the invocation when CloudMonitor cannot be searched, rather than risk a duplicate', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ secretName: 'rds/going', plannedDeleteTime: T0 + 7 * DAY }));
    deps.cloud.kms.fail('TagResource', inDeleteWindow(), 1000, 'rds/going');
    deps.cloud.monitor.failing = true;

    await expect(runSweep(deps, { mode: 'full' }, FAR)).rejects.toMatchObject({ name: 'AlertDeliveryError' });
    expect(deps.cloud.monitor.events).toEqual([]);
  });
});
