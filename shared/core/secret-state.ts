/**
 * Reading one secret with its state tag, and writing the tag back only when it changed. The
 * orchestrator's own TagResource/UntagResource calls are ignored by on-event (they are not in
 * the API calls it reacts to), so these writes never feed back.
 */
import { CloudError } from '../errors';
import { MESSAGE_TAG_SUFFIX, decodeState, encodeMessage, encodeState, type SecretState } from '../domain/episode-tag';
import type { SecretDescription, SecretVersion } from '../ports/kms';
import { needsVersions } from '../domain/checks';
import type { Counters, CoreDeps } from './deps';

/** The orchestrator's two tags as they are on the secret: the state, and the last error's message. */
export interface StoredTags {
  state?: string;
  message?: string;
}

export interface SecretRead {
  description: SecretDescription;
  versions?: SecretVersion[];
  stored: StoredTags;
  state: SecretState;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof CloudError && /ResourceNotFound/.test(error.code);
}

export function stateFromTags(deps: CoreDeps, secretName: string, tags: Record<string, string>): { stored: StoredTags; state: SecretState } {
  const stored: StoredTags = { state: tags[deps.config.stateTagKey], message: tags[deps.config.stateTagKey + MESSAGE_TAG_SUFFIX] };
  const decoded = decodeState(stored.state, secretName);
  if (decoded.warning) deps.logger.warn('state tag ignored', { secretName, tagKey: deps.config.stateTagKey, reason: decoded.warning });
  const state = stored.message ? { ...decoded.state, errorMessage: stored.message } : decoded.state;
  return { stored, state };
}

export async function readSecret(deps: CoreDeps, secretName: string, options: { versions?: boolean } = {}): Promise<SecretRead> {
  const description = await deps.clients.kms.describeSecret(secretName, { fetchTags: true });
  const wantVersions = options.versions ?? needsVersions(description.secretType);
  const versions = wantVersions ? await deps.clients.kms.listSecretVersionIds(secretName) : undefined;
  return { description, versions, ...stateFromTags(deps, secretName, description.tags) };
}

/**
 * Persists `state` when its encoding differs from what is stored: one TagResource for both tags,
 * one UntagResource for what is gone. Returns what is now on the secret. Dry run writes nothing.
 * A concurrent writer (sweep and remediate on one secret) can lose an update; the next pass
 * repairs it, and the VersionId keeps a repeated attempt from rotating twice.
 */
export async function writeState(deps: CoreDeps, counters: Counters, secretName: string, before: StoredTags, state: SecretState): Promise<StoredTags> {
  const { value, dropped } = encodeState(state);
  if (dropped.length > 0) deps.logger.warn('state tag full: episodes dropped', { secretName, dropped: dropped.map((e) => `${e.checkId}/${e.id}`) });
  const after: StoredTags = { state: value, message: value === undefined ? undefined : encodeMessage(state) };
  if (after.state === before.state && after.message === before.message) return before;
  if (deps.config.dryRun) {
    deps.logger.info('dry run: state tag not written', { secretName, tagValue: value ?? null });
    return before;
  }
  const stateKey = deps.config.stateTagKey;
  const messageKey = stateKey + MESSAGE_TAG_SUFFIX;
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [key, was, now] of [[stateKey, before.state, after.state], [messageKey, before.message, after.message]] as const) {
    if (now !== undefined && now !== was) set[key] = now;
    if (now === undefined && was !== undefined) unset.push(key);
  }
  if (Object.keys(set).length > 0) await deps.clients.kms.tagResource(secretName, set);
  if (unset.length > 0) await deps.clients.kms.untagResource(secretName, unset);
  counters.tagWrites += 1;
  return after;
}
