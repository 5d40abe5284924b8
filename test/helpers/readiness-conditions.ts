/**
 * The 8 conditions of the readiness forecast's acceptance (issue 16), on the targets both readiness
 * scenarios seed: RDS instance rm-1 (accounts app, app_clone), RAM user svc, ECS instance i-1, KMS
 * instance kst-1. `secret` names the role of the secret each breaks; each test maps it to its own.
 * `$added` in a fix stands for the AccessKey its induce created.
 */
export const RDS_SERVICE_ROLE = 'AliyunServiceRoleForKMSSecretsManagerForRDS';

export interface ReadinessCondition {
  name: string;
  secret: 'db' | 'ram' | 'ecs' | 'vaulted';
  cause: string;
  /** The resource the finding names. */
  resource: string;
  /** The code the rotation fails with when the condition is left unfixed. */
  code: string;
  induce: Record<string, unknown>;
  fix: Record<string, unknown>;
}

/** `dueAt`: the secrets' NextRotationDate (the KMS instance is made to end an hour before it). */
export function readinessConditions(dueAt: number): ReadinessCondition[] {
  return [
    {
      name: 'RDS instance stopped',
      secret: 'db',
      cause: 'instance-not-running',
      resource: 'rm-1',
      code: 'IncorrectDBInstanceState',
      induce: { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Stopped' },
      fix: { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Running' },
    },
    {
      name: 'RDS account deleted',
      secret: 'db',
      cause: 'account-missing',
      resource: 'rm-1',
      code: 'InvalidAccountName.NotFound',
      induce: { Kind: 'RdsInstance', Id: 'rm-1', DeleteAccount: 'app_clone' },
      fix: { Kind: 'RdsInstance', Id: 'rm-1', AddAccount: 'app_clone' },
    },
    {
      name: 'RAM user deleted',
      secret: 'ram',
      cause: 'ram-user-missing',
      resource: 'svc',
      code: 'EntityNotExist.User',
      induce: { Kind: 'RamUser', Id: 'svc', Deleted: true },
      fix: { Kind: 'RamUser', Id: 'svc' },
    },
    {
      name: 'a second AccessKey added',
      secret: 'ram',
      cause: 'access-key-limit',
      resource: 'svc',
      code: 'LimitExceeded.User.AccessKey',
      induce: { Kind: 'RamUser', Id: 'svc', AddAccessKey: true },
      fix: { Kind: 'RamUser', Id: 'svc', DeleteAccessKey: '$added' },
    },
    {
      name: 'ECS instance stopped',
      secret: 'ecs',
      cause: 'instance-not-running',
      resource: 'i-1',
      code: 'IncorrectInstanceStatus',
      induce: { Kind: 'EcsInstance', Id: 'i-1', Status: 'Stopped' },
      fix: { Kind: 'EcsInstance', Id: 'i-1', Status: 'Running' },
    },
    {
      name: 'Cloud Assistant offline',
      secret: 'ecs',
      cause: 'cloud-assistant-offline',
      resource: 'i-1',
      code: 'ClientNotRunning',
      induce: { Kind: 'EcsInstance', Id: 'i-1', CloudAssistant: false },
      fix: { Kind: 'EcsInstance', Id: 'i-1', CloudAssistant: true },
    },
    {
      name: 'service role removed',
      secret: 'db',
      cause: 'service-role-missing',
      resource: RDS_SERVICE_ROLE,
      code: 'EntityNotExist.Role',
      induce: { Kind: 'ServiceRole', Id: RDS_SERVICE_ROLE, Deleted: true },
      fix: { Kind: 'ServiceRole', Id: RDS_SERVICE_ROLE, Deleted: false },
    },
    {
      name: 'KMS instance within 15 days of its end',
      secret: 'vaulted',
      cause: 'kms-instance-expiring',
      resource: 'kst-1',
      code: 'Rejected.Unavailable',
      induce: { Kind: 'KmsInstance', Id: 'kst-1', EndDate: new Date(dueAt - 3_600_000).toISOString() },
      fix: { Kind: 'KmsInstance', Id: 'kst-1', EndDate: '2027-11-01T00:00:00Z' },
    },
  ];
}
