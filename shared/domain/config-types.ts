/**
 * The orchestrator's configuration, after parsing. Built once from environment variables by
 * `loadConfig(env)` in shared/config.ts; every field's variable is named in the comment and in
 * the README's configuration table.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type EnvironmentName = 'production' | 'staging' | 'dev';

export interface IntervalPolicy {
  minIntervalSeconds: number; // KRO_POLICY_<ENV>_INTERVAL, e.g. "7d-30d"
  maxIntervalSeconds: number;
  requireAutomaticRotation: boolean; // KRO_POLICY_<ENV>_REQUIRE_ROTATION
  requireDoubleAccountRds: boolean; // KRO_POLICY_<ENV>_REQUIRE_DOUBLE_ACCOUNT
  genericMaxAgeSeconds: number; // KRO_POLICY_<ENV>_GENERIC_MAX_AGE, e.g. "90d"
}

export interface Config {
  regionId: string; // KRO_REGION_ID, else FC_REGION, else cn-hangzhou
  accountId?: string; // KRO_ACCOUNT_ID, else FC_ACCOUNT_ID
  /** host:port for every product over plain HTTP (the emulator). KRO_ENDPOINT, set by the local runtime */
  endpoint?: string;
  dryRun: boolean; // KRO_DRY_RUN (true/false, default false)
  logLevel: LogLevel; // KRO_LOG_LEVEL (default info)
  stateTagKey: string; // KRO_STATE_TAG_KEY (default kro-state)
  envTagKey: string; // KRO_ENV_TAG_KEY (default env)
  /** The functions the orchestrator invokes itself (the on-event function is only ever invoked by FC). */
  functions: {
    sweep: string; // KRO_SWEEP_FUNCTION (default kro-sweep)
    remediate: string; // KRO_REMEDIATE_FUNCTION (default kro-remediate)
  };
  sweep: {
    cron: string; // KRO_SWEEP_CRON (default "0 */10 * * * *"), the timer trigger's expression
    /** Derived from the cron: the typical gap between two sweeps (shared/cron-period.ts). */
    intervalSeconds: number;
    refreshHours: number; // KRO_SWEEP_REFRESH_HOURS (default 24): the incremental sweep's rolling refresh
  };
  /** Episode-level retry of a failed rotation; the backoff schedule is EPISODE_BACKOFF (domain/retry-policy.ts). */
  retry: {
    maxAttempts: number; // KRO_RETRY_MAX_ATTEMPTS (default 4)
    maxEpisodeHours: number; // KRO_RETRY_MAX_HOURS (default 24)
    rotateBudgetPerHour: number; // KRO_ROTATE_BUDGET_PER_HOUR (default 40, below the service's 50)
  };
  /** The client layer; its retry policy, timeouts and quota limits are constants beside it (adapters/alibaba). */
  api: {
    pacing: boolean; // KRO_PACING (default true; the local runtime turns it off)
    /** The part of each shared KMS quota group the orchestrator takes, all its instances together (quota-share.ts). */
    quotaShare: {
      readPercent: number; // KRO_KMS_READ_SHARE_PERCENT (default 10)
      listPercent: number; // KRO_KMS_LIST_SHARE_PERCENT (default 25; also the create/delete group)
    };
  };
  policies: Record<EnvironmentName, IntervalPolicy>;
  alerts: {
    groupId: string; // KRO_CMS_GROUP_ID (default 0)
    reminderHours: number; // KRO_ALERT_REMINDER_HOURS (default 24; 0 = never)
    contactGroup: string; // KRO_ALERT_CONTACT_GROUP (default kro-secops)
    mail: string[]; // KRO_ALERT_MAIL (comma-separated)
    dingWebhook?: string; // KRO_ALERT_DINGTALK_WEBHOOK
  };
  verification: {
    enabled: boolean; // KRO_VERIFY (default true)
    scheduleHours: number; // KRO_VERIFY_SCHEDULE_HOURS (default 24)
    /** Probe targets by secret name, for secrets without a kro-probe tag (shared/probes/README.md). */
    targets?: Record<string, string>; // KRO_VERIFY_TARGETS (JSON {"db_prod":"postgresql://10.0.0.5:5432/app"}), optional
  };
  readiness: {
    /** How far ahead of NextRotationDate the rotation preconditions are checked (rotation-at-risk). */
    horizonHours: number; // KRO_READINESS_HORIZON_HOURS (default 48)
  };
}
