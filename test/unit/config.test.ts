import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, envTagToEnvironment, loadConfig, RUNTIME_VARIABLES } from '../../shared/config';
import { ConfigError } from '../../shared/errors';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.regionId).toBe('cn-hangzhou');
    expect(config.dryRun).toBe(false);
    expect(config.endpoint).toBeUndefined();
    expect(config.sweep).toEqual({ cron: '0 */10 * * * *', intervalSeconds: 600, refreshHours: 24 });
    expect(config.retry).toEqual({ maxAttempts: 4, maxEpisodeHours: 24, rotateBudgetPerHour: 40 });
    expect(config.api).toEqual({ pacing: true, quotaShare: { readPercent: 10, listPercent: 25 } });
    expect(config.stateTagKey).toBe('kro-state');
    expect(config.envTagKey).toBe('env');
    expect(config.alerts.mail).toEqual([]);
    expect(config.policies.production).toEqual({
      minIntervalSeconds: 7 * 86400,
      maxIntervalSeconds: 30 * 86400,
      requireAutomaticRotation: true,
      requireDoubleAccountRds: true,
      genericMaxAgeSeconds: 90 * 86400,
    });
    expect(config.policies.staging).toMatchObject({
      minIntervalSeconds: 86400,
      maxIntervalSeconds: 90 * 86400,
      requireDoubleAccountRds: false,
      genericMaxAgeSeconds: 180 * 86400,
    });
    expect(config.policies.dev).toMatchObject({
      minIntervalSeconds: 6 * 3600,
      maxIntervalSeconds: 365 * 86400,
      requireAutomaticRotation: false,
    });
  });

  it('falls back to the FC runtime variables for region and account', () => {
    const config = loadConfig({ FC_REGION: 'cn-shanghai', FC_ACCOUNT_ID: '1234567890' });
    expect(config.regionId).toBe('cn-shanghai');
    expect(config.accountId).toBe('1234567890');
    expect(loadConfig({ KRO_REGION_ID: 'ap-southeast-1', FC_REGION: 'cn-shanghai' }).regionId).toBe('ap-southeast-1');
  });

  it('parses durations, ranges, booleans and lists', () => {
    const config = loadConfig({
      KRO_POLICY_PRODUCTION_INTERVAL: '12h-14d',
      KRO_POLICY_STAGING_GENERIC_MAX_AGE: '720h',
      KRO_DRY_RUN: 'yes',
      KRO_PACING: '0',
      KRO_ALERT_MAIL: 'ops@example.com, sec@example.com',
      KRO_ENDPOINT: '127.0.0.1:8080',
    });
    expect(config.policies.production.minIntervalSeconds).toBe(43200);
    expect(config.policies.production.maxIntervalSeconds).toBe(14 * 86400);
    expect(config.policies.staging.genericMaxAgeSeconds).toBe(30 * 86400);
    expect(config.dryRun).toBe(true);
    expect(config.api.pacing).toBe(false);
    expect(config.alerts.mail).toEqual(['ops@example.com', 'sec@example.com']);
    expect(config.endpoint).toBe('127.0.0.1:8080');
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.policies.production)).toBe(true);
    expect(Object.isFrozen(config.alerts.mail)).toBe(true);
  });

  it('reports three bad variables at once in one error naming each, its value and the expected form', () => {
    const problems = problemsOf({
      KRO_RETRY_MAX_ATTEMPTS: 'abc',
      KRO_DRY_RUN: 'maybe',
      KRO_POLICY_PRODUCTION_INTERVAL: '30d-7d',
    });
    expect(problems).toHaveLength(3);
    expect(problems).toContain('KRO_RETRY_MAX_ATTEMPTS: "abc" is not a whole number; expected an integer 1-20');
    expect(problems.find((p) => p.startsWith('KRO_DRY_RUN: "maybe"'))).toMatch(/expected true\/false/);
    expect(problems.find((p) => p.startsWith('KRO_POLICY_PRODUCTION_INTERVAL: "30d-7d"'))).toMatch(/expected a range/);
  });

  it('rejects out-of-range numbers and malformed endpoints', () => {
    const problems = problemsOf({ KRO_ROTATE_BUDGET_PER_HOUR: '60', KRO_ENDPOINT: 'http://127.0.0.1:80' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^KRO_ROTATE_BUDGET_PER_HOUR: "60" is out of range; expected an integer 1-50$/);
    expect(problems[1]).toMatch(/^KRO_ENDPOINT: .* expected host:port/);
  });

  it('takes the KMS quota shares as whole percentages from 1 to 100, naming the variable otherwise', () => {
    expect(loadConfig({ KRO_KMS_READ_SHARE_PERCENT: '100', KRO_KMS_LIST_SHARE_PERCENT: '1' }).api.quotaShare).toEqual({
      readPercent: 100,
      listPercent: 1,
    });
    expect(problemsOf({ KRO_KMS_READ_SHARE_PERCENT: '0', KRO_KMS_LIST_SHARE_PERCENT: '12.5' })).toEqual([
      'KRO_KMS_READ_SHARE_PERCENT: "0" is out of range; expected an integer 1-100',
      'KRO_KMS_LIST_SHARE_PERCENT: "12.5" is not a whole number; expected an integer 1-100',
    ]);
    expect(problemsOf({ KRO_KMS_READ_SHARE_PERCENT: '101' })).toEqual([
      'KRO_KMS_READ_SHARE_PERCENT: "101" is out of range; expected an integer 1-100',
    ]);
  });

  it('derives the sweep period from the timer cron that s.yaml gives both the trigger and the functions', () => {
    expect(loadConfig({ KRO_SWEEP_CRON: '0 0 * * * *' }).sweep).toEqual({
      cron: '0 0 * * * *',
      intervalSeconds: 3600,
      refreshHours: 24,
    });
    expect(loadConfig({ KRO_SWEEP_CRON: '0 */7 * * * *' }).sweep.intervalSeconds).toBe(420);
    expect(loadConfig({ KRO_SWEEP_CRON: 'CRON_TZ=Asia/Shanghai 0 0 4 * * *' }).sweep.intervalSeconds).toBe(86_400);
    expect(loadConfig({ KRO_SWEEP_CRON: '@every 15m' }).sweep.intervalSeconds).toBe(900);
    expect(loadConfig({ KRO_SWEEP_CRON: '0 0 0 */7 * *' }).sweep.intervalSeconds).toBe(7 * 86_400);
  });

  it('refuses a sweep cron that is not an FC timer expression or sweeps too often or too rarely', () => {
    expect(problemsOf({ KRO_SWEEP_CRON: '*/10 * * * *' })).toEqual([
      expect.stringMatching(/^KRO_SWEEP_CRON: "\*\/10 \* \* \* \*" is not an FC cron; expected six fields/),
    ]);
    expect(problemsOf({ KRO_SWEEP_CRON: '* * * * * *' })).toEqual([
      expect.stringMatching(/^KRO_SWEEP_CRON: .* fires every 1 s; expected a sweep every 1 minute to 31 days/),
    ]);
    expect(problemsOf({ KRO_SWEEP_CRON: '0 0 0 30 2 *' })).toEqual([
      expect.stringMatching(/^KRO_SWEEP_CRON: .* never fires twice/),
    ]);
    expect(problemsOf({ KRO_SWEEP_CRON: '0 0 61 * * *' })).toEqual([
      expect.stringMatching(/^KRO_SWEEP_CRON: .* is not a valid cron/),
    ]);
    expect(problemsOf({ KRO_SWEEP_CRON: 'CRON_TZ=Mars/Base 0 0 * * * *' })).toEqual([
      expect.stringMatching(/unknown time zone "Mars\/Base"/),
    ]);
  });
});

describe('tag keys: the orchestrator touches only what it owns', () => {
  it("refuses KRO_STATE_TAG_KEY=env at start, naming the variable (it would overwrite and remove the customer's env tag)", () => {
    const problems = problemsOf({ KRO_STATE_TAG_KEY: 'env' });
    expect(problems).toEqual([
      expect.stringMatching(
        /^KRO_STATE_TAG_KEY: "env" is outside the orchestrator's own tags; expected a key starting with kro-$/,
      ),
      expect.stringMatching(/^KRO_STATE_TAG_KEY: "env" collides with KRO_ENV_TAG_KEY \("env"\)/),
    ]);
    expect(() => loadConfig({ KRO_STATE_TAG_KEY: 'env' })).toThrow(ConfigError);
  });

  it('refuses a state key equal to the environment key even under its own prefix, and its -msg companion too', () => {
    expect(problemsOf({ KRO_STATE_TAG_KEY: 'kro-env', KRO_ENV_TAG_KEY: 'kro-env' })).toEqual([
      expect.stringMatching(/^KRO_STATE_TAG_KEY: "kro-env" collides with KRO_ENV_TAG_KEY/),
    ]);
    expect(problemsOf({ KRO_ENV_TAG_KEY: 'kro-state-msg' })).toEqual([
      expect.stringMatching(/^KRO_STATE_TAG_KEY: "kro-state" collides with KRO_ENV_TAG_KEY \("kro-state-msg"\)/),
    ]);
    expect(problemsOf({ KRO_STATE_TAG_KEY: 'owner' })).toEqual([
      expect.stringMatching(/outside the orchestrator's own tags/),
    ]);
  });

  it('accepts the documented tag alphabet and refuses what KMS refuses', () => {
    const config = loadConfig({ KRO_STATE_TAG_KEY: 'kro-state/v2_a.b+c=d:e@f\\g', KRO_ENV_TAG_KEY: 'team/env' });
    expect(config.stateTagKey).toBe('kro-state/v2_a.b+c=d:e@f\\g');
    expect(config.envTagKey).toBe('team/env');
    expect(loadConfig({ KRO_STATE_TAG_KEY: `kro-${'s'.repeat(120)}` }).stateTagKey).toHaveLength(124);
    for (const [name, value] of [
      ['KRO_ENV_TAG_KEY', 'my env'],
      ['KRO_ENV_TAG_KEY', 'aliyun:env'],
      ['KRO_ENV_TAG_KEY', 'ACS:env'],
      ['KRO_ENV_TAG_KEY', 'env,stage'],
      ['KRO_ENV_TAG_KEY', 'umgebung\u00e9'],
      ['KRO_ENV_TAG_KEY', 'e'.repeat(129)],
      // `<key>-msg` must fit KMS's 128 characters too.
      ['KRO_STATE_TAG_KEY', `kro-${'s'.repeat(121)}`],
    ] as const) {
      expect(problemsOf({ [name]: value }), `${name}=${value}`).toEqual([
        expect.stringMatching(
          new RegExp(`^${name}: .* is not valid; expected a tag key of letters, digits and / \\\\ _ - \\. \\+ = : @`),
        ),
      ]);
    }
  });

  it('reads probe targets as a JSON map and rejects anything else without echoing it', () => {
    expect(
      loadConfig({ KRO_VERIFY_TARGETS: '{"db_prod":"postgresql://10.0.0.5:5432/app"}' }).verification.targets,
    ).toEqual({ db_prod: 'postgresql://10.0.0.5:5432/app' });
    expect(loadConfig({}).verification).not.toHaveProperty('targets');
    const problems = problemsOf({ KRO_VERIFY_TARGETS: '{"db":42}' });
    expect(problems).toEqual([
      expect.stringMatching(/^KRO_VERIFY_TARGETS: \(value hidden\) is not valid; expected a JSON object of strings/),
    ]);
  });

  it('never echoes the DingTalk webhook, whose URL carries an access token', () => {
    const problems = problemsOf({ KRO_ALERT_DINGTALK_WEBHOOK: 'not a url access_token=abcdef123' });
    expect(problems.join()).not.toContain('abcdef123');
  });
});

describe('CONFIG_VARIABLES', () => {
  it('lists every variable once with a description', () => {
    const names = CONFIG_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'KRO_REGION_ID',
        'KRO_SWEEP_CRON',
        'KRO_POLICY_DEV_GENERIC_MAX_AGE',
        'KRO_ROTATE_BUDGET_PER_HOUR',
      ]),
    );
    for (const v of CONFIG_VARIABLES) expect(v.description.length).toBeGreaterThan(5);
  });

  // 36 since issue 15: the two quota shares and the incremental sweep's refresh are operators' decisions.
  it('stays a configuration an operator can hold in mind: at most 36 variables, tuning knobs gone', () => {
    expect(CONFIG_VARIABLES.length).toBeLessThanOrEqual(36);
    const names = CONFIG_VARIABLES.map((v) => v.name);
    // Dead (never read), derived (from the cron), a second RotateSecret limit, and tuning no operator decides.
    for (const gone of [
      'KRO_ON_EVENT_FUNCTION',
      'KRO_SWEEP_INTERVAL_SECONDS',
      'KRO_QUOTA_ROTATE_PER_HOUR',
      'KRO_API_MAX_ATTEMPTS',
      'KRO_SWEEP_PAGE_SIZE',
      'KRO_SWEEP_CONCURRENCY',
      'KRO_VERIFY_CONNECT_TIMEOUT_MS',
    ]) {
      expect(names).not.toContain(gone);
    }
  });

  it("keeps the variables a runtime sets apart from the operator's", () => {
    expect(RUNTIME_VARIABLES.map((v) => v.name)).toEqual(['KRO_ENDPOINT', 'KRO_PACING']);
    for (const v of RUNTIME_VARIABLES) expect(CONFIG_VARIABLES.map((c) => c.name)).not.toContain(v.name);
  });
});

describe('envTagToEnvironment', () => {
  it.each([
    ['prod', 'production'],
    ['Production', 'production'],
    ['stage', 'staging'],
    ['pre', 'staging'],
    ['dev', 'dev'],
    ['test', 'dev'],
    ['sandbox', 'dev'],
    [undefined, 'production'],
    ['qa-east', 'production'],
  ] as const)('maps %s to %s', (tag, expected) => {
    expect(envTagToEnvironment(tag)).toBe(expected);
  });
});
