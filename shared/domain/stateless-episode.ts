/**
 * Episodes whose state cannot be stored. A secret in its deletion window may refuse tag writes
 * (the emulator answers TagResource with 409 Rejected.ResourceInDeleteWindow; what the real service
 * does is UNCONFIRMED), so nothing remembers that its alert went out. Such an alert may still be
 * sent when the observation itself names the episode (a deletion is one episode per
 * PlannedDeleteTime): the id is then the same on every pass, and CloudMonitor is searched for it
 * before each send, which keeps it to one alert.
 */
import type { Episode } from './episode';
import { episodeIdForKey } from './ids';
import type { Finding } from './types';

/** How far back CloudMonitor is searched: KMS's longest recovery window is 30 days. */
export const STATELESS_LOOKBACK_MS = 30 * 86_400_000;

/** The observation that identifies an episode by itself, when there is one. */
export function episodeKeyOf(finding: Finding): string | undefined {
  if (finding.checkId !== 'deletion-scheduled') return undefined;
  const planned = finding.evidence.plannedDeleteTime;
  return typeof planned === 'string' ? `planned-delete@${planned}` : undefined;
}

/** The episode under its observation-derived id, if its open alert can be sent without stored state. */
export function statelessEpisode(episode: Episode, finding: Finding | undefined): Episode | undefined {
  if (!finding || finding.checkId !== episode.checkId || episode.alert?.stage !== 'open') return undefined;
  const key = episodeKeyOf(finding);
  return key === undefined ? undefined : { ...episode, id: episodeIdForKey(episode.secretName, episode.checkId, key) };
}
