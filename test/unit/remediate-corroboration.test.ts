/** remediate's last line of defence (issue 13): no RotateSecret unless the secret itself, read just before, corroborates. */
import { describe, expect, it } from 'vitest';
import { handleEvents } from '../../shared/core/on-event';
import { runRemediation } from '../../shared/core/remediate';
import type { RemediatePayload } from '../../shared/core/scheduling';
import { runSweep } from '../../shared/core/sweep';
import { decodeState } from '../../shared/domain/episode-tag';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret, fakeDeps } from '../helpers/fakes';

describe('remediate and corroboration', () => {
  it('does not call RotateSecret once DescribeSecret shows a healthy rotation: the episode resolves and nothing more is scheduled', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid', lastRotationDate: T0 - 10 * DAY }));
    const failure = {
      kind: 'rotation-result' as const,
      outcome: 'failure' as const,
      dedupeKey: 'acs.kms/e1',
      id: 'e1',
      source: 'acs.kms',
      at: T0,
      secretName: 'rds/orders',
      errorCode: 'InternalFailure',
    };
    await handleEvents(deps, [{ ok: true, event: failure }]);
    deps.clock.advance(60_000);
    await runSweep(deps, { mode: 'flush' }, T0 + HOUR);
    const payload = deps.cloud.invoker.to('kro-remediate')[0]!.payload as RemediatePayload;
    deps.clock.time = payload.notBefore!;
    // Meanwhile an operator turned automatic rotation back on: KMS rotates on its own schedule now.
    const tags = { ...aSecret().tags, 'kro-state': deps.cloud.kms.tagOf('rds/orders')! };
    deps.cloud.kms.put(
      aSecret({ automaticRotation: 'Enabled', lastRotationDate: T0 - 10 * DAY, nextRotationDate: T0 + 5 * DAY, tags }),
    );

    // The secret's own reading is the source of truth: the failure only the event reported is over.
    const summary = await runRemediation(deps, payload);
    expect(summary.outcome).toBe('resolved');
    expect(deps.cloud.kms.count('RotateSecret')).toBe(0);
    const episodes = decodeState(deps.cloud.kms.tagOf('rds/orders'), 'rds/orders').state.episodes;
    expect(episodes.filter((e) => e.status !== 'resolved')).toEqual([]);
    expect(deps.cloud.invoker.to('kro-remediate')).toHaveLength(1);
  });
});
