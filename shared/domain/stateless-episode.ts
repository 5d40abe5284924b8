/**
 * Episodes whose state cannot be stored. A secret in its deletion window may refuse tag writes
 * (the emulator answers TagResource with 409 Rejected.ResourceInDeleteWindow; what the real service
 * does is UNCONFIRMED), so nothing remembers that its alert went out. Such an alert may still be
 * sent when the observation itself names the episode (a deletion is one episode per
 * PlannedDeleteTime): the id is then the same on every pass, and CloudMonitor is searched for it
 * before each send, which keeps it to one alert.
 *
 * A secret with no room for state at all (state-room.ts: the tag limit, or its tags refused for
 * good) uses the same mechanism for a failed rotation. Its episode is keyed on the last successful
 * rotation the failure follows (LastRotationDate, or "never"): every pass of one unbroken failure
 * computes the same id, so it pages once; a new failure after a later good rotation follows a new
 * LastRotationDate and opens a new alert. The key is never used when a write failed only for a
 * moment (a throttle): the next pass stores the episode under its own id and would page again.
 */
import type { Episode } from './episode';
import { episodeIdForKey } from './ids';
import type { Finding } from './types';

/** How far back CloudMonitor is searched: KMS's longest recovery window is 30 days. */
export const STATELESS_LOOKBACK_MS = 30 * 86_400_000;

/** The observation that identifies an episode by itself, when there is one (`noRoom`: the secret cannot hold state at all). */
export function episodeKeyOf(finding: Finding, noRoom = false): string | undefined {
  if (finding.checkId === 'rotation-failed' && noRoom) {
    const last = finding.evidence.lastRotationDate;
    return `failed-after@${typeof last === 'string' ? last : 'never'}`;
  }
  if (finding.checkId !== 'deletion-scheduled') return undefined;
  const planned = finding.evidence.plannedDeleteTime;
  return typeof planned === 'string' ? `planned-delete@${planned}` : undefined;
}

/** The first page of an episode: opened, or (a cause no retry fixes) escalated at once. */
function isFirstPage(episode: Episode, noRoom: boolean): boolean {
  return episode.alert?.stage === 'open' || (noRoom && episode.alert?.stage === 'escalate' && episode.attempts === 0);
}

/** The episode under its observation-derived id, if its first alert can be sent without stored state. */
export function statelessEpisode(episode: Episode, finding: Finding | undefined, noRoom = false): Episode | undefined {
  if (!finding || finding.checkId !== episode.checkId || !isFirstPage(episode, noRoom)) return undefined;
  const key = episodeKeyOf(finding, noRoom);
  return key === undefined ? undefined : { ...episode, id: episodeIdForKey(episode.secretName, episode.checkId, key) };
}
