/**
 * What a finding says, written at render time from its evidence and the report's "now". The
 * summary a check wrote when it evaluated the secret can read wrong later ("has not completed in
 * 0.5 h" about a rotation started 59 days ago: 0.5 h was the expected time, not the elapsed one),
 * so the report says when things happened and how long ago instead. A finding without the
 * evidence a sentence needs keeps its summary.
 */
import { span, when } from './time-text';
import type { ReportFinding } from './types';

type Evidence = NonNullable<ReportFinding['evidence']>;

const date = (e: Evidence, key: string): number | undefined => {
  const v = e[key];
  const ms = typeof v === 'string' ? Date.parse(v) : undefined;
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
};
const seconds = (e: Evidence, key: string): number | undefined =>
  typeof e[key] === 'number' ? (e[key] as number) * 1000 : undefined;
const text = (e: Evidence, key: string): string | undefined =>
  typeof e[key] === 'string' && e[key] !== '' ? (e[key] as string) : undefined;

const SENTENCES: Record<string, (e: Evidence, now: number) => string | undefined> = {
  'rotation-failed': (e, now) => {
    const failed = date(e, 'failedAt');
    const code = text(e, 'errorCode');
    if (failed === undefined && code === undefined)
      return `KMS marked automatic rotation ${text(e, 'automaticRotation') ?? 'Invalid'}; it does not retry.`;
    return `Rotation failed${failed !== undefined ? ` ${when(failed, now)}` : ''}${code ? ` with ${code}` : ''}; KMS does not retry it.`;
  },
  'rotation-overdue': (e, now) => {
    const due = date(e, 'nextRotationDate');
    if (due === undefined) return undefined;
    const last = date(e, 'lastRotationDate');
    return `Due ${when(due, now)}; last rotated ${last !== undefined ? when(last, now) : 'never'}.`;
  },
  'stuck-in-progress': (e, now) => {
    const started = date(e, 'rotationStartedAt');
    const expected = seconds(e, 'expectedSeconds');
    if (started === undefined) return undefined;
    return `Rotation started ${when(started, now)} and has not finished${expected !== undefined ? `; expected within ${span(expected)}` : ''}.`;
  },
  'deletion-scheduled': (e, now) => {
    const at = date(e, 'plannedDeleteTime');
    if (at === undefined) return undefined;
    const user = text(e, 'ramUserName');
    const keys = text(e, 'leftoverAccessKeys');
    // A RAM secret's deletion leaves its user's AccessKeys active (checks.ts withLeftoverKeys).
    const left = user && keys ? ` RAM user ${user} keeps its AccessKeys: ${keys}.` : '';
    return `Deletion becomes permanent ${when(at, now)}; restore it before then if it is a mistake.${left}`;
  },
  'generic-stale': (e, now) => {
    const created = date(e, 'currentCreatedAt');
    const max = seconds(e, 'maxAgeSeconds');
    if (created === undefined) return undefined;
    return `Current value created ${when(created, now)}${max !== undefined ? `; policy allows ${span(max)}` : ''}.`;
  },
  'interval-out-of-policy': (e) => {
    const interval = seconds(e, 'rotationIntervalSeconds');
    const min = seconds(e, 'minIntervalSeconds');
    const max = seconds(e, 'maxIntervalSeconds');
    if (interval === undefined || min === undefined || max === undefined) return undefined;
    return `Rotates every ${span(interval)}; policy wants ${span(min)} to ${span(max)}.`;
  },
  'verification-failed': (e, now) => {
    const at = date(e, 'probedAt');
    const reason = text(e, 'reason');
    return `The current credential was refused${at !== undefined ? ` ${when(at, now)}` : ''}${reason ? `: ${reason}` : ''}.`;
  },
};

export function findingText(f: ReportFinding, now: number): string {
  if (!f.evidence) return f.summary;
  return SENTENCES[String(f.checkId)]?.(f.evidence, now) ?? f.summary;
}

/** When the problem began, from the evidence, for findings the orchestrator has no episode for. */
export function sinceFromEvidence(checkId: string, evidence: Evidence | undefined): number | undefined {
  if (!evidence) return undefined;
  if (checkId === 'generic-stale') {
    const created = date(evidence, 'currentCreatedAt');
    const max = seconds(evidence, 'maxAgeSeconds');
    return created !== undefined && max !== undefined ? created + max : created;
  }
  const key: Record<string, string> = {
    'rotation-failed': 'failedAt',
    'rotation-overdue': 'nextRotationDate',
    'stuck-in-progress': 'rotationStartedAt',
    'verification-failed': 'probedAt',
  };
  return key[checkId] ? date(evidence, key[checkId]!) : undefined;
}
