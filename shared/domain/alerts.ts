/**
 * The alert model: one CloudMonitor custom event per episode transition (names and levels in
 * alert-catalog.ts), JSON content an operator can act on, and storm grouping: when many secrets
 * open for one cause in one pass, one grouped event names them all; their recoveries (and
 * reminders) in one pass are grouped the same way, each episode still resolving on its own.
 */
import type { Config } from './config-types';
import type { AlertName } from './alert-catalog';
import { CHECKS, groupsByCause } from './check-catalog';
import { alertIdFor, type Episode } from './episode';
import {
  digestSentence,
  episodeSentence,
  groupSentence,
  openFor,
  problemPhrase,
  SENTENCE_BUDGET,
} from './alert-sentence';
import { composeAlertContent } from './alert-text';
import { redactMessage, redactValue } from './redact';
import { classify } from './retry-policy';
import type { Finding } from './types';

/**
 * Alert storms: when this many secrets fail for one cause (one RDS instance, one error code) in one
 * pass, they page once as a group (DESIGN §6). The first failure alert of a storm window goes out at
 * once from the invocation that detects it (the leading edge, core/leading-edge.ts); alerts that
 * arrive after it in the window are held for the window's flush, which groups them from
 * HELD_ALERTS_GROUP_THRESHOLD: the leading alert already paged, so two held alerts of one cause are
 * already a storm. A window is short next to any human response time.
 */
export const ALERT_STORM_THRESHOLD = 5;
export const HELD_ALERTS_GROUP_THRESHOLD = 2;
export const ALERT_STORM_WINDOW_SECONDS = 60;

export interface AlertSecret {
  secretName: string;
  arn?: string;
  secretType?: string;
  subType?: string;
}

export interface AlertItem {
  episode: Episode;
  secret: AlertSecret;
  /** The finding behind it, when this pass evaluated the secret (the flush does not). */
  finding?: Finding;
}

export interface AlertMessage {
  eventName: AlertName;
  content: string;
  /** Every episode transition this event announces (one, or many for a group). */
  alertIds: string[];
  items: AlertItem[];
}

/** A grouped event is split when its content would pass this size. */
export const GROUP_CONTENT_LIMIT = 30_000;

export function alertNameFor(episode: Episode): AlertName | undefined {
  switch (episode.alert?.stage) {
    case 'open':
      return CHECKS[episode.checkId].openAlert;
    case 'escalate':
      return 'KmsRotationEscalated';
    case 'remind':
      return 'KmsAlertReminder';
    case 'resolve':
      return 'KmsRotationRecovered';
    default:
      return undefined;
  }
}

/** Each step once: a finding whose runbook is already the error's (a failure event's code) names the code only. */
export function runbookFor(item: AlertItem): string {
  const e = item.episode;
  const first = item.finding?.runbook ?? CHECKS[e.checkId].runbook;
  const steps = [first];
  if (e.lastError) {
    const forError = classify(e.lastError.code, e.lastError.message).runbook;
    steps.push(
      first.includes(forError) ? `Last error ${e.lastError.code}.` : `Last error ${e.lastError.code}: ${forError}`,
    );
  }
  if (e.status === 'escalated')
    steps.push(
      `${e.attempts > 0 ? `Retries stopped after ${e.attempts} attempt(s)` : 'No retry was made: a retry cannot fix this cause'}; once fixed, rotate with: aliyun kms RotateSecret --SecretName ${e.secretName} --VersionId <new-version-id>.`,
    );
  return steps.join(' ');
}

/** The check the episode stands at now: the finding's (a later stage of its problem), else its own. */
const stageOf = (item: AlertItem) => item.finding?.checkId ?? item.episode.checkId;

function contentOf(item: AlertItem, config: Config): Record<string, unknown> {
  const e = item.episode;
  const recovered = e.alert?.stage === 'resolve';
  return {
    secretName: e.secretName,
    arn: item.secret.arn,
    type: item.secret.secretType,
    subType: item.secret.subType,
    region: config.regionId,
    account: config.accountId,
    checkId: e.checkId,
    stage: stageOf(item) === e.checkId ? undefined : stageOf(item),
    severity: item.finding?.severity,
    summary: item.finding?.summary,
    status: e.status,
    episodeId: e.id,
    alertId: e.alert ? alertIdFor(e, e.alert) : undefined,
    attempts: e.attempts,
    lastErrorCode: e.lastError?.code,
    lastErrorMessage: redactMessage(e.lastError?.message),
    startedAt: new Date(e.openedAt).toISOString(),
    nextAttemptAt:
      e.nextActionAt !== undefined && (e.status === 'opened' || e.status === 'retrying')
        ? new Date(e.nextActionAt).toISOString()
        : undefined,
    // A probe's reason quotes a driver: it passes the redactor again, like every outside text.
    evidence: item.finding?.evidence && redactValue(item.finding.evidence),
    // A recovery says what recovered and for how long it was open; nothing is left to do.
    recovered: recovered ? problemPhrase(stageOf(item)) : undefined,
    resolvedAt: recovered && e.alert ? new Date(e.alert.at).toISOString() : undefined,
    openForSeconds: recovered ? Math.round(openFor(e) / 1000) : undefined,
    runbook: recovered ? undefined : runbookFor(item),
  };
}

/** Alerts grouped in a storm, and the event a group is sent as: failures as one group, recoveries and reminders alike. */
const GROUP_EVENT: Partial<Record<AlertName, AlertName>> = {
  KmsRotationFailed: 'KmsRotationFailureGroup',
  KmsRotationEscalated: 'KmsRotationFailureGroup',
  KmsRotationRecovered: 'KmsRotationRecovered',
  KmsAlertReminder: 'KmsAlertReminder',
  KmsRotationAtRisk: 'KmsRotationAtRisk',
};

function groupMessages(eventName: AlertName, cause: string, items: AlertItem[], config: Config): AlertMessage[] {
  // Kept short: 500 secrets must fit in a few events (the episode id is inside the alert id). A field
  // every member shares is said once in the header (a reader takes the header's checkId for all).
  const first = items[0]!;
  const shared = <T>(value: (i: AlertItem) => T): T | undefined =>
    items.every((i) => value(i) === value(first)) ? value(first) : undefined;
  const checkId = shared((i) => i.episode.checkId);
  const lastErrorCode = shared((i) => i.episode.lastError?.code);
  const entry = (i: AlertItem) => ({
    secretName: i.episode.secretName,
    checkId: checkId === undefined ? i.episode.checkId : undefined,
    alertId: alertIdFor(i.episode, i.episode.alert!),
    lastErrorCode: lastErrorCode === undefined ? i.episode.lastError?.code : undefined,
  });
  const header = {
    grouped: true,
    cause: cause.slice(2),
    causeKind: cause.startsWith('t:') ? 'rotation-target' : 'error-code',
    checkId,
    lastErrorCode,
    region: config.regionId,
    account: config.accountId,
    affectedTotal: items.length,
    runbook:
      eventName === 'KmsRotationFailureGroup'
        ? `Many secrets fail for one cause; fix the cause once. ${runbookFor(first)}`
        : eventName === 'KmsRotationRecovered'
          ? 'These secrets are healthy again; nothing to do.'
          : eventName === 'KmsRotationAtRisk'
            ? `The next rotation of these secrets will fail for one cause; fix it once. ${runbookFor(first)}`
            : `Still open: ${runbookFor(first)}`,
  };
  const chunks = chunkBySize(items, JSON.stringify(header).length, entry);
  const sentence = (part: number) =>
    groupSentence({
      kind:
        eventName === 'KmsRotationRecovered' ? 'recovered' : eventName === 'KmsAlertReminder' ? 'reminder' : 'failure',
      total: items.length,
      stage: first.finding?.checkId ?? first.episode.checkId,
      cause: header.cause,
      causeKind: header.causeKind,
      since: Math.min(...items.map((i) => i.episode.openedAt)),
      part,
      parts: chunks.length,
    });
  return chunks.map((chunk, index) => ({
    eventName,
    content: composeAlertContent(sentence(index + 1), {
      ...header,
      part: index + 1,
      parts: chunks.length,
      affected: chunk.map(entry),
    }),
    alertIds: chunk.map((i) => alertIdFor(i.episode, i.episode.alert!)),
    items: chunk,
  }));
}

/** Items split so each event's content stays under GROUP_CONTENT_LIMIT (`headerSize` plus one entry per item). */
function chunkBySize(items: AlertItem[], headerSize: number, entry: (i: AlertItem) => unknown): AlertItem[][] {
  const base = headerSize + 100 + SENTENCE_BUDGET;
  const chunks: AlertItem[][] = [[]];
  let size = base;
  for (const item of items) {
    const add = JSON.stringify(entry(item)).length + 1;
    if (size + add > GROUP_CONTENT_LIMIT && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      size = base;
    }
    chunks[chunks.length - 1]!.push(item);
    size += add;
  }
  return chunks;
}

/**
 * The reminders due in one digest slot (reminders.ts), as one event (split only by size), each
 * carrying the slot's `digestId` so a later pass can find what went out: each secret still open, what
 * it is, since when and its alert id; the runbooks were in the alerts that opened and escalated
 * them. A single reminder is sent as it is, with its runbook.
 */
export function reminderMessages(items: AlertItem[], config: Config, digestId: string): AlertMessage[] {
  if (items.length === 1) {
    const item = items[0]!;
    const content = contentOf(item, config);
    return [
      {
        eventName: 'KmsAlertReminder',
        content: composeAlertContent(episodeSentence(item.episode, stageOf(item)), { ...content, digestId }),
        alertIds: [content.alertId as string],
        items,
      },
    ];
  }
  const entry = (i: AlertItem) => ({
    secretName: i.episode.secretName,
    checkId: stageOf(i),
    status: i.episode.status,
    since: new Date(i.episode.openedAt).toISOString(),
    lastErrorCode: i.episode.lastError?.code,
    alertId: alertIdFor(i.episode, i.episode.alert!),
  });
  const header = {
    digestId,
    region: config.regionId,
    account: config.accountId,
    affectedTotal: items.length,
    runbook:
      'Each secret below is still open. Its runbook is in the alert that opened or escalated it, and in kro audit; nothing new happened since.',
  };
  const chunks = chunkBySize(items, JSON.stringify(header).length, entry);
  const since = Math.min(...items.map((i) => i.episode.openedAt));
  return chunks.map((chunk, index) => ({
    eventName: 'KmsAlertReminder' as const,
    content: composeAlertContent(
      digestSentence({ total: items.length, since, part: index + 1, parts: chunks.length }),
      { ...header, part: index + 1, parts: chunks.length, affected: chunk.map(entry) },
    ),
    alertIds: chunk.map((i) => alertIdFor(i.episode, i.episode.alert!)),
    items: chunk,
  }));
}

/** The causes an alert shares with others: its rotation target and its error code (`t:` / `c:`). */
function causesOf(episode: Episode): string[] {
  const causes = new Set<string>();
  if (episode.cause) causes.add(episode.cause);
  if (episode.lastError) causes.add(`c:${episode.lastError.code}`);
  return [...causes];
}

interface CauseGroup {
  eventName: AlertName;
  items: AlertItem[];
}

/**
 * A cause is the rotation target OR the error code: alerts that share either are one group
 * (connected through any chain of shared causes, union-find), so a storm of one code across many
 * instances is one group, and so is one instance failing with several codes. Every item lands in
 * exactly one group: a member left out would never be marked delivered.
 */
function groupByCause(items: Array<{ item: AlertItem; eventName: AlertName; causes: string[] }>): CauseGroup[] {
  const parent = items.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  items.forEach(({ eventName, causes }, i) => {
    for (const cause of causes) {
      const key = `${eventName}|${cause}`;
      const other = owner.get(key);
      if (other === undefined) owner.set(key, i);
      else parent[root(i)] = root(other);
    }
  });
  const groups = new Map<number, CauseGroup>();
  items.forEach(({ item, eventName }, i) => {
    const group = groups.get(root(i)) ?? { eventName, items: [] };
    group.items.push(item);
    groups.set(root(i), group);
  });
  return [...groups.values()];
}

/** The cause a group is named by: the one most members share, a rotation target on a tie. */
function namingCause(items: AlertItem[]): string {
  const count = new Map<string, number>();
  for (const item of items) for (const cause of causesOf(item.episode)) count.set(cause, (count.get(cause) ?? 0) + 1);
  return [...count].sort(([a, m], [b, n]) => n - m || Number(b.startsWith('t:')) - Number(a.startsWith('t:')))[0]![0];
}

/**
 * The events for this pass's undelivered alerts, grouped by cause from `groupFrom` alerts
 * (ALERT_STORM_THRESHOLD by default; HELD_ALERTS_GROUP_THRESHOLD for a flush after a leading edge).
 */
export function buildAlertMessages(
  items: AlertItem[],
  config: Config,
  options: { groupFrom?: number } = {},
): AlertMessage[] {
  const groupFrom = options.groupFrom ?? ALERT_STORM_THRESHOLD;
  const messages: AlertMessage[] = [];
  const groupable: Array<{ item: AlertItem; eventName: AlertName; causes: string[] }> = [];
  const single: AlertItem[] = [];
  for (const item of items) {
    const name = alertNameFor(item.episode);
    if (!name) continue;
    const causes = causesOf(item.episode);
    const eventName = GROUP_EVENT[name];
    // Only rotation failures (and rotations at risk) share causes worth grouping; policy warnings are per secret by nature.
    if (causes.length === 0 || !eventName || !groupsByCause(item.episode.checkId)) single.push(item);
    else groupable.push({ item, eventName, causes });
  }
  for (const group of groupByCause(groupable)) {
    if (group.items.length >= groupFrom)
      messages.push(...groupMessages(group.eventName, namingCause(group.items), group.items, config));
    else single.push(...group.items);
  }
  for (const item of single) {
    const eventName = alertNameFor(item.episode)!;
    const content = contentOf(item, config);
    messages.push({
      eventName,
      content: composeAlertContent(episodeSentence(item.episode, stageOf(item)), content),
      alertIds: [content.alertId as string],
      items: [item],
    });
  }
  return messages;
}
