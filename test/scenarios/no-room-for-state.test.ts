/**
 * Issue 12: a secret that already carries the maximum number of tags (20, CreateSecret `Tags`) has
 * no room for the state tag. Its alerts still go out, each once: the failure under an id derived
 * from what is observed (stateless-episode.ts), looked up in CloudMonitor before every send, and
 * the recovery once CloudMonitor has the failure and no recovery after it.
 */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, START_MS, startScenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

const SECRET = 'prod/full';
// Due between two sweeps, so the failure event is the first to see the failure.
const dueInAnHour = new Date(START_MS - 7 * DAY + HOUR + 5 * 60_000).toISOString();
/** The documented maximum: env=prod plus 19 of the team's own. */
const FULL_TAGS: Record<string, string> = {
  env: 'prod',
  ...Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`team-tag-${i}`, `v${i}`])),
};

describe('a secret with no room for the state tag', () => {
  it('gets exactly one failure alert and, after a later good rotation, exactly one recovery', async () => {
    const s = await startScenario({
      secrets: [
        aSecret(SECRET, 'rds', {
          Tags: FULL_TAGS,
          LastRotationDate: dueInAnHour,
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
        }),
      ],
    });
    expect(Object.keys(s.rawTags(SECRET))).toHaveLength(20);
    // The scheduled rotation fails; the event path and several sweeps see it.
    await s.advance(8 * HOUR);

    expect(s.history(SECRET).map((h) => h.outcome)).toEqual(['failure']);
    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([['KmsRotationFailed', [SECRET]]]);
    // Write-ahead: without the tag the orchestrator never rotates.
    expect(s.calls('RotateSecret')).toEqual([]);
    const failed = alertFields(s.alerts()[0]!.content) as Record<string, unknown>;
    expect(String(failed.runbook)).toMatch(/state cannot be stored: remove a tag/);
    // Nothing of ours on the secret: it still holds exactly the team's 20 tags.
    expect(s.rawTags(SECRET)).toEqual(FULL_TAGS);
    expect(s.logRecords('no room for the state tag').length).toBeGreaterThan(0);
    expect(s.calls('PutCustomMetric').some((c) => JSON.stringify(c.params).includes('kro_state_unwritable'))).toBe(
      true,
    );
    // Both paths saw it: the failure event, and sweep after sweep; still one page.
    expect(s.invocations('kro-on-event').length).toBeGreaterThan(0);
    expect(s.invocations('kro-sweep').length).toBeGreaterThan(2);

    // The team rotates it by hand; later sweeps and the success event see it healthy.
    expect((await s.operatorCall('RotateSecret', { SecretName: SECRET, VersionId: 'ops-manual-1' })).status).toBe(200);
    await s.advance(8 * HOUR);

    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([
      ['KmsRotationFailed', [SECRET]],
      ['KmsRotationRecovered', [SECRET]],
    ]);
    const episodeIds = s.alerts().map((a) => (alertFields(a.content) as { episodeId: string }).episodeId);
    expect(new Set(episodeIds).size).toBe(1);
    expect(s.rawTags(SECRET)).toEqual(FULL_TAGS);
  });
});
