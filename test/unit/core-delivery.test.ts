import { describe, expect, it } from 'vitest';
import { runSweep } from '../../shared/core/sweep';
import { decodeState } from '../../shared/domain/episode-tag';
import { testConfig } from '../helpers/config';
import { HOUR, T0, aSecret, fakeDeps } from '../helpers/fakes';

const FAR = T0 + 10 * HOUR;
const alertOf = (deps: ReturnType<typeof fakeDeps>) =>
  decodeState(deps.cloud.kms.tagOf('rds/orders'), 'rds/orders').state.episodes[0]?.alert;

/** Look-ups of alert ids (the sweep's degraded-alert history read is not one: core/degraded.ts). */
const alertLookups = (deps: { cloud: { monitor: { lookups: string[] } } }) =>
  deps.cloud.monitor.lookups.filter((k) => k !== 'kro-degraded');

describe('alert delivery', () => {
  it('keeps the alert pending on the tag and fails the invocation when CloudMonitor is down', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    deps.cloud.monitor.failing = true;
    await expect(runSweep(deps, { mode: 'full' }, FAR)).rejects.toThrow(/CloudMonitor did not accept/);
    expect(alertOf(deps)).toMatchObject({ stage: 'open', delivery: 'sending' });
    expect(deps.cloud.invoker.to('kro-remediate')).toHaveLength(1); // remediation does not wait for the pager
  });

  it('delivers a pending alert exactly once after CloudMonitor recovers', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    deps.cloud.monitor.failing = true;
    await expect(runSweep(deps, { mode: 'full' }, FAR)).rejects.toThrow();
    await expect(runSweep(deps, { mode: 'full' }, FAR)).rejects.toThrow();
    deps.cloud.monitor.failing = false;
    await runSweep(deps, { mode: 'full' }, FAR);
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(1);
    expect(alertOf(deps)?.delivery).toBe('delivered');
  });

  it('does not re-send an alert CloudMonitor stored although the reply was lost', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    deps.cloud.monitor.loseReply = true;
    await expect(runSweep(deps, { mode: 'full' }, FAR)).rejects.toThrow();
    deps.cloud.monitor.loseReply = false;
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(1);
    expect(alertLookups(deps)).toHaveLength(1);
    expect(alertOf(deps)?.delivery).toBe('delivered');
  });

  it('settles a whole lost group with one lookup', async () => {
    const deps = fakeDeps(testConfig());
    for (let i = 0; i < 20; i++) deps.cloud.kms.put(aSecret({ secretName: `rds/g${i}`, automaticRotation: 'Invalid' }));
    deps.cloud.monitor.loseReply = true;
    await expect(runSweep(deps, { mode: 'full' }, FAR)).rejects.toThrow();
    deps.cloud.monitor.loseReply = false;
    await runSweep(deps, { mode: 'full' }, FAR);
    expect(deps.cloud.monitor.events).toHaveLength(1);
    expect(alertLookups(deps)).toHaveLength(1);
  });

  it('never puts a secret value in an alert or a metric', async () => {
    const deps = fakeDeps(testConfig());
    const value = 'S3cr3t-Value-Of-The-Db-Password';
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await runSweep(deps, { mode: 'full' }, FAR);
    const everything = JSON.stringify([deps.cloud.monitor.events, deps.cloud.monitor.metrics, deps.logger.lines]);
    expect(everything).not.toContain(value);
    expect(everything).not.toContain('not-a-real-value');
  });
});
