/**
 * Configuration: environment variables (FC environmentVariables), parsed once into a frozen Config.
 * Every bad variable is reported in one ConfigError (DESIGN D7). Each variable is a decision an
 * operator makes; tuning that no operator decides (API timeouts and attempts, page sizes,
 * concurrency, probe timeouts, quota limits) is a named constant beside the code that uses it.
 * Names, defaults and descriptions live in CONFIG_VARIABLES, from which the README table is
 * generated and checked, and which s.yaml passes to every function (test/deploy/s-yaml.test.ts).
 */
import * as z from 'zod/mini';
import type { Config, EnvironmentName, IntervalPolicy } from './config-types';
import { cronPeriodSeconds } from './cron-period';
import { ConfigError } from './errors';

// ---- value forms; each issue message reads after the quoted value ----

type Payload = z.core.ParsePayload;

/** `z.string().transform(fn)` in zod/mini's form (loaded in a few ms instead of tens, issue 15). */
function fromString<Out>(fn: (raw: string, ctx: Payload) => Out) {
  return z.pipe(z.string(), z.transform(fn));
}

/** zod/mini's transform context is the parse payload: an issue goes on its list. */
function addIssue(ctx: Payload, message: string): void {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
}

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/** "7d", "12h", "30m", "90s" (a bare number is seconds) -> seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([dhms]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] || 's').toLowerCase();
  return Number(match[1]) * (UNIT_SECONDS[unit] ?? 1);
}

function integer(min: number, max: number) {
  return fromString((raw, ctx) => {
    const text = raw.trim();
    if (!/^-?\d+$/.test(text)) {
      addIssue(ctx, `is not a whole number; expected an integer ${min}-${max}`);
      return z.NEVER;
    }
    const value = Number(text);
    if (value < min || value > max) {
      addIssue(ctx, `is out of range; expected an integer ${min}-${max}`);
      return z.NEVER;
    }
    return value;
  });
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

const boolean = fromString((raw, ctx) => {
  const text = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  addIssue(ctx, 'is not a boolean; expected true/false, 1/0 or yes/no');
  return z.NEVER;
});

function duration(minSeconds: number, maxSeconds: number, expected: string) {
  return fromString((raw, ctx) => {
    const seconds = parseDuration(raw);
    if (seconds === undefined) {
      addIssue(ctx, `is not a duration; expected a number with a unit d, h, m or s (${expected})`);
      return z.NEVER;
    }
    if (seconds < minSeconds || seconds > maxSeconds) {
      addIssue(ctx, `is out of range; expected ${expected}`);
      return z.NEVER;
    }
    return seconds;
  });
}

/** "7d-30d" -> [min, max] seconds, within the 6 h..365 d the KMS API accepts. */
const intervalRange = fromString((raw, ctx) => {
  const parts = raw.split('-');
  const low = parts.length === 2 ? parseDuration(parts[0] ?? '') : undefined;
  const high = parts.length === 2 ? parseDuration(parts[1] ?? '') : undefined;
  const expected = 'a range of two durations such as 7d-30d, within 6h-365d';
  if (low === undefined || high === undefined) {
    addIssue(ctx, `is not an interval range; expected ${expected}`);
    return z.NEVER;
  }
  if (low > high || low < 6 * 3_600 || high > 365 * 86_400) {
    addIssue(ctx, `is not a valid range; expected ${expected}, the lower bound first`);
    return z.NEVER;
  }
  return [low, high] as const;
});

function text(expected: string, pattern: RegExp) {
  return fromString((raw, ctx) => {
    const value = raw.trim();
    if (!pattern.test(value)) {
      addIssue(ctx, `is not valid; expected ${expected}`);
      return z.NEVER;
    }
    return value;
  });
}

function oneOf<const T extends readonly string[]>(values: T) {
  return fromString((raw, ctx) => {
    const value = raw.trim().toLowerCase();
    if (!(values as readonly string[]).includes(value)) {
      addIssue(ctx, `is not allowed; expected one of ${values.join(', ')}`);
      return z.NEVER;
    }
    return value as T[number];
  });
}

const mailList = fromString((raw, ctx) => {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((m) => !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(m));
  if (bad.length > 0) {
    addIssue(ctx, `holds ${bad.length} malformed address(es); expected comma-separated e-mail addresses`);
    return z.NEVER;
  }
  return items;
});

const jsonStringMap = fromString((raw, ctx) => {
  try {
    const value: unknown = JSON.parse(raw);
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value).every((v) => typeof v === 'string')
    ) {
      return value as Record<string, string>;
    }
  } catch {
    // reported below
  }
  addIssue(ctx, 'is not valid; expected a JSON object of strings such as {"db_prod":"postgresql://10.0.0.5:5432/app"}');
  return z.NEVER;
});

const httpsUrl = fromString((raw, ctx) => {
  try {
    const url = new URL(raw.trim());
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // reported below
  }
  addIssue(ctx, 'is not a URL; expected an https:// webhook address');
  return z.NEVER;
});

/**
 * A secret tag key as KMS documents it: "up to 128 characters ... letters, digits, forward slashes
 * (/), backslashes (\\), underscores (_), hyphens (-), periods (.), plus signs (+), equal signs (=),
 * colons (:), and at signs (@). The tag key cannot start with aliyun or acs:" (alibaba-cloud-apis.md
 * §10; [SDK3] kms-20160120/src/models/CreateSecretRequest.ts). The prefixes are refused in any case
 * (the stricter reading). `maxLength` leaves room for a suffix the product appends.
 */
function tagKey(maxLength: number) {
  const expected = `a tag key of letters, digits and / \\ _ - . + = : @ (at most ${maxLength}, not starting with aliyun or acs:)`;
  return fromString((raw, ctx) => {
    const value = raw.trim();
    if (value.length > maxLength || !/^[A-Za-z0-9/\\_\-.+=:@]+$/.test(value) || /^(aliyun|acs:)/i.test(value)) {
      addIssue(ctx, `is not valid; expected ${expected}`);
      return z.NEVER;
    }
    return value;
  });
}

/** The sweep timer's FC expression; its period is derived (cron-period.ts). */
const sweepCron = fromString((raw, ctx) => {
  const period = cronPeriodSeconds(raw);
  if (typeof period === 'string') {
    addIssue(ctx, period);
    return z.NEVER;
  }
  if (period < MIN_SWEEP_PERIOD_SECONDS || period > MAX_SWEEP_PERIOD_SECONDS) {
    addIssue(ctx, `fires every ${period} s; expected a sweep every 1 minute to 31 days`);
    return z.NEVER;
  }
  return { cron: raw.trim(), intervalSeconds: period };
});

// ---- the variables ----

interface VariableSpec {
  name: string;
  default: string;
  description: string;
  schema: z.ZodMiniType<unknown, string>;
  /** Its value may carry a credential (a webhook token): never echoed in an error. */
  sensitive?: boolean;
  /** Read by `kro bootstrap` only, in the deployer's shell: s.yaml gives it to no function. */
  bootstrapOnly?: boolean;
}

const ENVIRONMENTS: readonly EnvironmentName[] = ['production', 'staging', 'dev'];
const POLICY_DEFAULTS: Record<EnvironmentName, { interval: string; rotation: string; double: string; maxAge: string }> =
  {
    production: { interval: '7d-30d', rotation: 'true', double: 'true', maxAge: '90d' },
    staging: { interval: '1d-90d', rotation: 'true', double: 'false', maxAge: '180d' },
    dev: { interval: '6h-365d', rotation: 'false', double: 'false', maxAge: '365d' },
  };
const policyPrefix = (env: EnvironmentName) => `KRO_POLICY_${env.toUpperCase()}`;

const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
/** FC timers fire at most once a minute; a sweep rarer than monthly sees nothing in time. */
const MIN_SWEEP_PERIOD_SECONDS = 60;
const MAX_SWEEP_PERIOD_SECONDS = 31 * 86_400;
/** The product's own tag prefix: it writes and removes tags under it only (issue 13). */
export const OWN_TAG_PREFIX = 'kro-';
/** The second state tag is `<state key>-msg` (domain/episode-tag.ts); both must be valid keys. */
const STATE_KEY_MAX_LENGTH = 128 - '-msg'.length;

const SPECS: VariableSpec[] = [
  {
    name: 'KRO_REGION_ID',
    default: 'cn-hangzhou',
    description: 'Region of the KMS secrets; else FC_REGION, else cn-hangzhou',
    schema: text('a region id such as cn-hangzhou', REGION),
  },
  {
    name: 'KRO_ACCOUNT_ID',
    default: '',
    description: 'Alibaba Cloud account id (needed for the FC endpoint); else FC_ACCOUNT_ID',
    schema: text('the numeric account id', /^\d{6,32}$/),
  },
  {
    name: 'KRO_DRY_RUN',
    default: 'false',
    description: 'Observe and alert, but never rotate or write tags',
    schema: boolean,
  },
  {
    name: 'KRO_LOG_LEVEL',
    default: 'info',
    description: 'debug, info, warn or error',
    schema: oneOf(['debug', 'info', 'warn', 'error'] as const),
  },
  {
    name: 'KRO_STATE_TAG_KEY',
    default: 'kro-state',
    description: 'Secret tag holding the episode state; must start with kro- and differ from KRO_ENV_TAG_KEY',
    schema: tagKey(STATE_KEY_MAX_LENGTH),
  },
  {
    name: 'KRO_ENV_TAG_KEY',
    default: 'env',
    description: 'Secret tag naming its environment (prod, staging, dev...)',
    schema: tagKey(128),
  },
  {
    name: 'KRO_SWEEP_FUNCTION',
    default: 'kro-sweep',
    description: 'FC function name of the sweep',
    schema: text('a function name (letters, digits, _ and -)', NAME),
  },
  {
    name: 'KRO_REMEDIATE_FUNCTION',
    default: 'kro-remediate',
    description: 'FC function name of the remediation',
    schema: text('a function name (letters, digits, _ and -)', NAME),
  },
  {
    name: 'KRO_SWEEP_CRON',
    default: '0 */10 * * * *',
    description: "The sweep timer's FC cron (six fields, seconds first, UTC); the sweep period is derived from it",
    schema: sweepCron,
  },
  {
    name: 'KRO_SWEEP_REFRESH_HOURS',
    default: '24',
    description:
      'The incremental sweep describes every secret at least this often, on its turn, however quiet it is; between turns only what changed or fell due',
    schema: integer(1, 168),
  },
  {
    name: 'KRO_RETRY_MAX_ATTEMPTS',
    default: '4',
    description: 'Rotation attempts per episode before escalation',
    schema: integer(1, 20),
  },
  {
    name: 'KRO_RETRY_MAX_HOURS',
    default: '24',
    description: 'Total time an episode may retry before escalation',
    schema: integer(1, 720),
  },
  {
    name: 'KRO_ROTATE_BUDGET_PER_HOUR',
    default: '40',
    description: 'RotateSecret calls per hour the orchestrator allows itself (service limit 50)',
    schema: integer(1, 50),
  },
  {
    name: 'KRO_KMS_READ_SHARE_PERCENT',
    default: '10',
    description: 'Percent of the KMS read quota (450/s, shared with your applications) the orchestrator may use',
    schema: integer(1, 100),
  },
  {
    name: 'KRO_KMS_LIST_SHARE_PERCENT',
    default: '25',
    description: 'Percent of the KMS list/metadata (40/s) and create/delete (10/s) quotas the orchestrator may use',
    schema: integer(1, 100),
  },
  ...ENVIRONMENTS.flatMap((env): VariableSpec[] => [
    {
      name: `${policyPrefix(env)}_INTERVAL`,
      default: POLICY_DEFAULTS[env].interval,
      description: `Allowed rotation interval range for ${env} secrets`,
      schema: intervalRange,
    },
    {
      name: `${policyPrefix(env)}_REQUIRE_ROTATION`,
      default: POLICY_DEFAULTS[env].rotation,
      description: `Managed ${env} secrets must rotate automatically`,
      schema: boolean,
    },
    {
      name: `${policyPrefix(env)}_REQUIRE_DOUBLE_ACCOUNT`,
      default: POLICY_DEFAULTS[env].double,
      description: `RDS ${env} secrets must use DoubleUsers mode`,
      schema: boolean,
    },
    {
      name: `${policyPrefix(env)}_GENERIC_MAX_AGE`,
      default: POLICY_DEFAULTS[env].maxAge,
      description: `Maximum age of a ${env} generic secret's current version`,
      schema: duration(3_600, 3_650 * 86_400, 'a duration from 1h to 3650d such as 90d'),
    },
  ]),
  {
    name: 'KRO_CMS_GROUP_ID',
    default: '0',
    description: 'CloudMonitor application group of events and metrics (0 = none)',
    schema: text('a numeric group id', /^\d{1,20}$/),
  },
  {
    name: 'KRO_ALERT_REMINDER_HOURS',
    default: '24',
    description:
      'Reminder period of an open critical problem: reminders 1, 2, 4 and 8 periods after it opened, then weekly, in the 00:00 UTC digest (0 = never)',
    schema: integer(0, 720),
  },
  {
    name: 'KRO_ALERT_CONTACT_GROUP',
    default: 'kro-secops',
    description: 'CloudMonitor contact group the alarm rules notify',
    schema: text('a contact group name (at most 64 characters)', /^\S.{0,63}$/),
  },
  {
    name: 'KRO_ALERT_MAIL',
    default: '',
    description: 'Comma-separated e-mail addresses of the contact group',
    schema: mailList,
  },
  {
    name: 'KRO_ALERT_DINGTALK_WEBHOOK',
    default: '',
    description:
      'DingTalk robot webhook of the contact group; read by kro bootstrap only, never given to the functions',
    schema: httpsUrl,
    sensitive: true,
    bootstrapOnly: true,
  },
  { name: 'KRO_VERIFY', default: 'true', description: 'Probe that the current credential works', schema: boolean },
  {
    name: 'KRO_VERIFY_SCHEDULE_HOURS',
    default: '24',
    description: 'Probe period of each managed secret',
    schema: integer(1, 720),
  },
  {
    name: 'KRO_VERIFY_TARGETS',
    default: '',
    description: 'Probe targets by secret name (JSON map), for secrets without a kro-probe tag',
    schema: jsonStringMap,
    sensitive: true,
  },
  {
    name: 'KRO_READINESS_HORIZON_HOURS',
    default: '48',
    description: 'How far ahead of NextRotationDate the rotation preconditions are checked (rotation-at-risk)',
    schema: integer(24, 720),
  },
];

/**
 * Set by a runtime, not by an operator, and so not passed by s.yaml: the local runtime
 * (emulator/runtime/deploy-local.ts) and the CLI point the clients at the emulator, the way FC
 * itself sets FC_REGION and FC_ACCOUNT_ID. The README lists them apart from the configuration table.
 */
const RUNTIME_SPECS: VariableSpec[] = [
  {
    name: 'KRO_ENDPOINT',
    default: '',
    description: 'host:port answering for every product over plain HTTP (the local emulator)',
    schema: text('host:port such as 127.0.0.1:8080, without a scheme', /^[A-Za-z0-9.-]+:\d{1,5}$/),
  },
  {
    name: 'KRO_PACING',
    default: 'true',
    description: 'Client-side pacing per KMS quota group (off against the emulator, whose time is simulated)',
    schema: boolean,
  },
];

export interface VariableDoc {
  name: string;
  default: string;
  description: string;
  /** s.yaml passes it to every function; false only for what `kro bootstrap` alone reads. */
  passedToFunctions: boolean;
}

const described = (s: VariableSpec): VariableDoc => ({
  name: s.name,
  default: s.default,
  description: s.description,
  passedToFunctions: !s.bootstrapOnly,
});

/** The operator's variables: the README's configuration table, each a var of s.yaml. */
export const CONFIG_VARIABLES: VariableDoc[] = SPECS.map(described);

/** Variables a runtime sets (the local emulator runtime, the CLI); see RUNTIME_SPECS. */
export const RUNTIME_VARIABLES: VariableDoc[] = RUNTIME_SPECS.map(described);

/** The environment tag's mapping is domain policy (domain/policy.ts); kept importable from here. */
export { envTagToEnvironment } from './domain/policy';

export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const problems: string[] = [];
  const values = new Map<string, unknown>();
  const source = { ...env };
  source.KRO_REGION_ID = nonEmpty(env.KRO_REGION_ID) ?? nonEmpty(env.FC_REGION) ?? 'cn-hangzhou';
  source.KRO_ACCOUNT_ID = nonEmpty(env.KRO_ACCOUNT_ID) ?? nonEmpty(env.FC_ACCOUNT_ID);

  for (const spec of [...SPECS, ...RUNTIME_SPECS]) {
    const raw = nonEmpty(source[spec.name]) ?? nonEmpty(spec.default);
    if (raw === undefined) continue; // optional, unset
    const result = spec.schema.safeParse(raw);
    if (result.success) {
      values.set(spec.name, result.data);
    } else {
      const shown = spec.sensitive ? '(value hidden)' : JSON.stringify(raw);
      for (const issue of result.error.issues) problems.push(`${spec.name}: ${shown} ${issue.message}`);
    }
  }

  const get = <T>(name: string): T => values.get(name) as T;
  problems.push(
    ...tagKeyConflicts(
      values.get('KRO_STATE_TAG_KEY') as string | undefined,
      values.get('KRO_ENV_TAG_KEY') as string | undefined,
    ),
  );
  if (problems.length > 0) throw new ConfigError(problems);

  const policy = (e: EnvironmentName): IntervalPolicy => {
    const [min, max] = get<readonly [number, number]>(`${policyPrefix(e)}_INTERVAL`);
    return {
      minIntervalSeconds: min,
      maxIntervalSeconds: max,
      requireAutomaticRotation: get(`${policyPrefix(e)}_REQUIRE_ROTATION`),
      requireDoubleAccountRds: get(`${policyPrefix(e)}_REQUIRE_DOUBLE_ACCOUNT`),
      genericMaxAgeSeconds: get(`${policyPrefix(e)}_GENERIC_MAX_AGE`),
    };
  };
  const config: Config = {
    regionId: get('KRO_REGION_ID'),
    accountId: get('KRO_ACCOUNT_ID'),
    endpoint: get('KRO_ENDPOINT'),
    dryRun: get('KRO_DRY_RUN'),
    logLevel: get('KRO_LOG_LEVEL'),
    stateTagKey: get('KRO_STATE_TAG_KEY'),
    envTagKey: get('KRO_ENV_TAG_KEY'),
    functions: { sweep: get('KRO_SWEEP_FUNCTION'), remediate: get('KRO_REMEDIATE_FUNCTION') },
    sweep: {
      ...get<{ cron: string; intervalSeconds: number }>('KRO_SWEEP_CRON'),
      refreshHours: get('KRO_SWEEP_REFRESH_HOURS'),
    },
    retry: {
      maxAttempts: get('KRO_RETRY_MAX_ATTEMPTS'),
      maxEpisodeHours: get('KRO_RETRY_MAX_HOURS'),
      rotateBudgetPerHour: get('KRO_ROTATE_BUDGET_PER_HOUR'),
    },
    api: {
      pacing: get('KRO_PACING'),
      quotaShare: { readPercent: get('KRO_KMS_READ_SHARE_PERCENT'), listPercent: get('KRO_KMS_LIST_SHARE_PERCENT') },
    },
    policies: { production: policy('production'), staging: policy('staging'), dev: policy('dev') },
    alerts: {
      groupId: get('KRO_CMS_GROUP_ID'),
      reminderHours: get('KRO_ALERT_REMINDER_HOURS'),
      contactGroup: get('KRO_ALERT_CONTACT_GROUP'),
      mail: get<string[] | undefined>('KRO_ALERT_MAIL') ?? [],
      dingWebhook: get('KRO_ALERT_DINGTALK_WEBHOOK'),
    },
    verification: {
      enabled: get('KRO_VERIFY'),
      scheduleHours: get('KRO_VERIFY_SCHEDULE_HOURS'),
      targets: get('KRO_VERIFY_TARGETS'),
    },
    readiness: { horizonHours: get('KRO_READINESS_HORIZON_HOURS') },
  };
  return deepFreeze(dropUndefined(config));
}

/**
 * The product touches only the tags it owns (issue 13): its state tags must be under its own
 * prefix, and neither may be the environment tag, or a sweep would overwrite and remove the
 * customer's tag on every secret.
 */
function tagKeyConflicts(stateKey: string | undefined, envKey: string | undefined): string[] {
  const problems: string[] = [];
  if (stateKey !== undefined && !stateKey.startsWith(OWN_TAG_PREFIX)) {
    problems.push(
      `KRO_STATE_TAG_KEY: ${JSON.stringify(stateKey)} is outside the orchestrator's own tags; expected a key starting with ${OWN_TAG_PREFIX}`,
    );
  }
  if (stateKey !== undefined && envKey !== undefined && (envKey === stateKey || envKey === `${stateKey}-msg`)) {
    problems.push(
      `KRO_STATE_TAG_KEY: ${JSON.stringify(stateKey)} collides with KRO_ENV_TAG_KEY (${JSON.stringify(envKey)}); expected the state tag and the environment tag to be different keys`,
    );
  }
  return problems;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Optional fields are absent rather than present-and-undefined, so spreads and equality behave. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    const v = value[key];
    if (v === undefined) delete value[key];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) dropUndefined(v as object);
  }
  return value;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
