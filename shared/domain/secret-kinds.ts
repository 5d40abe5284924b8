/** Facts about secret types that the checks, remediation and alerts share. */
import type { Config } from './config-types';
import type { SecretDescription } from './secret';

const MANAGED = new Set(['rds', 'redis', 'ramcredentials', 'ecs', 'polardb']);

/** The tag that says where a secret's credential is probed (shared/probes/target.ts parses its value). */
export const PROBE_TAG_KEY = 'kro-probe';

export function isManaged(secretType: string): boolean {
  return MANAGED.has(secretType.toLowerCase());
}

export function isRam(secretType: string): boolean {
  return secretType.toLowerCase() === 'ramcredentials';
}

/**
 * How long a managed rotation may take: RAM keeps both AccessKeys for about 48 h before it deletes
 * the old one (DESIGN §4, alibaba-cloud-apis.md §3); RDS, ECS, Redis and PolarDB take minutes.
 * Facts about the service, not an operator's choice.
 */
export const RAM_EXPECTED_COMPLETION_HOURS = 48;
export const EXPECTED_COMPLETION_MINUTES = 30;

export function expectedCompletionMs(secretType: string): number {
  return isRam(secretType) ? RAM_EXPECTED_COMPLETION_HOURS * 3_600_000 : EXPECTED_COMPLETION_MINUTES * 60_000;
}

/** ExtendedConfig's SecretSubType (SingleUser, DoubleUsers, DualUser, ...), when present. */
export function subTypeOf(description: Pick<SecretDescription, 'extendedConfig'>): string | undefined {
  const value = description.extendedConfig['SecretSubType'] ?? description.extendedConfig['secretSubType'];
  return typeof value === 'string' ? value : undefined;
}

/** The rotation target (RDS instance, ECS instance, RAM user) that failures on one secret share with others. */
export function rotationTargetOf(
  description: Pick<SecretDescription, 'extendedConfig' | 'secretType'>,
): string | undefined {
  // A Generic secret has no ExtendedConfig at all.
  const c = description.extendedConfig ?? {};
  for (const key of ['DBInstanceId', 'InstanceId', 'RegionInstanceId', 'UserName', 'DBClusterId']) {
    const value = c[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/** The last path segment of a RotationEntityArn (acs:rds:cn-hangzhou:123:dbinstance/rm-x -> rm-x). */
export function targetFromArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const last = arn.split('/').pop();
  return last || undefined;
}

export function secretArn(secretName: string, config: Pick<Config, 'regionId' | 'accountId'>): string {
  return `acs:kms:${config.regionId}:${config.accountId ?? ''}:secret/${secretName}`;
}
