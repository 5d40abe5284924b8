/**
 * RestoreSecret after a deletion announced without stored state (stateless-episode.ts: a secret in
 * its deletion window refuses tag writes, so nothing on the secret says the alert went out). The
 * announcement is found again in CloudMonitor and its episode comes back resolved, so the ops team
 * hears that the secret is safe, once: a recovery already announced after it is not repeated.
 */
import type { Episode } from '../domain/episode';
import { episodeIdFor } from '../domain/ids';
import { STATELESS_LOOKBACK_MS } from '../domain/stateless-episode';
import type { CoreDeps } from './deps';

interface Announced {
  name: string;
  time: number;
  checkId?: string;
  startedAt?: string;
}

async function announcementsAbout(deps: CoreDeps, secretName: string): Promise<Announced[]> {
  const now = deps.clock.now();
  const events = await deps.clients.monitor.findCustomEvents({ keyword: secretName, startTime: now - STATELESS_LOOKBACK_MS, endTime: now + 60_000 });
  return events.flatMap((event): Announced[] => {
    try {
      const content = JSON.parse(event.content) as Record<string, unknown>;
      if (content.secretName !== secretName) return [];
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return [{ name: event.name, time: event.time ?? 0, checkId: str(content.checkId), startedAt: str(content.startedAt) }];
    } catch {
      return [];
    }
  });
}

/** The announced and not yet resolved deletion of a restored secret, as an episode whose resolution is queued. */
export async function restoredDeletion(deps: CoreDeps, secretName: string): Promise<Episode | undefined> {
  const found = (await announcementsAbout(deps, secretName)).filter((a) => a.checkId === 'deletion-scheduled');
  const announced = found.filter((a) => a.name === 'KmsSecretDeletionScheduled').sort((a, b) => b.time - a.time)[0];
  if (!announced || found.some((a) => a.name === 'KmsRotationRecovered' && a.time >= announced.time)) return undefined;
  const now = deps.clock.now();
  const startedAt = Date.parse(announced.startedAt ?? '');
  // Whole seconds, like every stored episode: the state tag derives the id from them.
  const openedAt = Math.floor((Number.isNaN(startedAt) ? announced.time : startedAt) / 1000) * 1000;
  return {
    id: episodeIdFor(secretName, 'deletion-scheduled', openedAt),
    secretName,
    checkId: 'deletion-scheduled',
    status: 'resolved',
    openedAt,
    attempts: 0,
    attemptStarted: false,
    alert: { stage: 'resolve', delivery: 'queued', at: now },
  };
}
