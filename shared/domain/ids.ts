/**
 * Deterministic identifiers. Episode ids, RotateSecret VersionIds, alert ids and FC task ids are
 * derived, never random, so that a duplicated or retried invocation computes the same token and
 * the service's own idempotency (VersionId, x-fc-async-task-id) absorbs the repeat.
 */
import { createHash } from 'node:crypto';

export function shortHash(text: string, length = 10): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function toBase36Seconds(ms: number): string {
  return Math.floor(ms / 1000).toString(36);
}

export function episodeIdFor(secretName: string, checkId: string, openedAt: number): string {
  return shortHash(`${secretName}|${checkId}|${Math.floor(openedAt / 1000)}`);
}

/**
 * An episode whose identity follows from what is observed (a deletion is one episode per
 * PlannedDeleteTime): the same id on every pass, even when its state cannot be stored on the secret.
 */
export function episodeIdForKey(secretName: string, checkId: string, key: string): string {
  return shortHash(`${secretName}|${checkId}|key:${key}`);
}

/** RotateSecret's VersionId for attempt n: at most 64 characters, the idempotency token. */
export function versionIdFor(episodeId: string, attempt: number): string {
  return `kro-${episodeId}-a${attempt}`;
}

/** FC async task ids: letters, digits, _ and -, at most 128, starting with a letter. */
export function taskIdFor(...parts: Array<string | number>): string {
  const id = parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-');
  return /^[A-Za-z_]/.test(id) ? id.slice(0, 128) : `t${id}`.slice(0, 128);
}
