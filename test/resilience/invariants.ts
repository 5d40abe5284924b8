/**
 * The resilience invariants, as pure functions over what a run recorded. Each returns the list of
 * violations (empty when the invariant holds), so a failure names exactly what broke.
 */
import type { RotateCall } from './recorder';

const HOUR = 3_600_000;
/** An alert id: kro-<episode id>-<stage: open, escalate, remind, resolve><base36 seconds>. */
const ALERT_ID = /kro-([0-9a-f]{10})-([oemr])([0-9a-z]+)/g;

export interface CustomEventRecord {
  name: string;
  time: number;
  content: string;
}

export interface SecretOutcome {
  secretName: string;
  failures: number;
  /** The last rotation succeeded and automatic rotation is no longer Invalid. */
  recovered: boolean;
  /** Episodes the state tag holds as escalated. */
  escalatedEpisodes: string[];
  /** Episodes the state tag still holds open (opened or retrying). */
  openEpisodes: string[];
  /** Alerts still waiting on the state tag (queued or sending). */
  pendingAlerts: number;
}

export function alertIdsIn(content: string): string[] {
  return [...content.matchAll(ALERT_ID)].map((m) => m[0]);
}

/** Every alert id appears in exactly one custom event (a grouped event may name many). */
export function duplicateAlerts(events: CustomEventRecord[]): string[] {
  const seen = new Map<string, number>();
  for (const e of events) for (const id of new Set(alertIdsIn(e.content))) seen.set(id, (seen.get(id) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} delivered ${n} times`);
}

/** At most one "open" alert per episode. */
export function repeatedOpenAlerts(events: CustomEventRecord[]): string[] {
  const opens = new Map<string, Set<string>>();
  for (const e of events) {
    for (const m of e.content.matchAll(ALERT_ID)) {
      if (m[2] !== 'o') continue;
      const set = opens.get(m[1]!) ?? new Set<string>();
      set.add(m[0]);
      opens.set(m[1]!, set);
    }
  }
  return [...opens]
    .filter(([, ids]) => ids.size > 1)
    .map(([episode, ids]) => `episode ${episode} opened ${ids.size} times`);
}

/** Every secret whose rotation failed is healthy again, or escalated with its escalation alert delivered. */
export function unresolvedFailures(outcomes: SecretOutcome[], events: CustomEventRecord[]): string[] {
  const escalationAlerts = new Set<string>();
  for (const e of events) for (const m of e.content.matchAll(ALERT_ID)) if (m[2] === 'e') escalationAlerts.add(m[1]!);
  const problems: string[] = [];
  for (const o of outcomes) {
    if (o.failures === 0) continue;
    if (o.pendingAlerts > 0) problems.push(`${o.secretName}: ${o.pendingAlerts} alert(s) never delivered`);
    if (o.recovered && o.openEpisodes.length === 0) continue;
    if (o.recovered) {
      problems.push(`${o.secretName}: healthy again but episode ${o.openEpisodes.join(', ')} never resolved`);
      continue;
    }
    const alerted = o.escalatedEpisodes.filter((id) => escalationAlerts.has(id));
    if (o.escalatedEpisodes.length === 0)
      problems.push(`${o.secretName}: rotation failed, neither recovered nor escalated`);
    else if (alerted.length === 0) problems.push(`${o.secretName}: escalated without an escalation alert`);
  }
  return problems;
}

/** RotateSecret accepted at most once per (secret, VersionId): one attempt, one rotation. */
export function repeatedRotations(calls: RotateCall[]): string[] {
  const count = new Map<string, number>();
  for (const c of calls)
    if (c.ok) count.set(`${c.secretName} ${c.versionId}`, (count.get(`${c.secretName} ${c.versionId}`) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([key, n]) => `RotateSecret ${key} accepted ${n} times`);
}

/** The largest number of accepted RotateSecret calls in any sliding hour. */
export function peakRotationsPerHour(calls: RotateCall[]): { peak: number; at?: number } {
  const times = calls
    .filter((c) => c.ok)
    .map((c) => c.at)
    .sort((a, b) => a - b);
  let peak = 0;
  let at: number | undefined;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= HOUR) start++;
    if (end - start + 1 > peak) {
      peak = end - start + 1;
      at = times[start];
    }
  }
  return { peak, at };
}

/**
 * A failure event the adversary forged: dated in the future, before the secret's last rotation, or
 * now for a secret whose own state is healthy (that one may page: the event is KMS's word).
 */
export interface ForgedEvent {
  kind: 'future' | 'stale' | 'uncorroborated';
  secretName: string;
  publishedAt: number;
  claimedAt: number;
}

export interface RotationResult {
  secretName: string;
  at: number;
  outcome: string;
}

/** How long after a forged event its consequences (a page, a RotateSecret) would show. */
const FORGED_EFFECT_WINDOW_MS = 6 * HOUR;
/** A real failure this close to a forged event explains a page or a retry near it. */
const REAL_CAUSE_WINDOW_MS = 2 * 24 * HOUR;

function realFailureNear(history: RotationResult[], secretName: string, from: number, to: number): boolean {
  return history.some((h) => h.secretName === secretName && h.outcome === 'failure' && h.at >= from && h.at <= to);
}

/**
 * No forged event leads to a RotateSecret by the orchestrator or a failure alert naming its secret,
 * unless a real rotation failure of that secret explains it.
 */
export function forgedEventConsequences(
  forged: ForgedEvent[],
  orchestratorRotations: RotateCall[],
  failureAlerts: Array<{ at: number; secretNames: string[] }>,
  history: RotationResult[],
): string[] {
  const problems: string[] = [];
  for (const f of forged) {
    const end = f.publishedAt + FORGED_EFFECT_WINDOW_MS;
    if (realFailureNear(history, f.secretName, f.publishedAt - REAL_CAUSE_WINDOW_MS, end)) continue;
    if (
      orchestratorRotations.some((c) => c.ok && c.secretName === f.secretName && c.at >= f.publishedAt && c.at <= end)
    )
      problems.push(`${f.kind} event for ${f.secretName} led to RotateSecret`);
    if (
      f.kind !== 'uncorroborated' &&
      failureAlerts.some((a) => a.at >= f.publishedAt && a.at <= end && a.secretNames.includes(f.secretName))
    )
      problems.push(`${f.kind} event for ${f.secretName} led to a failure alert`);
  }
  return problems;
}

/** Every RotateSecret the orchestrator made follows a real rotation failure of that secret (within the window). */
export function rotationsWithoutCause(
  orchestratorRotations: RotateCall[],
  history: RotationResult[],
  windowMs = 7 * 24 * HOUR,
): string[] {
  return orchestratorRotations
    .filter((c) => c.ok && !realFailureNear(history, c.secretName, c.at - windowMs, c.at))
    .map((c) => `RotateSecret ${c.secretName} ${c.versionId} with no rotation failure before it`);
}

/**
 * rotation-at-risk never names a healthy secret (issue 16): every secret a KmsRotationAtRisk alert
 * names shares its rotation target with one whose target chaos deleted, or had a rotation fail.
 */
export function falseForecasts(atRisk: Iterable<string>, troubled: ReadonlySet<string>): string[] {
  return [...new Set(atRisk)].filter((name) => !troubled.has(name)).map((name) => `${name}: at risk while healthy`);
}
