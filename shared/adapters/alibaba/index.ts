/**
 * The Alibaba Cloud adapters behind the ports: one factory for the handlers and the CLI. Every
 * product shares the credentials, the endpoint override, the retry policy and the call counters.
 */
import { activeClock, type Clock, type Random } from '../../clock';
import type { Config } from '../../config-types';
import type { CloudClients } from '../../ports/cloud';
import type { Logger } from '../../ports/logger';
import type { FcCredentials } from '../../ports/runtime';
import { ActionTrailClient } from './actiontrail-client';
import { API_RETRY_POLICY, createCaller } from './caller';
import { CmsAdmin } from './cms-admin';
import { CmsConnection, CmsMonitor } from './cms-client';
import { FcInvoker } from './fc-client';
import { KmsClient } from './kms-client';
import { instancePacer, pacerFromConfig, type Pacer } from './pacing';
import type { RetryPolicy } from './retry';
import { OpenApiClient, openApiConfig } from './sdk';
import { privateSdkCache, type RpcProduct, sdkCacheFor } from './sdk-cache';
import { StsClient } from './sts-client';
import { TargetClient } from './target-client';
import { productPacer } from '../../readiness/pacing';
import type { QuotaConsumer } from '../../quota-share';

export interface AlibabaClients extends CloudClients {
  kms: KmsClient;
  monitor: CmsMonitor;
  invoker: FcInvoker;
  actiontrail: ActionTrailClient;
  sts: StsClient;
  cmsAdmin: CmsAdmin;
  /** The readiness forecast's reads of rotation targets (RDS, ECS, Redis, PolarDB, RAM, KMS instances). */
  targets: TargetClient;
}

export interface AlibabaClientOptions {
  config: Config;
  /** From the FC context inside a handler; without them, the default credential chain. */
  credentials?: FcCredentials;
  /** Sleeps of the retry backoff; default the active clock. */
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** Replaces the pacing built from config.api (tests). */
  pacer?: Pacer;
  /**
   * Whose part of the KMS quota share the calls take (quota-share.ts): a function's handler names
   * its function; anything else (the CLI, scripts) is the operator's one CLI slot.
   */
  consumer?: QuotaConsumer;
  /** Changes API_RETRY_POLICY (tests). */
  retryPolicy?: Partial<RetryPolicy>;
  /**
   * Reuse the SDK clients of earlier calls with the same Config object and credentials (a warm
   * handler instance: see sdk-cache.ts). Off by default: every other caller gets its own.
   */
  shareSdk?: boolean;
}

export function createAlibabaClients(options: AlibabaClientOptions): AlibabaClients {
  const { config } = options;
  const cache = options.shareSdk ? sdkCacheFor(config, options.credentials) : privateSdkCache(options.credentials);
  const source = cache.source;
  const caller = createCaller({
    policy: { ...API_RETRY_POLICY, ...options.retryPolicy },
    clock: options.clock ?? activeClock(),
    random: options.random ?? Math.random,
    // A warm handler instance (shareSdk) paces all its invocations together; others get their own.
    pacer:
      options.pacer ??
      (options.shareSdk
        ? instancePacer(config, options.consumer ?? 'cli')
        : pacerFromConfig(config, options.consumer ?? 'cli')),
    logger: options.logger,
  });
  const rpcClient = (product: RpcProduct) =>
    (cache.rpc[product] ??= new OpenApiClient(openApiConfig(config, product, source)));
  const cms = new CmsConnection(config, source, caller, cache);
  return {
    kms: new KmsClient(rpcClient('kms'), caller),
    actiontrail: new ActionTrailClient(rpcClient('actiontrail'), caller),
    sts: new StsClient(config, () => rpcClient('sts'), caller),
    monitor: new CmsMonitor(cms, config.alerts.groupId),
    invoker: new FcInvoker(config, source, caller, cache),
    cmsAdmin: new CmsAdmin(cms),
    // The local runtime turns pacing off (simulated time): the forecast's pacer follows it.
    targets: new TargetClient(config, source, caller, config.api.pacing ? productPacer() : undefined),
    stats: () => caller.stats(),
  };
}

export { ActionTrailClient } from './actiontrail-client';
export { API_RETRY_POLICY, createCaller, type Caller, type CallStats } from './caller';
export { CmsAdmin } from './cms-admin';
export type {
  ContactGroupInput,
  ContactGroupSummary,
  ContactInput,
  ContactSummary,
  CustomEventRuleInput,
} from './cms-admin';
export { CmsConnection, CmsMonitor } from './cms-client';
export { cmsReplyError, isRetryable, toCloudError } from './errors';
export { asyncDelaySeconds, assertTaskId, FcInvoker, type SyncInvocationResult } from './fc-client';
export { KmsClient } from './kms-client';
export type {
  CreatedSecret,
  CreateSecretInput,
  DeleteSecretInput,
  PutSecretValueInput,
  UpdateSecretVersionStageInput,
} from './kms-models';
export { createPacer, noPacing, pacerFromConfig, type Pacer } from './pacing';
export { nextDelay, withRetry, type RetryDeps, type RetryPolicy } from './retry';
export { endpointOf } from './sdk';
export { StsClient } from './sts-client';
export { TargetClient } from './target-client';
export { parseWireDate, parseWireInterval } from './wire-values';
