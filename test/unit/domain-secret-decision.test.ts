import { describe, expect, it } from 'vitest';
import { awaitVerification, markAlert, openEpisode, startAttempt, type Episode } from '../../shared/domain/episode';
import {
  REMEDIATION_FAILED,
  alertSecretOf,
  applyRestoredDeletion,
  decideSecret,
  newEscalations,
} from '../../shared/domain/secret-decision';
import type { SecretState } from '../../shared/domain/episode-tag';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret } from '../helpers/fakes';

const config = testConfig();
const NAME = 'rds/orders';
const random = () => 0.5;
const failing = aSecret({ automaticRotation: 'Invalid' });
const delivered = (e: Episode) => markAlert(e, 'delivered')!;
const failedEpisode = (): Episode =>
  delivered(
    openEpisode({
      secretName: NAME,
      checkId: 'rotation-failed',
      now: T0 - HOUR,
      remediable: true,
      errorCode: 'InternalFailure',
    }),
  );
const reading = (episodes: Episode[], description = failing) => ({
  description,
  state: { episodes } satisfies SecretState,
});

describe('decideSecret', () => {
  it('decides like the sweep when nothing else was observed', () => {
    const d = decideSecret(reading([]), [], T0, config, random);
    expect(d.findings.map((f) => f.checkId)).toContain('rotation-failed');
    expect(d.state.episodes).toHaveLength(1);
    expect(d.remediations).toHaveLength(1);
    expect(d.escalations).toBe(0);
  });

  it('takes a failure reported while our attempt ran as that attempt’s outcome', () => {
    const running = awaitVerification(startAttempt(failedEpisode(), 1, T0 - 60_000), T0 + 60_000);
    const d = decideSecret(
      reading([running]),
      [{ kind: 'rotation-failure', errorCode: 'InternalFailure', errorMessage: 'boom', at: T0 }],
      T0,
      config,
      random,
    );
    const e = d.state.episodes.find((x) => x.id === running.id)!;
    expect(e).toMatchObject({ attemptStarted: false, status: 'retrying', lastError: { code: 'InternalFailure' } });
    expect(e.nextActionAt).toBeGreaterThan(T0);
    expect(d.state.errorMessage).toBe('boom');
  });

  it('leaves an attempt alone when the failure it hears of is older than the attempt', () => {
    const running = startAttempt(failedEpisode(), 1, T0);
    const d = decideSecret(
      reading([running]),
      [{ kind: 'rotation-failure', errorCode: 'InternalFailure', at: T0 - 5 * 60_000 }],
      T0,
      config,
      random,
    );
    expect(d.state.episodes.find((x) => x.id === running.id)).toMatchObject({ attemptStarted: true, attempts: 1 });
  });

  it('records the rotation target as the cause of a failure that has none', () => {
    const d = decideSecret(reading([]), [{ kind: 'rotation-target', target: 'rm-other' }], T0, config, random);
    // The finding names the secret's own instance first; the event's target only fills a gap.
    expect(d.state.episodes[0]!.cause).toBe('t:rm-orders01');
    const bare = decideSecret(
      reading([], aSecret({ automaticRotation: 'Invalid', extendedConfig: { SecretSubType: 'DoubleUsers' } })),
      [{ kind: 'rotation-target', target: 'rm-other' }],
      T0,
      config,
      random,
    );
    expect(bare.state.episodes[0]!.cause).toBe('t:rm-other');
  });

  it('escalates an episode whose remediation FC abandoned, with a scrubbed message, once', () => {
    const open = failedEpisode();
    const d = decideSecret(
      reading([open]),
      [{ kind: 'remediation-abandoned', episodeId: open.id, errorMessage: 'timed out, password=hunter2' }],
      T0,
      config,
      random,
    );
    const e = d.state.episodes.find((x) => x.id === open.id)!;
    expect(e).toMatchObject({
      status: 'escalated',
      lastError: { code: REMEDIATION_FAILED },
      alert: { stage: 'escalate', delivery: 'queued' },
    });
    expect(d.escalations).toBe(1);
    expect(JSON.stringify(d.state)).not.toContain('hunter2');
    const again = decideSecret(
      reading(d.state.episodes),
      [{ kind: 'remediation-abandoned', episodeId: open.id }],
      T0 + 1000,
      config,
      random,
    );
    expect(again.escalations).toBe(0);
  });

  it('resolves the episode whose rotation remediate verified', () => {
    const verifying = awaitVerification(startAttempt(failedEpisode(), 1, T0 - 120_000), T0);
    const healthy = aSecret({ lastRotationDate: T0 - 60_000 });
    const d = decideSecret(
      reading([verifying], healthy),
      [
        { kind: 'verification', result: { ok: true, at: T0 } },
        { kind: 'rotation-verified', episodeId: verifying.id },
      ],
      T0,
      config,
      random,
    );
    expect(d.state.episodes.find((x) => x.id === verifying.id)).toMatchObject({
      status: 'resolved',
      alert: { stage: 'resolve', delivery: 'queued' },
    });
  });

  it('asks for the announced deletion only after a restore of a secret that shows none', () => {
    expect(decideSecret(reading([], aSecret()), [{ kind: 'restore' }], T0, config, random).restoreLookup).toBe(true);
    expect(decideSecret(reading([], aSecret()), [], T0, config, random).restoreLookup).toBe(false);
    expect(
      decideSecret(reading([], aSecret({ plannedDeleteTime: T0 + 7 * DAY })), [{ kind: 'restore' }], T0, config, random)
        .restoreLookup,
    ).toBe(false);
  });

  it('appends the restored deletion as a resolved episode', () => {
    const d = decideSecret(reading([], aSecret()), [{ kind: 'restore' }], T0, config, random);
    const restored: Episode = {
      ...openEpisode({ secretName: NAME, checkId: 'deletion-scheduled', now: T0 - DAY, remediable: false }),
      status: 'resolved',
      alert: { stage: 'resolve', delivery: 'queued', at: T0 },
    };
    const after = applyRestoredDeletion(d, restored);
    expect(after.state.episodes).toContainEqual(restored);
    expect(after.restoreLookup).toBe(false);
    expect(applyRestoredDeletion(d, undefined).state.episodes).toEqual(d.state.episodes);
  });
});

describe('newEscalations', () => {
  it('counts an episode escalated now, not one that was escalated already', () => {
    const open = failedEpisode();
    const escalated: Episode = { ...open, status: 'escalated' };
    expect(newEscalations([open], [escalated])).toBe(1);
    expect(newEscalations([escalated], [escalated])).toBe(0);
  });
});

describe('alertSecretOf', () => {
  it('names the sub-type from a description and none from a listing', () => {
    expect(alertSecretOf(aSecret(), config).subType).toBe('DoubleUsers');
    expect(alertSecretOf({ secretName: NAME, secretType: 'Rds' }, config).subType).toBeUndefined();
  });
});
