import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, envTagToEnvironment, loadConfig } from '../../shared/config';
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
    expect(config.sweep).toEqual({ pageSize: 100, concurrency: 32, safetyMarginSeconds: 20, intervalSeconds: 600 });
    expect(config.retry).toEqual({ baseDelaySeconds: 120, maxDelaySeconds: 3600, maxAttempts: 4, maxEpisodeHours: 24, rotateBudgetPerHour: 40 });
    expect(config.api.quotas).toEqual({ readPerSecond: 450, listPerSecond: 40, writePerSecond: 10, rotatePerHour: 45 });
    expect(config.alerts.mail).toEqual([]);
    expect(config.policies.production).toEqual({
      minIntervalSeconds: 7 * 86400, maxIntervalSeconds: 30 * 86400,
      requireAutomaticRotation: true, requireDoubleAccountRds: true, genericMaxAgeSeconds: 90 * 86400,
    });
    expect(config.policies.staging).toMatchObject({ minIntervalSeconds: 86400, maxIntervalSeconds: 90 * 86400, requireDoubleAccountRds: false, genericMaxAgeSeconds: 180 * 86400 });
    expect(config.policies.dev).toMatchObject({ minIntervalSeconds: 6 * 3600, maxIntervalSeconds: 365 * 86400, requireAutomaticRotation: false });
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
    const problems = problemsOf({ KRO_RETRY_MAX_ATTEMPTS: 'abc', KRO_DRY_RUN: 'maybe', KRO_POLICY_PRODUCTION_INTERVAL: '30d-7d' });
    expect(problems).toHaveLength(3);
    expect(problems).toContain('KRO_RETRY_MAX_ATTEMPTS: "abc" is not a whole number; expected an integer 1-20');
    expect(problems.find((p) => p.startsWith('KRO_DRY_RUN: "maybe"'))).toMatch(/expected true\/false/);
    expect(problems.find((p) => p.startsWith('KRO_POLICY_PRODUCTION_INTERVAL: "30d-7d"'))).toMatch(/expected a range/);
  });

  it('rejects out-of-range numbers, malformed endpoints and a base delay above its cap', () => {
    const problems = problemsOf({ KRO_SWEEP_PAGE_SIZE: '500', KRO_ENDPOINT: 'http://127.0.0.1:80', KRO_API_BASE_DELAY_MS: '5000', KRO_API_MAX_DELAY_MS: '1000' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^KRO_ENDPOINT: .* expected host:port/);
    expect(problems[1]).toMatch(/^KRO_SWEEP_PAGE_SIZE: "500" is out of range; expected an integer 1-100$/);
    expect(problems[2]).toMatch(/^KRO_API_BASE_DELAY_MS: 5000 is above KRO_API_MAX_DELAY_MS/);
  });

  it('reads probe targets as a JSON map and rejects anything else without echoing it', () => {
    expect(loadConfig({ KRO_VERIFY_TARGETS: '{"db_prod":"postgresql://10.0.0.5:5432/app"}' }).verification.targets).toEqual({ db_prod: 'postgresql://10.0.0.5:5432/app' });
    expect(loadConfig({}).verification).not.toHaveProperty('targets');
    const problems = problemsOf({ KRO_VERIFY_TARGETS: '{"db":42}' });
    expect(problems).toEqual([expect.stringMatching(/^KRO_VERIFY_TARGETS: \(value hidden\) is not valid; expected a JSON object of strings/)]);
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
    expect(names).toEqual(expect.arrayContaining(['KRO_REGION_ID', 'KRO_ENDPOINT', 'KRO_POLICY_DEV_GENERIC_MAX_AGE', 'KRO_QUOTA_ROTATE_PER_HOUR']));
    for (const v of CONFIG_VARIABLES) expect(v.description.length).toBeGreaterThan(5);
  });
});

describe('envTagToEnvironment', () => {
  it.each([
    ['prod', 'production'], ['Production', 'production'], ['stage', 'staging'], ['pre', 'staging'],
    ['dev', 'dev'], ['test', 'dev'], ['sandbox', 'dev'], [undefined, 'production'], ['qa-east', 'production'],
  ] as const)('maps %s to %s', (tag, expected) => {
    expect(envTagToEnvironment(tag)).toBe(expected);
  });
});
