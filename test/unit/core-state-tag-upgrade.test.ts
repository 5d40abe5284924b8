/**
 * The upgrade as a sweep lives it: a secret tagged by the first release keeps its episode (no
 * second page for a problem already announced), and the sweep rewrites both tags in the format
 * KMS documents.
 */
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/state-tag-v1.json';
import { runSweep } from '../../shared/core/sweep';
import { decodeMessage, decodeState } from '../../shared/domain/episode-tag';
import { TAG_VALUE_PATTERN } from '../../shared/domain/tag-alphabet';
import { testConfig } from '../helpers/config';
import { HOUR, T0, aSecret, fakeDeps } from '../helpers/fakes';

const announced = fixture.cases.find((c) => c.name === 'retrying with a remind alert delivered')!;

describe('a sweep after the upgrade', () => {
  it('keeps the episode of a first-release tag, pages nobody again, and rewrites both tags in the current format (the state as version 3, with its schedule)', async () => {
    const name = announced.secretName;
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(
      aSecret({
        secretName: name,
        automaticRotation: 'Invalid',
        tags: { 'kro-state': announced.tags.state!, 'kro-state-msg': 'The instance is busy, try again later' },
      }),
    );
    deps.clock.advance(4 * HOUR);
    await runSweep(deps, { mode: 'full' }, T0 + 10 * HOUR);

    expect(deps.cloud.monitor.named('KmsRotationFailed')).toHaveLength(0);
    const tag = deps.cloud.kms.tagOf(name)!;
    expect(tag).toMatch(/^3:/);
    expect(tag).toMatch(TAG_VALUE_PATTERN);
    const before = announced.decodedState.episodes[0]!;
    const after = decodeState(tag, name).state.episodes;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, checkId: 'rotation-failed', openedAt: before.openedAt });
    expect(after[0]!.attempts).toBeGreaterThanOrEqual(before.attempts);
    const message = deps.cloud.kms.tagOf(name, 'kro-state-msg')!;
    expect(message).toMatch(/^2:/);
    expect(message).toMatch(TAG_VALUE_PATTERN);
    expect(decodeMessage(message)).toBe('The instance is busy, try again later');
  });
});
