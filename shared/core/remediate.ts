/**
 * remediate: one attempt of one episode, safe to repeat. Guard clauses first (episode gone,
 * resolved, escalated, another attempt, too early); then the write-ahead: attempt n is marked
 * begun on the state tag BEFORE RotateSecret is called with VersionId(episode, n), so a duplicate
 * invocation or a crash after the call never rotates twice for one attempt (and KMS itself ignores
 * a VersionId it has seen). The result is checked later by phase "verify".
 */
import { CloudError, isThrottling } from '../errors';
import { classify, EPISODE_BACKOFF } from '../domain/retry-policy';
import { observe } from '../domain/assess';
import { attemptFailed, awaitVerification, holdRetry, isOpen, startAttempt, type Episode } from '../domain/episode';
import type { SecretState } from '../domain/episode-tag';
import { overdueGraceMs } from '../domain/checks';
import { rotationCorroborated } from '../domain/corroboration';
import { versionIdFor } from '../domain/ids';
import { metric } from '../domain/metrics';
import { redactMessage } from '../domain/redact';
import { dueRemediations } from '../domain/reconcile';
import { rotateBudgetFreesAt, ROTATE_BUDGET_WINDOW_MS } from '../domain/rotate-budget';
import { decideSecret, type SecretObservation } from '../domain/secret-decision';
import { expectedCompletionMs, isRam } from '../domain/secret-kinds';
import { holdsRetry } from '../domain/readiness';
import { createReadinessReader } from '../readiness/reader';
import type { SecretDescription } from '../ports/kms';
import { newCounters, type Counters, type CoreDeps } from './deps';
import { EpisodeStore, type SecretRead } from './episode-store';
import { publishMetrics } from './metrics-publish';
import { commitSecret } from './reconcile-secret';
import { hasPendingAlert, LeadingEdge } from './leading-edge';
import { scheduleRemediation, type RemediatePayload } from './scheduling';

export type RemediateOutcome =
  | 'rotated'
  | 'verified'
  | 'failed'
  | 'escalated'
  | 'waiting'
  | 'rescheduled'
  | 'deferred'
  | 'noop'
  | 'resolved'
  | 'dry-run';

export interface RemediateSummary {
  outcome: RemediateOutcome;
  detail?: string;
  secretName: string;
  episodeId: string;
  attempt: number;
}

/** How long after RotateSecret the result is first checked; RAM keeps re-checking for ~48 h. */
export function verifyDelayMs(secretType: string): number {
  return isRam(secretType) ? 3_600_000 : 60_000;
}

const EARLY_TOLERANCE_MS = 1000;

/**
 * How long a retry is held while a known cause of failure is still present (issue 16): the
 * longest FC async delay, so a held retry costs one invocation (and a few reads) an hour.
 */
export const READINESS_HOLD_MS = 3_600_000;

/**
 * The causes the readiness forecast still sees for this secret's rotation (a stopped instance, a
 * missing account...): retrying now would fail the same way and spend an attempt. Empty when
 * none is known; a read that fails holds nothing (unknown is not a cause).
 */
async function knownCauses(deps: CoreDeps, description: SecretDescription, now: number): Promise<string[]> {
  if (!deps.targets) return [];
  try {
    const assessment = await createReadinessReader(deps.targets).assess(description, now);
    return holdsRetry(assessment) ? assessment.blockingCauses : [];
  } catch (error) {
    deps.logger.warn('readiness not read before the retry', { secretName: description.secretName, error });
    return [];
  }
}

class Attempt {
  readonly counters: Counters = newCounters();
  readonly edge: LeadingEdge;
  constructor(
    readonly deps: CoreDeps,
    readonly payload: RemediatePayload,
    readonly read: SecretRead,
    readonly now: number,
  ) {
    this.edge = new LeadingEdge(deps);
  }

  summary(outcome: RemediateOutcome, detail?: string): RemediateSummary {
    this.deps.logger.info(`remediate ${this.payload.phase}: ${outcome}`, {
      secretName: this.payload.secretName,
      episodeId: this.payload.episodeId,
      attempt: this.payload.attempt,
      detail,
    });
    return {
      outcome,
      detail,
      secretName: this.payload.secretName,
      episodeId: this.payload.episodeId,
      attempt: this.payload.attempt,
    };
  }

  /**
   * Persist the state, schedule what is due, send its alert at once when this invocation leads the
   * storm window (leading-edge.ts), else ask for the window's flush while an alert waits.
   */
  async commit(state: SecretState): Promise<void> {
    const { deps, read } = this;
    await commitSecret(
      deps,
      this.counters,
      read,
      state,
      { remediations: dueRemediations(read.secretName, state.episodes, deps.clock.now()) },
      this.edge,
    );
    await this.flushIfPending(read.state);
  }

  /**
   * The write-ahead of attempt n, before RotateSecret: a crash from here on cannot rotate twice.
   * @throws WriteAheadNotRecordedError when the tag was not written (RotateSecret is then not called)
   */
  async recordAttempt(state: SecretState, attempt: number): Promise<void> {
    const { deps, read } = this;
    const record = { secretName: read.secretName, stored: read.stored, state };
    await new EpisodeStore(deps, this.counters).recordAttempt(record, attempt);
    read.stored = record.stored;
    read.state = record.state;
    await this.flushIfPending(state);
  }

  private async flushIfPending(state: SecretState): Promise<void> {
    if (hasPendingAlert(state.episodes)) await this.edge.requestFlush();
  }

  with(episode: Episode, state: SecretState = this.read.state): SecretState {
    return { ...state, episodes: state.episodes.map((e) => (e.id === episode.id ? episode : e)) };
  }

  async reschedule(at: number, detail: string): Promise<RemediateSummary> {
    await scheduleRemediation(this.deps, this.counters, { ...this.payload, at }, this.now);
    return this.summary('rescheduled', detail);
  }

  async failed(episode: Episode, error: { code: string; message?: string }): Promise<RemediateSummary> {
    const { deps, now } = this;
    const cls = classify(error.code, error.message);
    const waitMs = Math.min(
      EPISODE_BACKOFF.maxDelaySeconds * 1000,
      expectedCompletionMs(this.read.description.secretType),
    );
    const next = attemptFailed(episode, error, now, deps.config, deps.random, waitMs);
    if (!cls.wait) this.counters.rotationFailed += 1;
    if (next.status === 'escalated') this.counters.escalations += 1;
    let state = this.with(next);
    const message = redactMessage(error.message);
    if (message && error.message !== error.code) state = { ...state, errorMessage: message };
    // "Being rotated": a rotation is running now, so stuck-in-progress can time it from here.
    if (cls.wait && !isThrottling(error.code) && state.rotationStartedAt === undefined)
      state = { ...state, rotationStartedAt: now };
    await this.commit(state);
    return this.summary(next.status === 'escalated' ? 'escalated' : cls.wait ? 'waiting' : 'failed', error.code);
  }
}

/**
 * The RotateSecret calls ActionTrail recorded in the last hour (newest first, at most `limit`), or
 * undefined when ActionTrail cannot say: the pass's budget (pass.ts) still holds then.
 */
async function rotateCallsLastHour(deps: CoreDeps, now: number, limit: number): Promise<number[] | undefined> {
  const times: number[] = [];
  try {
    // LookupEvents takes whole seconds: round the end UP, or calls made earlier in this same second
    // (several remediations often run at one instant) would be missed and the budget overshot.
    const endTime = Math.ceil((now + 1) / 1000) * 1000;
    for await (const event of deps.clients.actiontrail.lookupEvents({
      attributes: [{ key: 'EventName', value: 'RotateSecret' }],
      startTime: now - ROTATE_BUDGET_WINDOW_MS,
      endTime,
      maxResults: 50,
    })) {
      if (event.errorCode) continue;
      times.push(event.eventTime);
      if (times.length >= limit) break;
    }
    return times;
  } catch (error) {
    deps.logger.warn('RotateSecret budget not double-checked (ActionTrail unavailable)', { error });
    return undefined;
  }
}

async function rotate(a: Attempt, episode: Episode): Promise<RemediateSummary> {
  const { deps, payload, read, now } = a;
  const n = payload.attempt;
  if (episode.attempts >= n) return a.summary('noop', 'attempt already begun');
  if (episode.attempts !== n - 1 || episode.attemptStarted) return a.summary('noop', 'another attempt is current');
  if (episode.nextActionAt !== undefined && now < episode.nextActionAt - EARLY_TOLERANCE_MS)
    return a.reschedule(episode.nextActionAt, 'not due yet');

  if (read.description.plannedDeleteTime !== undefined)
    return a.summary('noop', 'deletion scheduled: not rotating a secret that is going away');
  // Healthy again by itself (KMS's own rotation, an operator)? Then there is nothing to retry.
  const assessment = decideSecret(read, [], now, deps.config, deps.random);
  const current = assessment.state.episodes.find((e) => e.id === episode.id);
  if (!current || !isOpen(current)) {
    await a.commit(assessment.state);
    return a.summary('resolved', 'finding gone before the attempt');
  }
  // The budget ran out while this attempt waited (a stuck rotation): escalate once and stop, or the
  // next attempt would flip the episode back to "retrying" and the next pass would escalate it again.
  if (current.status === 'escalated') {
    a.counters.escalations += assessment.escalations;
    await a.commit(assessment.state);
    return a.summary('escalated', 'retry budget spent before the attempt');
  }
  const d = read.description;
  const running = observe({ ...read, now }).rotationStartedAt;
  if (running !== undefined && now - running < expectedCompletionMs(d.secretType))
    return a.failed(current, { code: 'Rejected.RotationInProgress' });
  // No rotation on the word of an event alone (issue 13): DescribeSecret, read just now, must say the same.
  const corroboration = rotationCorroborated({
    checkId: current.checkId,
    state: d,
    now,
    completionGraceMs: overdueGraceMs(d.secretType),
  });
  if (!corroboration.ok) {
    deps.logger.warn('RotateSecret not called: not corroborated by the secret itself', {
      secretName: d.secretName,
      episodeId: episode.id,
      reason: corroboration.reason,
    });
    await a.commit(a.with({ ...current, nextActionAt: undefined }, assessment.state));
    return a.summary('noop', corroboration.reason);
  }
  // The attempt is not spent on a cause still present: held, and asked again an hour later.
  const causes = await knownCauses(deps, d, now);
  if (causes.length > 0) {
    const held = holdRetry(current, now + READINESS_HOLD_MS, now, deps.config);
    await a.commit(a.with(held, assessment.state));
    if (held.status === 'escalated')
      return a.summary('escalated', `held past the episode's time budget: ${causes.join(', ')} still present`);
    return a.summary('deferred', `held: ${causes.join(', ')} still present`);
  }

  const budget = deps.config.retry.rotateBudgetPerHour;
  const calls = await rotateCallsLastHour(deps, now, budget);
  const later = calls === undefined ? undefined : rotateBudgetFreesAt(calls, now, budget, deps.random);
  if (later !== undefined) {
    await a.commit(a.with({ ...current, nextActionAt: later }, assessment.state));
    return a.summary('deferred', `RotateSecret budget of ${budget}/h reached`);
  }
  if (deps.config.dryRun)
    return a.summary('dry-run', `would call RotateSecret with VersionId ${versionIdFor(episode.id, n)}`);

  // The verification time is recorded with the write-ahead, so a crash after RotateSecret is still verified (by the sweep).
  const started = awaitVerification(startAttempt(current, n, now), now + verifyDelayMs(d.secretType));
  // Without the write-ahead on the tag, a retry of this invocation after a crash would call
  // RotateSecret again: recordAttempt throws WriteAheadNotRecordedError before the call.
  await a.recordAttempt(a.with(started, assessment.state), n);
  a.counters.retries += 1;
  try {
    await deps.clients.kms.rotateSecret(d.secretName, versionIdFor(episode.id, n));
  } catch (error) {
    if (error instanceof CloudError) return a.failed(started, { code: error.code, message: error.message });
    // Outcome unknown (connection lost): the verification decides whether it happened.
    deps.logger.warn('RotateSecret outcome unknown: verifying later', { secretName: d.secretName, error });
  }
  const verifying = awaitVerification(started, now + verifyDelayMs(d.secretType));
  await a.commit(a.with(verifying));
  return a.summary('rotated', versionIdFor(episode.id, n));
}

async function verify(a: Attempt, episode: Episode): Promise<RemediateSummary> {
  const { deps, payload, read, now } = a;
  const n = payload.attempt;
  if (episode.attempts !== n || !episode.attemptStarted || episode.lastAttemptAt === undefined)
    return a.summary('noop', 'attempt not awaiting verification');
  if (episode.nextActionAt !== undefined && now < episode.nextActionAt - EARLY_TOLERANCE_MS)
    return a.reschedule(episode.nextActionAt, 'not due yet');
  const d = read.description;
  const startedAt = episode.lastAttemptAt;
  const rotated = d.lastRotationDate !== undefined && d.lastRotationDate >= startedAt;
  const current = read.versions?.find((v) => v.versionStages.includes('ACSCurrent'));
  const currentMoved =
    current !== undefined &&
    (current.versionId === versionIdFor(episode.id, n) || (current.createTime ?? 0) >= startedAt);
  if (d.automaticRotation === 'Invalid') return a.failed(episode, episode.lastError ?? { code: 'RotationFailed' });
  if (!rotated || !currentMoved) {
    if (now - startedAt < expectedCompletionMs(d.secretType)) {
      const again = awaitVerification(episode, now + verifyDelayMs(d.secretType));
      await a.commit(a.with(again));
      return a.summary('waiting', 'rotation not complete yet');
    }
    return a.failed(episode, { code: 'RotationTimeout' });
  }
  let verification: { ok: boolean; reason?: string; at: number } | undefined;
  if (deps.verify && deps.config.verification.enabled) {
    const result = await deps.verify(d);
    if (result.status === 'failed') return a.failed(episode, { code: 'VerificationFailed', message: result.reason });
    if (result.status === 'ok') verification = { ok: true, at: now };
  }
  a.counters.rotationSucceeded += 1;
  const observations: SecretObservation[] = [
    ...(verification ? [{ kind: 'verification' as const, result: verification }] : []),
    { kind: 'rotation-verified', episodeId: episode.id },
  ];
  await a.commit(decideSecret(read, observations, now, deps.config, deps.random).state);
  return a.summary('verified', `ACSCurrent ${current?.versionId ?? '?'}`);
}

export async function runRemediation(deps: CoreDeps, payload: RemediatePayload): Promise<RemediateSummary> {
  const now = deps.clock.now();
  const base = { secretName: payload.secretName, episodeId: payload.episodeId, attempt: payload.attempt };
  if (payload.notBefore !== undefined && now < payload.notBefore - EARLY_TOLERANCE_MS) {
    // FC delays stop at 3600 s: a longer wait arrives early and is chained.
    await scheduleRemediation(deps, newCounters(), { ...base, phase: payload.phase, at: payload.notBefore }, now);
    return { outcome: 'rescheduled', detail: 'chained delay', ...base };
  }
  const read = await new EpisodeStore(deps, newCounters()).load(payload.secretName, {
    versions: payload.phase === 'verify',
  });
  if (!read) return { outcome: 'noop', detail: 'secret gone', ...base };
  const attempt = new Attempt(deps, payload, read, now);
  const episode = read.state.episodes.find((e) => e.id === payload.episodeId);
  let result: RemediateSummary;
  if (!episode || episode.status === 'resolved' || episode.status === 'escalated')
    result = attempt.summary('noop', episode ? `episode ${episode.status}` : 'episode gone');
  else result = payload.phase === 'rotate' ? await rotate(attempt, episode) : await verify(attempt, episode);
  const c = attempt.counters;
  const fn = { function: deps.functionName };
  await publishMetrics(deps, [
    ...(c.retries ? [metric('kro_retries', c.retries, now, fn)] : []),
    ...(c.rotationFailed ? [metric('kro_rotation_failed', c.rotationFailed, now, fn)] : []),
    ...(c.rotationSucceeded ? [metric('kro_rotation_succeeded', c.rotationSucceeded, now, fn)] : []),
    ...(c.escalations ? [metric('kro_escalations', c.escalations, now, fn)] : []),
  ]);
  return result;
}
