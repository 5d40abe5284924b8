/**
 * The alert model: one CloudMonitor custom event per episode transition (names and levels in
 * alert-catalog.ts), JSON content an operator can act on, and storm grouping: when many secrets
 * open for one cause in one pass, one grouped event names them all; their recoveries (and
 * reminders) in one pass are grouped the same way, each episode still resolving on its own.
 */
import type { Config } from './config-types';
import type { AlertName } from './alert-catalog';
import { CHECKS, isFailureCheck } from './check-catalog';
import { alertIdFor, type Episode } from './episode';
import { redactMessage, redactValue } from './redact';
import { classify } from './retry-policy';
import type { Finding } from './types';

/**
 * Alert storms: when this many secrets fail for one cause (one RDS instance, one error code) in one
 * pass, they page once as a group (DESIGN §6). Alerts wait one window (a flush of the sweep) so the
 * members of a storm arrive together; a window is short next to any human response time.
 */
export const ALERT_STORM_THRESHOLD = 5;
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

export function runbookFor(item: AlertItem): string {
  const e = item.episode;
  const steps = [item.finding?.runbook ?? CHECKS[e.checkId].runbook];
  if (e.lastError)
    steps.push(`Last error ${e.lastError.code}: ${classify(e.lastError.code, e.lastError.message).runbook}`);
  if (e.status === 'escalated')
    steps.push(
      `Retries stopped after ${e.attempts} attempt(s); once fixed, rotate with: aliyun kms RotateSecret --SecretName ${e.secretName} --VersionId <new-version-id>.`,
    );
  return steps.join(' ');
}

function contentOf(item: AlertItem, config: Config): Record<string, unknown> {
  const e = item.episode;
  return {
    secretName: e.secretName,
    arn: item.secret.arn,
    type: item.secret.secretType,
    subType: item.secret.subType,
    region: config.regionId,
    account: config.accountId,
    checkId: e.checkId,
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
    runbook: runbookFor(item),
  };
}

/** Alerts grouped in a storm, and the event a group is sent as: failures as one group, recoveries and reminders alike. */
const GROUP_EVENT: Partial<Record<AlertName, AlertName>> = {
  KmsRotationFailed: 'KmsRotationFailureGroup',
  KmsRotationEscalated: 'KmsRotationFailureGroup',
  KmsRotationRecovered: 'KmsRotationRecovered',
  KmsAlertReminder: 'KmsAlertReminder',
};

function groupMessages(eventName: AlertName, cause: string, items: AlertItem[], config: Config): AlertMessage[] {
  // Kept short: 500 secrets must fit in a few events (the episode id is inside the alert id).
  const entry = (i: AlertItem) => ({
    secretName: i.episode.secretName,
    checkId: i.episode.checkId,
    alertId: alertIdFor(i.episode, i.episode.alert!),
    lastErrorCode: i.episode.lastError?.code,
  });
  const first = items[0]!;
  const header = {
    grouped: true,
    cause: cause.slice(2),
    causeKind: cause.startsWith('t:') ? 'rotation-target' : 'error-code',
    region: config.regionId,
    account: config.accountId,
    affectedTotal: items.length,
    runbook:
      eventName === 'KmsRotationFailureGroup'
        ? `Many secrets fail for one cause; fix the cause once. ${runbookFor(first)}`
        : eventName === 'KmsRotationRecovered'
          ? 'These secrets are healthy again; nothing to do.'
          : `Still open: ${runbookFor(first)}`,
  };
  const chunks: AlertItem[][] = [[]];
  let size = JSON.stringify(header).length + 100;
  for (const item of items) {
    const add = JSON.stringify(entry(item)).length + 1;
    if (size + add > GROUP_CONTENT_LIMIT && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      size = JSON.stringify(header).length + 100;
    }
    chunks[chunks.length - 1]!.push(item);
    size += add;
  }
  return chunks.map((chunk, index) => ({
    eventName,
    content: JSON.stringify({ ...header, part: index + 1, parts: chunks.length, affected: chunk.map(entry) }),
    alertIds: chunk.map((i) => alertIdFor(i.episode, i.episode.alert!)),
    items: chunk,
  }));
}

/** The events for this pass's undelivered alerts, grouped by cause when ALERT_STORM_THRESHOLD is reached. */
export function buildAlertMessages(items: AlertItem[], config: Config): AlertMessage[] {
  const messages: AlertMessage[] = [];
  const groups = new Map<string, { eventName: AlertName; cause: string; items: AlertItem[] }>();
  const single: AlertItem[] = [];
  for (const item of items) {
    const name = alertNameFor(item.episode);
    if (!name) continue;
    const cause = item.episode.cause ?? (item.episode.lastError ? `c:${item.episode.lastError.code}` : undefined);
    const eventName = GROUP_EVENT[name];
    // Only rotation failures share causes worth grouping; policy warnings are per secret by nature.
    if (!cause || !eventName || !isFailureCheck(item.episode.checkId)) {
      single.push(item);
      continue;
    }
    const key = `${eventName}|${cause}`;
    const group = groups.get(key) ?? { eventName, cause, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    if (group.items.length >= ALERT_STORM_THRESHOLD)
      messages.push(...groupMessages(group.eventName, group.cause, group.items, config));
    else single.push(...group.items);
  }
  for (const item of single) {
    const eventName = alertNameFor(item.episode)!;
    const content = contentOf(item, config);
    messages.push({
      eventName,
      content: JSON.stringify(content),
      alertIds: [content.alertId as string],
      items: [item],
    });
  }
  return messages;
}
