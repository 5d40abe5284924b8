/**
 * Verification of one secret (issue 7): pick the probe from the secret type and its target, read
 * the ACSCurrent value, log in once (one retry if the connection was cut), and forget the value.
 * The value is registered with the one redactor (domain/redact.ts) the moment it is read, and every
 * reason passes the redactor, with the value named, before it leaves: a driver may quote what it was given.
 */
import type { Config } from '../config-types';
import { CloudError } from '../errors';
import { redactMessage, redactText, registerSensitive } from '../domain/redact';
import type { StsPort } from '../ports/cloud';
import type { KmsPort, SecretDescription } from '../ports/kms';
import type { Logger } from '../ports/logger';
import { parseAccessKeyCredential, parseAccountCredential } from './credential';
import { probeMysql } from './mysql';
import { probePostgres } from './postgres';
import { probeRamAccessKey } from './ram';
import { probeRedis } from './redis';
import { PROBE_TAG_KEY, parseProbeTarget } from './target';
import type { AccountProbe, ProbeEngine, ProbeResult, ProbeTarget, ProbeTimeouts } from './types';

import type { VerificationResult } from '../ports/verifier';

export type { VerificationResult };

export interface VerifyDeps {
  kms: KmsPort;
  sts: StsPort;
  config: Config;
  logger: Logger;
  /** Replaces the built-in database and Redis probes (tests, or a driver a deployment prefers). */
  probes?: Partial<Record<ProbeEngine, AccountProbe>>;
  /** Replaces PROBE_TIMEOUTS (tests). */
  timeouts?: ProbeTimeouts;
}

/**
 * Each probe phase's limit. A database inside the VPC answers a connect or a SELECT 1 in
 * milliseconds; 5 s tells "down" from "slow" and keeps a probe well inside the remediate
 * function's 120 s timeout (s.yaml).
 */
export const PROBE_TIMEOUTS: ProbeTimeouts = { connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 };

const ACCOUNT_PROBES: Readonly<Record<ProbeEngine, AccountProbe>> = {
  postgresql: probePostgres,
  mysql: probeMysql,
  redis: probeRedis,
};

/** Which engines each secret type may be probed with. Generic secrets only when tagged. */
const ENGINES_BY_TYPE: Readonly<Record<string, readonly ProbeEngine[]>> = {
  Rds: ['postgresql', 'mysql'],
  PolarDB: ['postgresql', 'mysql'],
  Redis: ['redis'],
  Generic: ['postgresql', 'mysql', 'redis'],
};

type Plan = { kind: 'ram' } | { kind: 'account'; target: ProbeTarget } | VerificationResult;

export async function verifySecret(deps: VerifyDeps, description: SecretDescription): Promise<VerificationResult> {
  const log = deps.logger.child({ secretName: description.secretName, secretType: description.secretType });
  const result = await verify(deps, description);
  if (result.status === 'failed') log.warn('credential verification failed', { reason: result.reason });
  else if (result.status === 'skipped') log.debug('credential verification skipped', { reason: result.reason });
  else log.info('credential verification passed');
  return result;
}

async function verify(deps: VerifyDeps, description: SecretDescription): Promise<VerificationResult> {
  const plan = planProbe(deps.config, description);
  if ('status' in plan) return plan;

  let secretData: string;
  try {
    secretData = (await deps.kms.getSecretValue(description.secretName, { versionStage: 'ACSCurrent' })).secretData;
  } catch (error) {
    return readFailure(error);
  }
  registerSensitive(secretData);
  const timeouts = deps.timeouts ?? PROBE_TIMEOUTS;

  if (plan.kind === 'ram') {
    const parsed = parseAccessKeyCredential(secretData);
    if (!parsed.ok) return { status: 'failed', reason: parsed.problem };
    const { accessKeySecret } = parsed.credential;
    registerSensitive(accessKeySecret);
    const userName =
      typeof description.extendedConfig.UserName === 'string' ? description.extendedConfig.UserName : undefined;
    const outcome = await withOneRetry(() =>
      probeRamAccessKey(deps.sts, parsed.credential, timeouts, { userName, accountId: deps.config.accountId }),
    );
    return toVerification(outcome, [secretData, accessKeySecret]);
  }

  const parsed = parseAccountCredential(secretData);
  if (!parsed.ok) return { status: 'failed', reason: parsed.problem };
  const { password } = parsed.credential;
  registerSensitive(password);
  const probe = deps.probes?.[plan.target.engine] ?? ACCOUNT_PROBES[plan.target.engine];
  const outcome = await withOneRetry(() => probe(plan.target, parsed.credential, timeouts));
  return toVerification(outcome, [secretData, password]);
}

/** Decides what to probe, before any value is read. */
export function planProbe(config: Config, description: SecretDescription): Plan {
  if (!config.verification.enabled) return { status: 'skipped', reason: 'verification is disabled (KRO_VERIFY=false)' };
  if (description.plannedDeleteTime) return { status: 'skipped', reason: 'the secret is scheduled for deletion' };
  if (description.secretType === 'RAMCredentials') return { kind: 'ram' };

  const engines = ENGINES_BY_TYPE[description.secretType];
  const tagged = description.tags[PROBE_TAG_KEY];
  const configured = config.verification.targets?.[description.secretName];
  const text = tagged ?? configured;
  if (!engines) return { status: 'skipped', reason: `no probe exists for ${description.secretType} secrets` };
  if (!text) {
    const hint = `tag the secret ${PROBE_TAG_KEY}=<${engines.join('|')}>://host:port${engines.includes('redis') && engines.length === 1 ? '' : '/database'}`;
    return { status: 'skipped', reason: `no probe target: ${hint}, or list it in KRO_VERIFY_TARGETS` };
  }
  const source = tagged ? `tag ${PROBE_TAG_KEY}` : 'KRO_VERIFY_TARGETS';
  const parsed = parseProbeTarget(text);
  // A target someone wrote but got wrong must be seen, not silently skipped.
  if (!parsed.ok) return { status: 'failed', reason: `the probe target in ${source} is invalid: ${parsed.problem}` };
  if (!engines.includes(parsed.target.engine)) {
    return {
      status: 'failed',
      reason: `the probe target in ${source} is ${parsed.target.engine}, which a ${description.secretType} secret cannot be (expected ${engines.join(' or ')})`,
    };
  }
  return { kind: 'account', target: parsed.target };
}

async function withOneRetry(attempt: () => Promise<ProbeResult>): Promise<ProbeResult> {
  const first = await attempt();
  return !first.ok && first.transient ? attempt() : first;
}

function toVerification(outcome: ProbeResult, sensitive: string[]): VerificationResult {
  if (outcome.ok) return { status: 'ok' };
  const reason = redactText(outcome.reason, { values: sensitive });
  return outcome.inconclusive ? { status: 'skipped', reason } : { status: 'failed', reason };
}

function readFailure(error: unknown): VerificationResult {
  if (error instanceof CloudError) {
    // Throttling or an outage says nothing about the credential: never a false verification alert.
    if (error.retryable)
      return {
        status: 'skipped',
        reason: `could not read the ACSCurrent value (${error.code}); will try again on the next schedule`,
      };
    const hint = error.code.startsWith('Forbidden')
      ? ' (the function role needs kms:GetSecretValue on the secret, and kms:Decrypt on its CMK)'
      : '';
    return { status: 'failed', reason: `could not read the ACSCurrent value: ${error.code}${hint}` };
  }
  return {
    status: 'failed',
    reason: `could not read the ACSCurrent value: ${redactMessage((error as Error).message ?? String(error)) ?? 'unknown error'}`,
  };
}
