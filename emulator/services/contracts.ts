/**
 * How the emulated services reach each other. createEmulator() (emulator/emulator.ts) builds one
 * of each and hands them what they need; tests and the local runtime use the same objects.
 */
import type { FcCredentials, FcHandler } from '../../shared/ports/runtime';
import type { ApiError, ApiReply, ApiRequest, CloudEvent, Provider } from '../types';

/** A RAM policy document ({Version, Statement:[{Effect, Action, Resource}]}). */
export interface PolicyDocument {
  Version: string;
  Statement: Array<{ Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource?: string | string[] }>;
}

export interface KeyRecord {
  accessKeyId: string;
  accessKeySecret: string;
  accountId: string;
  principal: string; // "root", "user/<name>", "assumed-role/<role>/<session>"
  securityToken?: string;
  expiresAt?: number;
  /** When set, calls outside it get 403 Forbidden.NoPermission. */
  policy?: PolicyDocument;
}

export interface AuthStore {
  addAccessKey(key: Omit<KeyRecord, 'accountId'> & { accountId?: string }): void;
  removeAccessKey(accessKeyId: string): void;
  lookup(accessKeyId: string): KeyRecord | undefined;
  /** Issues STS credentials for a role (FC function roles); they carry the role's policy. */
  issueStsToken(options: {
    roleName: string;
    sessionName?: string;
    durationSeconds?: number;
  }): FcCredentials & { expiration: string };
  setRolePolicy(roleName: string, policy: PolicyDocument | undefined): void;
}

export interface DeliveryRecord {
  subscriber: string;
  at: number;
  duplicate?: boolean;
  error?: string;
}

export interface BusRecord {
  event: CloudEvent;
  publishedAt: number;
  dropped: boolean;
  deliveries: DeliveryRecord[];
}

export interface EventBus {
  /** Matches subscribers' filter patterns and schedules delivery on the clock, applying event faults. */
  publish(event: CloudEvent): void;
  subscribe(subscription: {
    name: string;
    pattern: unknown;
    deliver: (event: CloudEvent) => Promise<void>;
  }): () => void;
  log(): BusRecord[];
}

/** ActionTrail: records successful write calls (and failed ones, with errorCode) and serves LookupEvents. */
export interface ActionTrailService extends Provider {
  record(req: ApiRequest, outcome: { reply?: ApiReply; error?: ApiError }): void;
  events(): Array<Record<string, unknown>>;
}

export interface LocalFunction {
  name: string;
  handler: FcHandler;
  timeoutSeconds: number;
  memoryMb?: number;
  /** The role whose STS credentials the context carries (and whose policy applies). */
  roleName?: string;
  /** s.yaml's concurrencyConfig.reservedConcurrency: at most this many invocations run at once; absent = no limit. */
  reservedConcurrency?: number;
  asyncConfig?: {
    maxAsyncRetryAttempts?: number; // default 3
    maxAsyncEventAgeInSeconds?: number;
    onFailure?: string; // function name
    onSuccess?: string;
    asyncTask?: boolean;
  };
}

export interface InvocationRecord {
  functionName: string;
  requestId: string;
  async: boolean;
  taskId?: string;
  attempt: number; // 1 = first try
  startedAt: number;
  endedAt?: number;
  /** throttled: refused (sync) or put back in the queue (async) at the function's reserved concurrency. */
  outcome: 'ok' | 'error' | 'timeout' | 'deduplicated' | 'pending' | 'throttled';
  error?: string;
}

export interface FunctionService extends Provider {
  register(fn: LocalFunction): void;
  functions(): string[];
  /** Sync invocations run now and return the handler's result; async ones are queued on the clock. */
  invoke(
    functionName: string,
    body: Buffer,
    options?: { async?: boolean; delaySeconds?: number; taskId?: string },
  ): Promise<{ status: number; requestId: string; result?: unknown; error?: string }>;
  addTimer(timer: {
    functionName: string;
    triggerName: string;
    cronExpression: string;
    payload?: string;
    enable?: boolean;
  }): void;
  invocations(): InvocationRecord[];
}

export interface Notification {
  at: number;
  ruleName: string;
  eventName: string;
  level: string;
  contactGroup: string;
  channels: string[];
  /** The event contents that made the rule fire in this period. */
  contents: string[];
}

export interface CloudMonitorService extends Provider {
  customEvents(): Array<{ id: string; name: string; groupId: string; time: number; content: string }>;
  metrics(): Array<{
    metricName: string;
    dimensions: Record<string, string>;
    value: number;
    time: number;
    groupId: string;
  }>;
  notifications(): Notification[];
  rules(): Array<Record<string, unknown>>;
  /** Threshold rules on metrics (PutResourceMetricRule), as stored. */
  metricRules(): Array<Record<string, unknown>>;
  contacts(): Array<Record<string, unknown>>;
  contactGroups(): Array<Record<string, unknown>>;
}

/** A real database or Redis server that backs a seeded Rds/PolarDB/Redis secret (issue: probes). */
export interface ServerBinding {
  Engine: 'postgresql' | 'mysql' | 'redis';
  Host: string;
  Port: number;
  /** Admin login used to change passwords (PostgreSQL: postgres via trust; MariaDB: root, no password). */
  AdminUser?: string;
  AdminPassword?: string;
  Database?: string;
}

/** Applies a rotated password on the bound server (ALTER ROLE / ALTER USER / ACL SETUSER). */
export interface CredentialBackend {
  /** Creates the account if missing, then sets its password; throws with a clear message on failure. */
  setPassword(binding: ServerBinding, accountName: string, password: string): Promise<void>;
  close(): Promise<void>;
}
