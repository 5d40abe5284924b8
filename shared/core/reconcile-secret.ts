/**
 * The one path from reading a secret to committing it: load it from the episode store, decide
 * (domain/secret-decision.ts, with what the trigger observed), commit (pass.ts). On-event and the
 * failure destination call reconcileSecret; remediate loads from the same store and decides and
 * commits with the same functions around its RotateSecret call (guard clauses and the write-ahead
 * sit between them); the sweep decides with `decide` and commits its whole pass at once (so storm
 * grouping sees everything), with the same entries built by `passEntry`.
 */
import {
  alertSecretOf,
  applyRestoredDeletion,
  decideSecret,
  type SecretDecision,
  type SecretObservation,
} from '../domain/secret-decision';
import { isStaleFailure } from '../domain/corroboration';
import { needsVersions, withLeftoverKeys } from '../domain/checks';
import { leftoverKeysOnce } from '../readiness/leftover-keys';
import type { RemediationIntent } from '../domain/reconcile';
import type { SecretState } from '../domain/episode-tag';
import type { Finding } from '../domain/types';
import type { SecretSummary, SecretVersion } from '../ports/kms';
import { newCounters, type Counters, type CoreDeps } from './deps';
import { EpisodeStore, type SecretRead, type StateRecord } from './episode-store';
import type { LeadingEdge } from './leading-edge';
import { AlertDeliveryError, commitPass, type PassEntry } from './pass';
import { noRoomRecovery, restoredDeletion } from './restored-deletion';
import { lacksRoomForState } from '../domain/state-room';

/** A secret as the flush knows it: its listing (no description, so no ExtendedConfig). */
export interface ListedRecord extends StateRecord {
  listed: SecretSummary;
}

/** One secret's entry in a pass: what was read, what was decided, and what the alert says about it. */
export function passEntry(
  deps: CoreDeps,
  read: SecretRead | ListedRecord,
  state: SecretState,
  decided: { findings?: Finding[]; remediations?: RemediationIntent[] } = {},
): PassEntry {
  // A listing has no ExtendedConfig: the alert then names no sub-type rather than a guessed one.
  const secret =
    'description' in read ? alertSecretOf(read.description, deps.config) : alertSecretOf(read.listed, deps.config);
  return {
    secretName: read.secretName,
    stored: read.stored,
    state,
    secret,
    findings: decided.findings ?? [],
    remediations: decided.remediations ?? [],
  };
}

/**
 * Commits one secret's new state: the tag write, the remediations given, and its alerts when this
 * invocation leads its storm window (leading-edge.ts; otherwise they stay queued for the flush).
 * `read` is updated to what is now stored.
 */
export async function commitSecret(
  deps: CoreDeps,
  counters: Counters,
  read: SecretRead,
  state: SecretState,
  decided: { findings?: Finding[]; remediations?: RemediationIntent[] } = {},
  edge?: LeadingEdge,
): Promise<void> {
  const entry = passEntry(deps, read, state, decided);
  const sendAlerts = edge ? await edge.sendNow(state.episodes) : false;
  try {
    await commitPass(deps, counters, [entry], { sendAlerts });
  } catch (error) {
    // The state is written and the alert stays pending on it: the window's flush sends it (and
    // fails its own invocation if CloudMonitor is still down). Without a flush, this one must fail.
    if (!(error instanceof AlertDeliveryError) || !(await edge?.flushScheduled())) throw error;
    deps.logger.warn('leading alert not delivered: left to the storm window flush', {
      secretName: read.secretName,
      error,
    });
  } finally {
    read.stored = entry.stored;
    read.state = entry.state;
  }
}

/**
 * A healthy secret with no room for state (seen from its tags alone) may have a failure announced
 * without stored state: its recovery is looked up in CloudMonitor and queued once.
 */
async function withNoRoomRecovery(deps: CoreDeps, read: SecretRead, decision: SecretDecision): Promise<SecretDecision> {
  if (!lacksRoomForState(read.description.tags, deps.config.stateTagKey)) return decision;
  if (
    decision.findings.some((f) => f.checkId === 'rotation-failed') ||
    decision.state.episodes.some((e) => e.checkId === 'rotation-failed')
  )
    return decision;
  const recovered = await noRoomRecovery(deps, read.secretName).catch((error: unknown) => {
    deps.logger.warn('failure announced without stored state not looked up', { secretName: read.secretName, error });
    return undefined;
  });
  return recovered
    ? { ...decision, state: { ...decision.state, episodes: [...decision.state.episodes, recovered] } }
    : decision;
}

/**
 * A RAM secret's deletion alert names the AccessKeys the deletion leaves active (checks.ts
 * withLeftoverKeys). Read only while that alert waits to go out (its opening, a reminder), at most
 * once a day per warm instance (leftoverKeysOnce); ids and dates only.
 */
async function withRamLeftovers(deps: CoreDeps, read: SecretRead, decision: SecretDecision): Promise<SecretDecision> {
  if (!deps.targets || read.description.secretType !== 'RAMCredentials') return decision;
  if (!decision.findings.some((f) => f.checkId === 'deletion-scheduled')) return decision;
  const announcing = decision.state.episodes.some(
    (e) => e.checkId === 'deletion-scheduled' && e.alert !== undefined && e.alert.delivery !== 'delivered',
  );
  if (!announcing) return decision;
  const left = await leftoverKeysOnce(deps.targets, read.description, deps.clock.now());
  if (!left) return decision;
  return { ...decision, findings: decision.findings.map((f) => withLeftoverKeys(f, left)) };
}

/** The I/O a decision may ask for, then the decision. */
export async function decide(
  deps: CoreDeps,
  read: SecretRead,
  observations: SecretObservation[],
  now: number,
): Promise<SecretDecision> {
  const decision = await withNoRoomRecovery(
    deps,
    read,
    decideSecret(read, observations, now, deps.config, deps.random),
  );
  if (!decision.restoreLookup) return withRamLeftovers(deps, read, decision);
  const restored = await restoredDeletion(deps, read.secretName).catch((error: unknown) => {
    deps.logger.warn('announced deletion not looked up after RestoreSecret', { secretName: read.secretName, error });
    return undefined;
  });
  return applyRestoredDeletion(decision, restored);
}

export interface Reconciled {
  /** The state before this step. */
  before: SecretState;
  read: SecretRead;
  decision: SecretDecision;
}

/** A failure older than the secret's last successful rotation is stale and changes nothing (issue 13). */
function withoutStaleFailures(
  deps: CoreDeps,
  read: SecretRead,
  observations: SecretObservation[],
): SecretObservation[] {
  return observations.filter((o) => {
    if (o.kind !== 'rotation-failure') return true;
    const stale = isStaleFailure(o.at, read.description.lastRotationDate);
    if (stale.ok)
      deps.logger.info('stale failure event: changes nothing', { secretName: read.secretName, reason: stale.reason });
    return !stale.ok;
  });
}

export interface ReconcileOptions {
  /** The ACSCurrent version the trigger saw created (domain/event-version.ts): no listing needed. */
  currentVersion?: SecretVersion;
}

/**
 * The versions the checks need. An event's word may not resolve an open generic-stale episode (a
 * PutSecretValue repeated with an old VersionId succeeds without making a new version): then, and
 * when no event said, the listing decides.
 */
async function withVersions(deps: CoreDeps, read: SecretRead, known: SecretVersion | undefined): Promise<void> {
  if (!known || !needsVersions(read.description.secretType)) return;
  const stale = read.state.episodes.some((e) => e.checkId === 'generic-stale' && e.status !== 'resolved');
  read.versions = stale ? await deps.clients.kms.listSecretVersionIds(read.secretName) : [known];
}

/**
 * Reads the secret, decides with what the trigger observed, commits. Undefined when the secret no
 * longer exists. Remediations are left to the flush (and the sweep); alerts go out now when `edge`
 * says this invocation leads the storm window, else they stay queued for the flush.
 */
export async function reconcileSecret(
  deps: CoreDeps,
  secretName: string,
  observations: SecretObservation[],
  counters: Counters = newCounters(),
  edge?: LeadingEdge,
  options: ReconcileOptions = {},
): Promise<Reconciled | undefined> {
  const known = options.currentVersion;
  const read = await new EpisodeStore(deps, counters).load(secretName, known ? { versions: false } : {});
  if (!read) {
    deps.logger.info('secret no longer exists: nothing to do', { secretName });
    return undefined;
  }
  await withVersions(deps, read, known);
  const before = read.state;
  const decision = await decide(deps, read, withoutStaleFailures(deps, read, observations), deps.clock.now());
  counters.escalations += decision.escalations;
  if (decision.findings.length > 0)
    deps.logger.info('findings', { secretName, checks: decision.findings.map((f) => f.checkId) });
  for (const f of decision.findings) {
    if (f.checkId === 'rotation-failed' && !f.remediable)
      deps.logger.warn('rotation failure not corroborated: paging without RotateSecret', {
        secretName,
        reason: f.evidence.notRetried,
      });
  }
  await commitSecret(deps, counters, read, decision.state, { findings: decision.findings }, edge);
  return { before, read, decision };
}
