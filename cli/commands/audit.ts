/**
 * `kro audit`: a read-only sweep of a real account (default credential chain, --region) or of the
 * emulator (--endpoint host:port, its default key). Lists, describes and evaluates every secret,
 * writes nothing, prints a table of findings (or one JSON document), optionally the HTML report.
 * Its exit status is for pipelines (AUDIT_EXIT): 0 clean, 1 a finding at or above --fail-on,
 * 2 a usage error (cli/main.ts), 3 could not assess: a secret unreadable, the endpoint or the
 * listing failing, or the report not writable. 3 wins over 1: an audit that did not read everything
 * cannot say the rest is clean, so it never prints "No findings" for secrets it did not read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import type { Finding } from '../../shared/domain/types';
import { auditSweep, type AuditSweepResult } from '../../shared/report/audit-sweep';
import {
  buildAuditReportData,
  findingRows,
  formatFindingsTable,
  formatReadinessTable,
  progressBar,
  renderReportHtml,
  type AlertLog,
} from '../../shared/report';
import { readAlertLog } from '../../shared/report/alert-history';
import { policyFor } from '../../shared/domain/policy';
import type { Config } from '../../shared/config-types';
import { subTypeOf } from '../../shared/domain/secret-kinds';
import { CloudError } from '../../shared/errors';
import { redactMessage } from '../../shared/domain/redact';
import { parseArgs, stringOption, UsageError } from '../args';
import { resolveCredentials } from '../credentials';
import type { CliCommand, CliIo } from '../types';

const OPTIONS = [
  {
    flag: '--endpoint HOST:PORT',
    description: 'audit the emulator at HOST:PORT (with its default key) instead of Alibaba Cloud',
  },
  { flag: '--region R', description: 'region (default: KRO_REGION_ID, else cn-hangzhou)' },
  {
    flag: '--json',
    description: 'print one JSON document: {findings:[{checkId, severity, secretName, summary, evidence}], ...}',
  },
  { flag: '--report FILE', description: 'also write the HTML report to FILE' },
  {
    flag: '--fail-on LEVEL',
    description:
      'exit 1 when a finding is at least LEVEL: critical (default), warning or never. Exit 3 when anything could not be assessed (a secret unreadable, the endpoint failing, the report not writable), 2 on a usage error',
  },
];

export type FailOn = 'critical' | 'warning' | 'never';

export const AUDIT_EXIT = { clean: 0, findings: 1, usage: 2, notAssessed: 3 } as const;

export function exitStatusFor(findings: readonly Pick<Finding, 'severity'>[], failOn: FailOn): number {
  if (failOn === 'never') return 0;
  const failing = findings.some((f) => f.severity === 'critical' || (failOn === 'warning' && f.severity === 'warning'));
  return failing ? 1 : 0;
}

export function auditJson(result: AuditSweepResult, meta: { region: string; target: string }): Record<string, unknown> {
  const counts = { critical: 0, warning: 0 };
  for (const f of result.findings) counts[f.severity] += 1;
  return {
    target: meta.target,
    region: meta.region,
    observedAt: new Date(result.observedAt).toISOString(),
    secrets: result.secrets.length,
    counts,
    findings: result.findings.map((f) => ({
      checkId: f.checkId,
      severity: f.severity,
      secretName: f.secretName,
      summary: f.summary,
      evidence: f.evidence,
      runbook: f.runbook,
    })),
    listed: result.secrets.length + result.unreadable.length,
    unreadable: result.unreadable,
    ...(result.readiness ? { readiness: result.readiness } : {}),
  };
}

/** Why the audit could not assess: a CloudError's code, else the redacted message (it may quote anything). */
function failureText(error: unknown): string {
  if (error instanceof CloudError) return `${error.code}${error.message ? `: ${redactMessage(error.message)}` : ''}`;
  return redactMessage(error instanceof Error ? error.message : String(error)) ?? 'unknown error';
}

const DAY = 86_400_000;
/** The rotation schedule drawn around the audit's moment: back to the oldest last rotation (at most a year), a month ahead. */
const SCHEDULE_MIN_PAST_DAYS = 60;
const SCHEDULE_MAX_PAST_DAYS = 365;
const SCHEDULE_AHEAD_DAYS = 31;

export function auditReportHtml(
  result: AuditSweepResult,
  options: { source: string; config: Config; alertLog?: AlertLog },
): string {
  const { config } = options;
  const at = result.observedAt;
  const oldest = Math.min(at - SCHEDULE_MIN_PAST_DAYS * DAY, ...result.secrets.map((s) => s.lastRotationDate ?? at));
  const start = Math.max(oldest, at - SCHEDULE_MAX_PAST_DAYS * DAY);
  const data = buildAuditReportData(
    {
      observedAt: at,
      secrets: result.secrets.map((s) => ({
        secretName: s.secretName,
        secretType: String(s.secretType),
        subType: subTypeOf(s),
        env: policyFor(s, config).environment,
        lastRotationDate: s.lastRotationDate,
        nextRotationDate: s.automaticRotation === 'Enabled' ? s.nextRotationDate : undefined,
        plannedDeleteTime: s.plannedDeleteTime,
      })),
      findings: findingRows(result, {
        stateTagKey: config.stateTagKey,
        envOf: (d) => policyFor(d, config).environment,
      }),
      unreadable: result.unreadable,
    },
    {
      title: 'KMS secret rotation audit',
      source: options.source,
      generatedAt: at,
      period: { start, end: at + SCHEDULE_AHEAD_DAYS * DAY },
      alertLog: options.alertLog,
      readiness: result.readiness,
    },
  );
  return renderReportHtml(data);
}

function parseFailOn(value: string | undefined): FailOn {
  const v = value ?? 'critical';
  if (v !== 'critical' && v !== 'warning' && v !== 'never')
    throw new UsageError(`--fail-on must be critical, warning or never (got "${v}")`);
  return v;
}

/**
 * "Now" for the checks. The emulator runs on its own simulated clock (a seeded fleet may live in
 * another month), so against --endpoint the audit asks it (GET /_emulator/now); a real account
 * is judged on this machine's clock.
 */
export async function auditClock(endpoint: string | undefined): Promise<() => number> {
  if (!endpoint) return () => Date.now();
  try {
    const reply = await fetch(`http://${endpoint}/_emulator/now`, { signal: AbortSignal.timeout(3000) });
    const body = (await reply.json()) as { now?: unknown };
    if (reply.ok && typeof body.now === 'number') {
      const simulated = body.now;
      const asked = Date.now();
      return () => simulated + (Date.now() - asked);
    }
  } catch {
    // Not the project's emulator (or an old one): fall back to this machine's clock.
  }
  return () => Date.now();
}

export async function runAudit(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const endpoint = stringOption(args, 'endpoint');
  const region = stringOption(args, 'region') ?? io.env.KRO_REGION_ID ?? 'cn-hangzhou';
  const failOn = parseFailOn(stringOption(args, 'fail-on'));
  const reportFile = stringOption(args, 'report');
  const json = args.options.json === true;

  const env: Record<string, string | undefined> = { ...io.env, KRO_REGION_ID: region, KRO_DRY_RUN: 'true' };
  if (endpoint) Object.assign(env, { KRO_ENDPOINT: endpoint, KRO_PACING: 'false' });
  const loaded = loadConfig(env);
  const clients = createAlibabaClients({
    config: loaded,
    credentials: await resolveCredentials(io.env, endpoint),
    consumer: 'cli',
  });
  const target = endpoint ? `emulator ${endpoint}` : `Alibaba Cloud ${region}`;
  // Whether a secret policy admits another account needs ours: asked of STS when not configured.
  const accountId =
    loaded.accountId ??
    (await clients.sts.getCallerIdentity().then(
      (id) => id.accountId,
      () => undefined,
    ));
  const config = accountId ? { ...loaded, accountId } : loaded;

  const showBar = io.isTTY && !json;
  let result: AuditSweepResult;
  try {
    result = await auditSweep(clients.kms, config, {
      now: await auditClock(endpoint),
      targets: clients.targets,
      onProgress: showBar
        ? (done, total) => io.stderr(progressBar(done, total, `${done}/${total} secrets`))
        : undefined,
    });
  } catch (error) {
    if (showBar) io.stderr('\n');
    io.stderr(`kro audit: could not assess ${target}: ${failureText(error)}\n`);
    return AUDIT_EXIT.notAssessed;
  }
  if (showBar) io.stderr('\n');

  let reportError: string | undefined;
  if (reportFile) {
    const file = path.resolve(reportFile);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const alertLog = await readAlertLog(clients.monitor, result.observedAt);
      writeFileSync(file, auditReportHtml(result, { source: `read-only audit of ${target}`, config, alertLog }));
    } catch (error) {
      reportError = `could not write the report ${file}: ${failureText(error)}`;
    }
  }
  const listed = result.secrets.length + result.unreadable.length;
  if (json) {
    io.stdout(`${JSON.stringify(auditJson(result, { region, target }))}\n`);
  } else {
    io.stdout(
      result.unreadable.length
        ? `Audited ${result.secrets.length} of ${listed} secrets in ${target} (read-only): ${result.unreadable.length} could not be read.\n\n`
        : `Audited ${result.secrets.length} secrets in ${target} (read-only).\n\n`,
    );
    const table = formatFindingsTable(result.findings);
    if (result.findings.length === 0 && result.unreadable.length)
      io.stdout(`No findings among the ${result.secrets.length} secrets read; the others were not assessed.\n`);
    else io.stdout(`${table.join('\n')}\n`);
    const readiness = formatReadinessTable(result.readiness ?? []);
    if (readiness.length > 0) io.stdout(`\n${readiness.join('\n')}\n`);
    if (reportFile && !reportError) io.stdout(`\nHTML report: ${path.resolve(reportFile)}\n`);
  }
  // The unreadable secrets go to stderr in both forms: JSON on stdout stays one document.
  for (const u of result.unreadable) io.stderr(`kro audit: could not read ${u.secretName}: ${u.code}\n`);
  if (reportError) io.stderr(`kro audit: ${reportError}\n`);
  if (result.unreadable.length || reportError) return AUDIT_EXIT.notAssessed;
  return exitStatusFor(result.findings, failOn);
}

export const command: CliCommand = {
  name: 'audit',
  summary: 'read-only check of every secret in an account (or the emulator): findings table, JSON, HTML report',
  usage: 'audit [--endpoint HOST:PORT | --region R] [--json] [--report FILE] [--fail-on critical|warning|never]',
  options: OPTIONS,
  run: runAudit,
};
