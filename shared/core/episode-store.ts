/**
 * The episode store: the one place that reads a secret with its state tags and writes them back
 * (in the spirit of powertools' idempotency persistence layer: load, save, mark sending, mark
 * delivered, and typed errors instead of counters). An episode's state lives on its secret as two
 * tags (episode-tag.ts); a write happens only when the encoding changed. The orchestrator's own
 * TagResource/UntagResource calls are ignored by on-event (they are not in the API calls it reacts
 * to), so these writes never feed back.
 *
 * Two write-aheads live here: an alert is marked "sending" on the tag before PutCustomEvent (so a
 * crash never sends it twice unseen), and a remediation attempt is marked begun before RotateSecret
 * (so a repeated invocation never rotates twice for one attempt).
 */
import { CloudError, isThrottling } from '../errors';
import { alertIdFor, markAlert, type AlertDelivery, type Episode } from '../domain/episode';
import {
  MESSAGE_TAG_SUFFIX,
  decodeMessage,
  decodeState,
  encodeMessage,
  encodeState,
  parseOwnState,
  type SecretState,
} from '../domain/episode-tag';
import { needsVersions } from '../domain/checks';
import type { SecretDescription, SecretVersion } from '../ports/kms';
import { mapLimit, TAG_WRITE_CONCURRENCY } from '../concurrency';
import { classifyTagRefusal } from '../domain/state-room';
import type { Counters, CoreDeps } from './deps';

/** The orchestrator's two tags as they are on the secret: the state, and the last error's message. */
export interface StoredTags {
  state?: string;
  message?: string;
}

/** One secret's state as stored (`stored`) and as it should be (`state`); save makes them agree. */
export interface StateRecord {
  secretName: string;
  stored: StoredTags;
  state: SecretState;
  /** Set when the state tag was refused for good (state-room.ts): the refusal's code. */
  noRoom?: string;
}

export interface SecretRead extends StateRecord {
  description: SecretDescription;
  versions?: SecretVersion[];
}

/** The state tags could not be written: the next pass decides and writes them again. */
export class StateWriteError extends Error {
  override readonly name = 'StateWriteError';
  constructor(
    readonly secretName: string,
    override readonly cause: unknown,
  ) {
    super(`state tag of ${secretName} not written: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** An attempt's write-ahead is not on the tag: RotateSecret must not be called (retried later). */
export class WriteAheadNotRecordedError extends Error {
  override readonly name = 'WriteAheadNotRecordedError';
  constructor(
    readonly secretName: string,
    readonly attempt: number,
    override readonly cause: StateWriteError,
  ) {
    super(
      `write-ahead of attempt ${attempt} not recorded on the state tag: RotateSecret not called, retried later (${cause.message})`,
    );
  }
}

/**
 * A tag under one of the orchestrator's keys holds a value it did not write (a customer's tag, a
 * hand edit, another tool): it is left exactly as it is, and the state is not stored on this secret.
 */
export class ForeignTagValueError extends Error {
  override readonly name = 'ForeignTagValueError';
  constructor(readonly tagKeys: string[]) {
    super(`tag ${tagKeys.join(', ')} holds a value the orchestrator did not write: left untouched, state not stored`);
  }
}

/** The secrets already reported without room, per invocation (its counters): said once, not per pass. */
const reportedNoRoom = new WeakMap<Counters, Set<string>>();

function isNotFound(error: unknown): boolean {
  return error instanceof CloudError && /ResourceNotFound/.test(error.code);
}

function withAlerts(state: SecretState, update: (e: Episode) => Episode | undefined): SecretState {
  return { ...state, episodes: state.episodes.map(update).filter((e): e is Episode => e !== undefined) };
}

/** 0 for a state whose news is a transition (open, escalate, resolve) or a retry to schedule; 1 otherwise. */
function writeRank(state: SecretState): number {
  const urgent = state.episodes.some(
    (e) =>
      (e.alert !== undefined && e.alert.delivery !== 'delivered' && e.alert.stage !== 'remind') ||
      (e.nextActionAt !== undefined && e.status !== 'resolved' && e.status !== 'escalated'),
  );
  return urgent ? 0 : 1;
}

export interface EpisodeStoreOptions {
  /**
   * How many writes whose only news is the schedule (sweep-schedule.ts) this store may make. The
   * sweep gives a budget: adopting a fleet takes a few sweeps rather than one burst on the list
   * quota, and a secret whose schedule is not written is simply described again. Elsewhere (0) a
   * stale schedule stays until the sweep rewrites it, so an event costs no tag write of its own.
   */
  scheduleWrites?: number;
}

export class EpisodeStore {
  private scheduleWrites: number;

  constructor(
    private readonly deps: CoreDeps,
    private readonly counters: Counters,
    options: EpisodeStoreOptions = {},
  ) {
    this.scheduleWrites = options.scheduleWrites ?? 0;
  }

  /** Whether `after` differs from what is stored only in its schedule. */
  private scheduleOnly(record: StateRecord, after: StoredTags): boolean {
    const { secretName, stored, state } = record;
    if (after.message !== stored.message) return false;
    const storedSchedule = parseOwnState(stored.state, secretName)?.schedule;
    return encodeState({ ...state, schedule: storedSchedule }, secretName).value === stored.state;
  }

  /** The state held by a secret's tags (from a listing or a description). */
  fromTags(secretName: string, tags: Record<string, string>): { stored: StoredTags; state: SecretState } {
    const { config, logger } = this.deps;
    const stored: StoredTags = {
      state: tags[config.stateTagKey],
      message: tags[config.stateTagKey + MESSAGE_TAG_SUFFIX],
    };
    const decoded = decodeState(stored.state, secretName);
    if (decoded.warning)
      logger.warn('state tag ignored', { secretName, tagKey: config.stateTagKey, reason: decoded.warning });
    const message = decodeMessage(stored.message);
    const state = message ? { ...decoded.state, errorMessage: message } : decoded.state;
    return { stored, state };
  }

  /** Describes the secret (with its versions where a check needs them); undefined when it no longer exists. */
  async load(secretName: string, options: { versions?: boolean } = {}): Promise<SecretRead | undefined> {
    const { kms } = this.deps.clients;
    try {
      const description = await kms.describeSecret(secretName, { fetchTags: true });
      const wantVersions = options.versions ?? needsVersions(description.secretType);
      const versions = wantVersions ? await kms.listSecretVersionIds(secretName) : undefined;
      return { secretName, description, versions, ...this.fromTags(secretName, description.tags) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Persists `record.state` when its encoding differs from what is stored: one TagResource for both
   * tags, one UntagResource for what is gone; `record.stored` becomes what is on the secret. Dry run
   * writes nothing. A concurrent writer (sweep and remediate on one secret) can lose an update; the
   * next pass repairs it, and the VersionId keeps a repeated attempt from rotating twice.
   * @throws StateWriteError
   */
  async save(record: StateRecord): Promise<void> {
    const { deps } = this;
    const { secretName, stored: before, state } = record;
    const { value, dropped } = encodeState(state, secretName);
    if (dropped.length > 0)
      deps.logger.warn('state tag full: episodes dropped', {
        secretName,
        dropped: dropped.map((e) => `${e.checkId}/${e.id}`),
      });
    const after: StoredTags = { state: value, message: value === undefined ? undefined : encodeMessage(state) };
    if (after.state === before.state && after.message === before.message) return;
    if (this.scheduleOnly(record, after)) {
      if (this.scheduleWrites <= 0) return;
      this.scheduleWrites -= 1;
      return this.saveSchedule(record, after);
    }
    if (deps.config.dryRun) {
      deps.logger.info('dry run: state tag not written', { secretName, tagValue: value ?? null });
      return;
    }
    const stateKey = deps.config.stateTagKey;
    const messageKey = stateKey + MESSAGE_TAG_SUFFIX;
    // The product touches only what it owns (issue 13): never overwrite or remove a value it did not write.
    const foreign = [
      [
        stateKey,
        before.state !== undefined && before.state !== '' && parseOwnState(before.state, secretName) === undefined,
      ],
      [
        messageKey,
        before.message !== undefined && before.message !== '' && decodeMessage(before.message) === undefined,
      ],
    ] as const;
    const occupied = foreign.filter(([, isForeign]) => isForeign).map(([key]) => key);
    if (occupied.length > 0) {
      this.counters.errors += 1;
      this.counters.stateWriteErrors += 1;
      this.noRoomFor(record, 'ForeignTagValue');
      throw new StateWriteError(secretName, new ForeignTagValueError(occupied));
    }
    const set: Record<string, string> = {};
    const unset: string[] = [];
    for (const [key, was, now] of [
      [stateKey, before.state, after.state],
      [messageKey, before.message, after.message],
    ] as const) {
      if (now !== undefined && now !== was) set[key] = now;
      if (now === undefined && was !== undefined) unset.push(key);
    }
    try {
      if (Object.keys(set).length > 0) await deps.clients.kms.tagResource(secretName, set);
      if (unset.length > 0) await deps.clients.kms.untagResource(secretName, unset);
    } catch (error) {
      this.counters.errors += 1;
      this.counters.stateWriteErrors += 1;
      const refusal = classifyTagRefusal(error);
      if (refusal.lasting) this.noRoomFor(record, refusal.code);
      throw new StateWriteError(secretName, error);
    }
    this.counters.tagWrites += 1;
    record.stored = after;
  }

  /**
   * A write that only records the schedule: nothing is lost when it fails (the secret is described
   * again next sweep), so a refusal (no room, a foreign value, throttling) is neither an error nor a
   * page. The same ownership rule holds: a value the product did not write is never overwritten.
   */
  private async saveSchedule(record: StateRecord, after: StoredTags): Promise<void> {
    const { deps } = this;
    const { secretName, stored } = record;
    if (deps.config.dryRun || after.state === undefined) return;
    if (stored.state !== undefined && stored.state !== '' && parseOwnState(stored.state, secretName) === undefined)
      return;
    try {
      await deps.clients.kms.tagResource(secretName, { [deps.config.stateTagKey]: after.state });
    } catch (error) {
      // A throttled write means the list quota is busy (the customer's own tagging shares it):
      // the rest of this pass's schedules wait for a later sweep rather than add to it.
      if (error instanceof CloudError && isThrottling(error.code)) this.scheduleWrites = 0;
      deps.logger.debug('schedule not written: the secret is described again next sweep', { secretName, error });
      return;
    }
    this.counters.tagWrites += 1;
    record.stored = { ...stored, state: after.state };
  }

  /** A lasting refusal: the record falls back to alerts without stored state; logged and counted once per invocation. */
  private noRoomFor(record: StateRecord, code: string): void {
    record.noRoom = code;
    const seen = reportedNoRoom.get(this.counters) ?? new Set<string>();
    reportedNoRoom.set(this.counters, seen);
    if (seen.has(record.secretName)) return;
    seen.add(record.secretName);
    this.counters.stateUnwritable += 1;
    this.deps.logger.warn(
      'no room for the state tag: alerts sent without stored state, no retries until a tag is removed',
      { secretName: record.secretName, code },
    );
  }

  /**
   * Saves every record; one secret's failure never fails the others. Returns the records not written.
   * The writes that page a problem or start a retry go first: when the tag quota runs short (the
   * customer's own tagging shares it), what waits for the next pass is a reminder, not a new failure.
   */
  async saveAll<R extends StateRecord>(records: R[]): Promise<Set<R>> {
    const failed = new Set<R>();
    const ordered = [...records].sort((a, b) => writeRank(a.state) - writeRank(b.state));
    await mapLimit(ordered, TAG_WRITE_CONCURRENCY, async (record) => {
      try {
        await this.save(record);
      } catch (error) {
        // One secret's state must never fail the pass: the next pass decides and writes it again.
        if (!(error instanceof StateWriteError)) {
          this.counters.errors += 1;
          this.counters.stateWriteErrors += 1;
        }
        failed.add(record);
        this.deps.logger.warn('state tag not written: retried next pass', {
          secretName: record.secretName,
          error: error instanceof StateWriteError ? error.cause : error,
        });
      }
    });
    return failed;
  }

  /**
   * The alert write-ahead: the queued alerts of `sending` become "sending", and every record is saved
   * with it (one tag write per secret). Returns the records not written.
   */
  markSending<R extends StateRecord>(records: R[], sending: ReadonlySet<R>): Promise<Set<R>> {
    for (const r of sending)
      r.state = withAlerts(r.state, (e) => (e.alert && e.alert.delivery === 'queued' ? markAlert(e, 'sending') : e));
    return this.saveAll(records);
  }

  /** Alerts CloudMonitor has (by alert id) are marked delivered (a delivered resolution ends its episode). */
  markDelivered<R extends StateRecord>(
    records: R[],
    alertIds: ReadonlySet<string>,
    options: { save: boolean } = { save: true },
  ): Promise<Set<R>> {
    const delivered: AlertDelivery = 'delivered';
    for (const r of records)
      r.state = withAlerts(r.state, (e) =>
        e.alert && e.alert.delivery !== 'delivered' && alertIds.has(alertIdFor(e, e.alert))
          ? markAlert(e, delivered)
          : e,
      );
    return options.save ? this.saveAll(records) : Promise.resolve(new Set());
  }

  /**
   * The attempt write-ahead: attempt n is on the tag before RotateSecret is called with its VersionId.
   * @throws WriteAheadNotRecordedError when the tag was not written (RotateSecret must not be called)
   */
  async recordAttempt(record: StateRecord, attempt: number): Promise<void> {
    try {
      await this.save(record);
    } catch (error) {
      if (error instanceof StateWriteError) throw new WriteAheadNotRecordedError(record.secretName, attempt, error);
      throw error;
    }
  }
}
