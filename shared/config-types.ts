/**
 * The orchestrator's configuration, after parsing. Built once from environment variables by
 * `loadConfig(env)` in shared/config.ts; every field's variable is named in the comment and in
 * the README's configuration table.
 */
import type { LogLevel } from './ports/logger';

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
  /** host:port for every product over plain HTTP (the emulator). KRO_ENDPOINT */
  endpoint?: string;
  dryRun: boolean; // KRO_DRY_RUN (true/false, default false)
  logLevel: LogLevel; // KRO_LOG_LEVEL (default info)
  stateTagKey: string; // KRO_STATE_TAG_KEY (default kro-state)
  envTagKey: string; // KRO_ENV_TAG_KEY (default env)
  functions: {
    sweep: string; // KRO_SWEEP_FUNCTION (default kro-sweep)
    onEvent: string; // KRO_ON_EVENT_FUNCTION (default kro-on-event)
    remediate: string; // KRO_REMEDIATE_FUNCTION (default kro-remediate)
  };
  sweep: {
    pageSize: number; // KRO_SWEEP_PAGE_SIZE (1-100, default 100)
    concurrency: number; // KRO_SWEEP_CONCURRENCY (default 32)
    /** Stop this long before the function's timeout and leave the rest for the next run. */
    safetyMarginSeconds: number; // KRO_SWEEP_SAFETY_MARGIN_SECONDS (default 20)
    intervalSeconds: number; // KRO_SWEEP_INTERVAL_SECONDS (default 600; must match the timer)
  };
  /** Episode-level retry of a failed rotation. */
  retry: {
    baseDelaySeconds: number; // KRO_RETRY_BASE_DELAY_SECONDS (default 120)
    maxDelaySeconds: number; // KRO_RETRY_MAX_DELAY_SECONDS (default 3600)
    maxAttempts: number; // KRO_RETRY_MAX_ATTEMPTS (default 4)
    maxEpisodeHours: number; // KRO_RETRY_MAX_HOURS (default 24)
    rotateBudgetPerHour: number; // KRO_ROTATE_BUDGET_PER_HOUR (default 40, below the service's 50)
  };
  /** Call-level retry and pacing inside the client layer. */
  api: {
    maxAttempts: number; // KRO_API_MAX_ATTEMPTS (default 5)
    baseDelayMs: number; // KRO_API_BASE_DELAY_MS (default 200)
    maxDelayMs: number; // KRO_API_MAX_DELAY_MS (default 10000)
    totalTimeoutMs: number; // KRO_API_TOTAL_TIMEOUT_MS (default 60000)
    connectTimeoutMs: number; // KRO_API_CONNECT_TIMEOUT_MS (default 5000)
    readTimeoutMs: number; // KRO_API_READ_TIMEOUT_MS (default 10000)
    pacing: boolean; // KRO_PACING (default true)
    quotas: {
      readPerSecond: number; // KRO_QUOTA_READ_QPS (default 450)
      listPerSecond: number; // KRO_QUOTA_LIST_QPS (default 40)
      writePerSecond: number; // KRO_QUOTA_WRITE_QPS (default 10)
      rotatePerHour: number; // KRO_QUOTA_ROTATE_PER_HOUR (default 45)
    };
  };
  policies: Record<EnvironmentName, IntervalPolicy>;
  checks: {
    /** Expected completion time of a managed rotation, per type; RAM takes about 48 h. */
    ramExpectedHours: number; // KRO_CHECK_RAM_EXPECTED_HOURS (default 48)
    defaultExpectedMinutes: number; // KRO_CHECK_EXPECTED_MINUTES (default 30)
    overdueGraceMinutes: number; // KRO_CHECK_OVERDUE_GRACE_MINUTES (default 30)
  };
  alerts: {
    groupId: string; // KRO_CMS_GROUP_ID (default 0)
    reminderHours: number; // KRO_ALERT_REMINDER_HOURS (default 24; 0 = never)
    stormThreshold: number; // KRO_ALERT_STORM_THRESHOLD (default 5 secrets with one cause)
    stormWindowSeconds: number; // KRO_ALERT_STORM_WINDOW_SECONDS (default 60)
    contactGroup: string; // KRO_ALERT_CONTACT_GROUP (default kro-secops)
    mail: string[]; // KRO_ALERT_MAIL (comma-separated)
    dingWebhook?: string; // KRO_ALERT_DINGTALK_WEBHOOK
  };
  verification: {
    enabled: boolean; // KRO_VERIFY (default true)
    scheduleHours: number; // KRO_VERIFY_SCHEDULE_HOURS (default 24)
    connectTimeoutMs: number; // KRO_VERIFY_CONNECT_TIMEOUT_MS (default 5000)
    queryTimeoutMs: number; // KRO_VERIFY_QUERY_TIMEOUT_MS (default 5000)
    /** Probe targets by secret name, for secrets without a kro-probe tag (shared/probes/README.md). */
    targets?: Record<string, string>; // KRO_VERIFY_TARGETS (JSON {"db_prod":"postgresql://10.0.0.5:5432/app"}), optional
  };
}
