/**
 * The read model behind `kro audit` (and the demo's closing snapshot): list every secret,
 * describe it, read the versions where a check needs them, and evaluate them with the sweep's own
 * pure evaluation (domain/assess.ts evaluateSecret). It only reads: no RotateSecret, no tag write,
 * no alert, no episode. The orchestrator's state tag, when present, is decoded so a rotation it
 * saw start (stuck-in-progress) or fail (rotation-failed's error code) is reported too.
 */
import type { Config } from '../config-types';
import { CloudError } from '../errors';
import { evaluateSecret } from '../domain/assess';
import { needsVersions } from '../domain/checks';
import { decodeState } from '../domain/episode-tag';
import type { Finding } from '../domain/types';
import { type KmsPort, LIST_SECRETS_PAGE_SIZE, type SecretDescription, type SecretSummary } from '../ports/kms';
import { DESCRIBE_CONCURRENCY, mapLimit } from '../concurrency';
import { auditReadiness } from '../readiness/audit-readiness';
import type { TargetReads } from '../readiness/port';
import { readinessRow, type ReadinessRow } from './readiness-rows';

export interface AuditSweepResult {
  observedAt: number;
  secrets: SecretDescription[];
  findings: Finding[];
  /** Secrets that could not be read (no permission, an error): named, never guessed healthy. */
  unreadable: Array<{ secretName: string; code: string }>;
  /** Readiness per secret (and who its policy admits), when the target reads were given. */
  readiness?: ReadinessRow[];
}

export interface AuditSweepOptions {
  now: () => number;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Read-only reads of the rotation targets: each managed secret's next rotation is checked now
   * (rotation-at-risk) and each KMS-instance secret's policy read (secret-policy-broad). Absent:
   * no readiness in the result.
   */
  targets?: TargetReads;
}

export async function auditSweep(kms: KmsPort, config: Config, options: AuditSweepOptions): Promise<AuditSweepResult> {
  const summaries: SecretSummary[] = [];
  for await (const s of kms.listSecrets({ fetchTags: true, pageSize: LIST_SECRETS_PAGE_SIZE })) summaries.push(s);
  const described = new Map<string, SecretDescription>();
  const findings = new Map<string, Finding[]>();
  const unreadable: AuditSweepResult['unreadable'] = [];
  let done = 0;
  options.onProgress?.(0, summaries.length);
  await mapLimit(summaries, options.concurrency ?? DESCRIBE_CONCURRENCY, async (summary): Promise<void> => {
    try {
      const description = await kms.describeSecret(summary.secretName, { fetchTags: true });
      const versions = needsVersions(description.secretType)
        ? await kms.listSecretVersionIds(description.secretName)
        : undefined;
      const now = options.now();
      const { state } = decodeState(description.tags[config.stateTagKey], description.secretName);
      described.set(summary.secretName, description);
      findings.set(summary.secretName, evaluateSecret({ description, versions, state, now }, config).findings);
    } catch (error) {
      if (!(error instanceof CloudError) || error.retryable) throw error;
      // Deleted between the list and the describe: gone, not unassessed (the sweep does the same).
      if (!/ResourceNotFound/.test(error.code)) unreadable.push({ secretName: summary.secretName, code: error.code });
    }
    options.onProgress?.(++done, summaries.length);
  });
  // Keep the listing's order: the same account gives the same report.
  const order = summaries.map((s) => s.secretName);
  const secrets = order.flatMap((n) => described.get(n) ?? []);
  let readiness: ReadinessRow[] | undefined;
  if (options.targets) {
    const read = await auditReadiness({
      reads: options.targets,
      accountId: config.accountId ?? '',
      secrets,
      now: options.now(),
    });
    for (const f of read.findings) findings.get(f.secretName)?.push(f);
    readiness = read.bySecret.map(readinessRow);
  }
  return {
    observedAt: options.now(),
    secrets,
    findings: order.flatMap((n) => findings.get(n) ?? []),
    unreadable,
    ...(readiness ? { readiness } : {}),
  };
}
