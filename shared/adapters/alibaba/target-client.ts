/**
 * The readiness reads over openapi-core `callApi` (RPC style, like kms-client.ts): RDS 2014-08-15,
 * ECS 2014-05-26, Redis r-kvstore 2015-01-01, PolarDB 2017-08-01, RAM 2015-05-01, KMS 2016-01-20.
 * Reply shapes from aliyun/alibabacloud-typescript-sdk (`<product>/src/models/<Action>ResponseBody.ts`),
 * validated with zod; only the fields the forecast needs are read. A "not found" reply becomes
 * undefined; every other failure is thrown as a CloudError by the caller.
 */
import * as z from 'zod/mini';
import type { Config } from '../../config-types';
import { CloudError, type Product } from '../../errors';
import type { TargetReads } from '../../readiness/port';
import type { Caller } from './caller';
import { callRpc, parseReply, type RpcParams } from './rpc';
import { OpenApiClient, openApiConfig, type CredentialSource } from './sdk';
import { parseWireDate } from './wire-values';

type TargetProduct = Extract<Product, 'rds' | 'ecs' | 'r-kvstore' | 'polardb' | 'ram' | 'kms'>;

export const TARGET_VERSIONS: Readonly<Record<TargetProduct, string>> = {
  rds: '2014-08-15',
  ecs: '2014-05-26',
  'r-kvstore': '2015-01-01',
  polardb: '2017-08-01',
  ram: '2015-05-01',
  kms: '2016-01-20',
};

/** Public endpoints (each SDK's client.ts endpoint map): RDS, Redis, PolarDB and RAM are central. */
function hostOf(product: TargetProduct, region: string): string {
  switch (product) {
    case 'rds':
      return 'rds.aliyuncs.com';
    case 'ecs':
      return `ecs.${region}.aliyuncs.com`;
    case 'r-kvstore':
      return 'r-kvstore.aliyuncs.com';
    case 'polardb':
      return 'polardb.aliyuncs.com';
    case 'ram':
      return 'ram.aliyuncs.com';
    case 'kms':
      return `kms.${region}.aliyuncs.com`;
  }
}

/** Codes that mean "no such resource" (the forecast's answer), per product. */
const NOT_FOUND = new Set([
  'InvalidDBInstanceId.NotFound',
  'InvalidInstanceId.NotFound',
  'InvalidDBClusterId.NotFound',
  'EntityNotExist.User',
  'EntityNotExist.User.AccessKey',
  'EntityNotExist.Role',
  'Forbidden.ResourceNotFound',
]);

const text = z.string();
const list = <T extends z.ZodMiniType>(item: T) => z._default(z.optional(z.array(item)), []);
const rdsInstanceReply = z.object({
  Items: z.object({ DBInstanceAttribute: list(z.object({ DBInstanceStatus: text })) }),
});
const rdsAccountsReply = z.object({ Accounts: z.object({ DBInstanceAccount: list(z.object({ AccountName: text })) }) });
const redisInstanceReply = z.object({
  Instances: z.object({ DBInstanceAttribute: list(z.object({ InstanceStatus: text })) }),
});
const redisAccountsReply = z.object({ Accounts: z.object({ Account: list(z.object({ AccountName: text })) }) });
const polardbClusterReply = z.object({ DBClusterStatus: text });
const polardbAccountsReply = z.object({ Accounts: list(z.object({ AccountName: text })) });
const ecsInstancesReply = z.object({
  Instances: z.object({ Instance: list(z.object({ InstanceId: text, Status: text })) }),
});
const cloudAssistantReply = z.object({
  InstanceCloudAssistantStatusSet: z.object({
    InstanceCloudAssistantStatus: list(
      z.object({ InstanceId: text, CloudAssistantStatus: z.union([text, z.boolean()]) }),
    ),
  }),
});
const ramUserReply = z.object({ User: z.object({ UserName: text }) });
const accessKeysReply = z.object({ AccessKeys: z.object({ AccessKey: list(z.object({ AccessKeyId: text })) }) });
const lastUsedReply = z.object({ AccessKeyLastUsed: z.optional(z.object({ LastUsedDate: z.optional(z.string()) })) });
const roleReply = z.object({ Role: z.object({ RoleName: text }) });
const kmsInstanceReply = z.object({ KmsInstance: z.object({ EndDate: z.optional(z.string()) }) });
const policyReply = z.object({ Policy: text });

export class TargetClient implements TargetReads {
  private readonly clients = new Map<TargetProduct, any>();

  constructor(
    private readonly config: Config,
    private readonly source: CredentialSource,
    private readonly caller: Caller,
    /** Called before each call (pacing per product); may wait. */
    private readonly pace: (product: TargetProduct) => Promise<void> = async () => {},
  ) {}

  private client(product: TargetProduct): any {
    let client = this.clients.get(product);
    if (!client) {
      const options = openApiConfig(this.config, 'kms', this.source);
      if (!this.config.endpoint) {
        options.endpoint = hostOf(product, this.config.regionId);
        options.protocol = 'https';
      }
      client = new OpenApiClient(options);
      this.clients.set(product, client);
    }
    return client;
  }

  /** One call; resolves undefined on a not-found code. */
  private async read<S extends z.ZodMiniType>(
    product: TargetProduct,
    action: string,
    params: RpcParams,
    schema: S,
  ): Promise<z.output<S> | undefined> {
    await this.pace(product);
    try {
      const body = await this.caller.call(product, action, () =>
        callRpc(this.client(product), action, TARGET_VERSIONS[product], params),
      );
      return parseReply(schema, body, product, action);
    } catch (error) {
      if (error instanceof CloudError && NOT_FOUND.has(error.code)) return undefined;
      throw error;
    }
  }

  async rdsInstance(id: string) {
    const r = await this.read('rds', 'DescribeDBInstanceAttribute', { DBInstanceId: id }, rdsInstanceReply);
    const first = r?.Items.DBInstanceAttribute[0];
    return first ? { status: first.DBInstanceStatus } : undefined;
  }

  async rdsAccounts(id: string) {
    return (
      await this.read('rds', 'DescribeAccounts', { DBInstanceId: id }, rdsAccountsReply)
    )?.Accounts.DBInstanceAccount.map((a) => a.AccountName);
  }

  async redisInstance(id: string) {
    const first = (await this.read('r-kvstore', 'DescribeInstanceAttribute', { InstanceId: id }, redisInstanceReply))
      ?.Instances.DBInstanceAttribute[0];
    return first ? { status: first.InstanceStatus } : undefined;
  }

  async redisAccounts(id: string) {
    return (
      await this.read('r-kvstore', 'DescribeAccounts', { InstanceId: id }, redisAccountsReply)
    )?.Accounts.Account.map((a) => a.AccountName);
  }

  async polardbCluster(id: string) {
    const r = await this.read('polardb', 'DescribeDBClusterAttribute', { DBClusterId: id }, polardbClusterReply);
    return r ? { status: r.DBClusterStatus } : undefined;
  }

  async polardbAccounts(id: string) {
    return (await this.read('polardb', 'DescribeAccounts', { DBClusterId: id }, polardbAccountsReply))?.Accounts.map(
      (a) => a.AccountName,
    );
  }

  async ecsInstance(id: string) {
    const r = await this.read(
      'ecs',
      'DescribeInstances',
      { RegionId: this.config.regionId, InstanceIds: JSON.stringify([id]) },
      ecsInstancesReply,
    );
    const found = r?.Instances.Instance.find((i) => i.InstanceId === id);
    return found ? { status: found.Status } : undefined;
  }

  async cloudAssistant(id: string) {
    const r = await this.read(
      'ecs',
      'DescribeCloudAssistantStatus',
      { RegionId: this.config.regionId, InstanceId: [id] },
      cloudAssistantReply,
    );
    const found = r?.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus.find((i) => i.InstanceId === id);
    return found ? String(found.CloudAssistantStatus) === 'true' : undefined;
  }

  async ramUser(userName: string) {
    return (await this.read('ram', 'GetUser', { UserName: userName }, ramUserReply)) ? (true as const) : undefined;
  }

  async ramAccessKeys(userName: string) {
    return (
      await this.read('ram', 'ListAccessKeys', { UserName: userName }, accessKeysReply)
    )?.AccessKeys.AccessKey.map((k) => k.AccessKeyId);
  }

  async accessKeyLastUsed(userName: string, accessKeyId: string) {
    const r = await this.read(
      'ram',
      'GetAccessKeyLastUsed',
      { UserName: userName, UserAccessKeyId: accessKeyId },
      lastUsedReply,
    );
    if (!r) return undefined;
    const date = r.AccessKeyLastUsed?.LastUsedDate;
    return date ? (parseWireDate(date) ?? null) : null;
  }

  async role(roleName: string) {
    return (await this.read('ram', 'GetRole', { RoleName: roleName }, roleReply)) ? (true as const) : undefined;
  }

  async kmsInstance(id: string) {
    const r = await this.read('kms', 'GetKmsInstance', { KmsInstanceId: id }, kmsInstanceReply);
    if (!r) return undefined;
    const end = r.KmsInstance.EndDate ? parseWireDate(r.KmsInstance.EndDate) : undefined;
    return end === undefined ? {} : { endDate: end };
  }

  async secretPolicy(secretName: string) {
    const r = await this.read('kms', 'GetSecretPolicy', { SecretName: secretName, PolicyName: 'default' }, policyReply);
    if (!r)
      throw new CloudError({
        code: 'Forbidden.ResourceNotFound',
        message: 'secret not found',
        product: 'kms',
        action: 'GetSecretPolicy',
        retryable: false,
      });
    return r.Policy;
  }
}
