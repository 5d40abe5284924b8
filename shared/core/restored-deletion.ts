/**
 * RestoreSecret after a deletion announced without stored state (stateless-episode.ts: a secret in
 * its deletion window refuses tag writes, so nothing on the secret says the alert went out). The
 * announcement is found again in CloudMonitor and its episode comes back resolved, so the ops team
 * hears that the secret is safe, once: a recovery already announced after it is not repeated.
 *
 * The same lookup ends a failure announced for a secret with no room for state (state-room.ts):
 * once such a secret is healthy, its last failure alert without a recovery after it comes back
 * resolved, under the announced episode id, so its recovery is paged once.
 */
import { alertFields } from '../domain/alert-text';
import type { Episode } from '../domain/episode';
import { episodeIdFor } from '../domain/ids';
import { STATELESS_LOOKBACK_MS } from '../domain/stateless-episode';
import type { CoreDeps } from './deps';

interface Announced {
  name: string;
  time: number;
  checkId?: string;
  startedAt?: string;
  episodeId?: string;
}

async function announcementsAbout(deps: CoreDeps, secretName: string): Promise<Announced[]> {
  const now = deps.clock.now();
  const events = await deps.clients.monitor.findCustomEvents({
    keyword: secretName,
    startTime: now - STATELESS_LOOKBACK_MS,
    endTime: now + 60_000,
  });
  return events.flatMap((event): Announced[] => {
    try {
      const content = alertFields(event.content);
      if (content.secretName !== secretName) return [];
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return [
        {
          name: event.name,
          time: event.time ?? 0,
          checkId: str(content.checkId),
          startedAt: str(content.startedAt),
          episodeId: str(content.episodeId),
        },
      ];
    } catch {
      return [];
    }
  });
}

/** The latest announcement of `checkId` under one of `names`, unless a recovery was announced after it. */
async function unresolvedAnnouncement(
  deps: CoreDeps,
  secretName: string,
  checkId: string,
  names: string[],
): Promise<Announced | undefined> {
  const found = (await announcementsAbout(deps, secretName)).filter((a) => a.checkId === checkId);
  const announced = found.filter((a) => names.includes(a.name)).sort((a, b) => b.time - a.time)[0];
  if (!announced || found.some((a) => a.name === 'KmsRotationRecovered' && a.time >= announced.time)) return undefined;
  return announced;
}

/** Whole seconds, like every stored episode: the state tag derives the id from them. */
function openedAtOf(announced: Announced): number {
  const startedAt = Date.parse(announced.startedAt ?? '');
  return Math.floor((Number.isNaN(startedAt) ? announced.time : startedAt) / 1000) * 1000;
}

/** The announced and not yet resolved deletion of a restored secret, as an episode whose resolution is queued. */
export async function restoredDeletion(deps: CoreDeps, secretName: string): Promise<Episode | undefined> {
  const announced = await unresolvedAnnouncement(deps, secretName, 'deletion-scheduled', [
    'KmsSecretDeletionScheduled',
  ]);
  if (!announced) return undefined;
  const openedAt = openedAtOf(announced);
  return resolvedEpisode(
    secretName,
    'deletion-scheduled',
    episodeIdFor(secretName, 'deletion-scheduled', openedAt),
    openedAt,
    deps.clock.now(),
  );
}

/** The announced and not yet recovered rotation failure of a healthy secret with no room for state. */
export async function noRoomRecovery(deps: CoreDeps, secretName: string): Promise<Episode | undefined> {
  const announced = await unresolvedAnnouncement(deps, secretName, 'rotation-failed', [
    'KmsRotationFailed',
    'KmsRotationEscalated',
  ]);
  if (!announced?.episodeId) return undefined;
  return resolvedEpisode(secretName, 'rotation-failed', announced.episodeId, openedAtOf(announced), deps.clock.now());
}

function resolvedEpisode(
  secretName: string,
  checkId: Episode['checkId'],
  id: string,
  openedAt: number,
  now: number,
): Episode {
  return {
    id,
    secretName,
    checkId,
    status: 'resolved',
    openedAt,
    attempts: 0,
    attemptStarted: false,
    alert: { stage: 'resolve', delivery: 'queued', at: now },
  };
}
