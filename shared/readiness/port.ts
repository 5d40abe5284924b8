/**
 * The narrow port the readiness reader needs: one read per call, `undefined` when the resource does
 * not exist, a thrown CloudError when the call fails (denied, throttled, down). Implemented over
 * the wire by shared/adapters/alibaba/target-client.ts; by fakes in unit tests.
 */
export interface TargetReads {
  rdsInstance(id: string): Promise<{ status: string } | undefined>;
  rdsAccounts(id: string): Promise<string[] | undefined>;
  redisInstance(id: string): Promise<{ status: string } | undefined>;
  redisAccounts(id: string): Promise<string[] | undefined>;
  polardbCluster(id: string): Promise<{ status: string } | undefined>;
  polardbAccounts(id: string): Promise<string[] | undefined>;
  ecsInstance(id: string): Promise<{ status: string } | undefined>;
  /** true when Cloud Assistant reports a heartbeat; undefined when the instance is unknown to it. */
  cloudAssistant(id: string): Promise<boolean | undefined>;
  ramUser(userName: string): Promise<true | undefined>;
  /** The user's AccessKey ids (never secrets); undefined when the user does not exist. */
  ramAccessKeys(userName: string): Promise<string[] | undefined>;
  /** When the key was last used (epoch ms), null when never; undefined when user or key is gone. */
  accessKeyLastUsed(userName: string, accessKeyId: string): Promise<number | null | undefined>;
  role(roleName: string): Promise<true | undefined>;
  kmsInstance(id: string): Promise<{ endDate?: number } | undefined>;
  /** The policy document of a secret in a KMS instance. */
  secretPolicy(secretName: string): Promise<string>;
}

export type TargetReadName = keyof TargetReads;
