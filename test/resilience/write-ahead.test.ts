/**
 * The failure the resilience run found (seed 8, a RAM secret): the write-ahead tag write was
 * throttled, commitPass carried on, RotateSecret was called, the instance died, and FC's retry
 * called RotateSecret again for the same attempt. Remediate must not call RotateSecret unless the
 * write-ahead is on the tag.
 */
import { describe, expect, it } from 'vitest';
import { WriteAheadNotRecordedError } from '../../shared/core/episode-store';
import { runRemediation } from '../../shared/core/remediate';
import type { RemediatePayload } from '../../shared/core/scheduling';
import { runSweep } from '../../shared/core/sweep';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

describe('the write-ahead of a remediation attempt', () => {
  it('is a precondition of RotateSecret: a failed tag write fails the invocation before the call', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid', lastRotationDate: T0 - 40 * DAY }));
    await runSweep(deps, { mode: 'full' }, T0 + HOUR);
    const payload = deps.cloud.invoker.to('kro-remediate')[0]!.payload as RemediatePayload;
    deps.clock.time = payload.notBefore!;
    deps.cloud.kms.fail(
      'TagResource',
      cloudError('Rejected.Throttling', 'TagResource', 'kms', 'QPS Limit Exceeded', 429),
      20,
    );

    await expect(runRemediation(deps, payload)).rejects.toThrow(/write-ahead/);
    await expect(runRemediation(deps, payload)).rejects.toBeInstanceOf(WriteAheadNotRecordedError);
    expect(deps.cloud.kms.count('RotateSecret')).toBe(0);

    // FC retries once the throttling is over: now the attempt is recorded, then made, once.
    deps.cloud.kms.faults.length = 0;
    expect((await runRemediation(deps, payload)).outcome).toBe('rotated');
    expect((await runRemediation(deps, payload)).outcome).toBe('noop');
    expect(deps.cloud.kms.count('RotateSecret')).toBe(1);
  });
});
