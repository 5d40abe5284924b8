/**
 * The ACSCurrent version that API-call events establish, so a Generic secret's age check can do
 * without ListSecretVersionIds (issue 15). PutSecretValue gives its new version ACSCurrent unless
 * its VersionStages say otherwise, and CreateSecret gives its first version ACSCurrent (reference
 * §2, §3); the ActionTrail eventTime is when the call ran, so the version is no older than that.
 * Whatever may have moved ACSCurrent elsewhere (UpdateSecretVersionStage), or a call that says too
 * little, leaves the answer to the listing.
 */
import type { ApiCallEvent } from './event-types';
import type { SecretVersion } from './secret';

const CURRENT = 'ACSCurrent';
/** CreateSecret and PutSecretValue take a VersionId of at most 64 characters (reference §2). */
const MAX_VERSION_ID_LENGTH = 64;
/**
 * An older call is left to the listing. Below the smallest generic max age (1 h, config.ts), so a
 * version known from an event alone can never open a generic-stale episode: an old or replayed
 * call, or one whose version a later call replaced, cannot raise a false alert.
 */
export const EVENT_VERSION_MAX_AGE_MS = 30 * 60_000;

function makesCurrent(call: ApiCallEvent): boolean {
  if (call.eventName === 'CreateSecret') return true;
  // PutSecretValue: VersionStages defaults to ACSCurrent; a record that says nothing means the default.
  return call.eventName === 'PutSecretValue' && (call.versionStages?.includes(CURRENT) ?? true);
}

/** The current version after these calls of one secret, or undefined when only a listing can tell. */
export function currentVersionFromCalls(calls: readonly ApiCallEvent[], now: number): SecretVersion | undefined {
  const done = calls.filter((c) => !c.failed);
  if (done.some((c) => c.eventName === 'UpdateSecretVersionStage')) return undefined;
  const setters = done.filter(makesCurrent);
  if (setters.length === 0) return undefined;
  // Without the id the version is unknown; the alert names it, so a guess would mislead.
  if (setters.some((c) => !c.versionId || c.versionId.length > MAX_VERSION_ID_LENGTH)) return undefined;
  const latest = setters.reduce((a, b) => (b.at > a.at ? b : a));
  if (now - latest.at > EVENT_VERSION_MAX_AGE_MS) return undefined;
  return { versionId: latest.versionId ?? '', createTime: latest.at, versionStages: [CURRENT] };
}
