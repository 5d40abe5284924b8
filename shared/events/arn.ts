/**
 * KMS secret ARNs: `acs:kms:${region}:${account}:secret/${name}` (reference §2). A secret name may
 * itself contain `/` (acs/ram/user/alice), so everything after the first `secret/` is the name.
 */
const SECRET_ARN = /^acs:kms:([^:]*):(\d*):secret\/(.+)$/;

export interface SecretArn {
  regionId: string;
  accountId: string;
  secretName: string;
}

export function parseSecretArn(text: string): SecretArn | undefined {
  const match = SECRET_ARN.exec(text);
  if (!match) return undefined;
  return { regionId: match[1] ?? '', accountId: match[2] ?? '', secretName: match[3] ?? '' };
}

/** The secret name from an ARN, or the text itself when it is already a name. */
export function secretNameFromArn(arnOrName: string): string {
  return parseSecretArn(arnOrName)?.secretName ?? arnOrName;
}

/** The account id of any `acs:<product>:<region>:<account>:...` ARN, when it names one. */
export function accountFromArn(arn: string): string | undefined {
  const match = /^acs:[^:]+:[^:]*:(\d+):/.exec(arn);
  return match?.[1];
}
