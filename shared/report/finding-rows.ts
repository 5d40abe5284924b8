/**
 * The findings table's rows: each finding of a read-only sweep joined with the orchestrator's
 * episode for it (decoded from the secret's state tag: status, attempts, when it opened, the last
 * error code) and the secret's environment. An account the orchestrator does not watch has no
 * state tag: its findings are `open`, with an age taken from the evidence.
 */
import { decodeState } from '../domain/episode-tag';
import type { Episode } from '../domain/episode';
import type { Finding } from '../domain/types';
import type { SecretDescription } from '../ports/kms';
import { sinceFromEvidence } from './finding-text';
import type { FindingStatus, ReportFinding } from './types';

const STATUS_OF: Record<Episode['status'], FindingStatus> = {
  opened: 'open',
  retrying: 'retrying',
  escalated: 'escalated',
  resolved: 'resolved',
};

export function findingRows(
  sweep: { secrets: SecretDescription[]; findings: Finding[] },
  options: { stateTagKey: string; envOf: (description: SecretDescription) => string | undefined },
): ReportFinding[] {
  const described = new Map(sweep.secrets.map((d) => [d.secretName, d]));
  const episodes = new Map<string, Episode[]>();
  const episodesOf = (d: SecretDescription) => {
    let list = episodes.get(d.secretName);
    if (!list)
      episodes.set(d.secretName, (list = decodeState(d.tags[options.stateTagKey], d.secretName).state.episodes));
    return list;
  };
  return sweep.findings.map((f) => {
    const d = described.get(f.secretName);
    const episode = d ? episodesOf(d).find((e) => e.checkId === f.checkId && e.status !== 'resolved') : undefined;
    const row: ReportFinding = {
      checkId: f.checkId,
      severity: f.severity,
      secretName: f.secretName,
      summary: f.summary,
      status: episode ? STATUS_OF[episode.status] : 'open',
      attempts: episode?.attempts ?? 0,
      runbook: f.runbook,
      evidence: f.evidence,
    };
    const since = episode?.openedAt ?? sinceFromEvidence(f.checkId, f.evidence);
    if (since !== undefined) row.since = since;
    const env = d ? options.envOf(d) : undefined;
    if (env) row.env = env;
    const code = episode?.lastError?.code ?? f.cause?.errorCode;
    if (code) row.lastErrorCode = code;
    return row;
  });
}
