/**
 * Fuzzing loadConfig: the environment is outside input (s.yaml, the console, a deployer's shell).
 * Whatever it holds, loading either returns a Config or throws ConfigError naming the bad
 * variables; never another exception, and never the value of a sensitive variable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig, RUNTIME_VARIABLES } from '../../shared/config';
import { ConfigError } from '../../shared/errors';

const NAMES = [...CONFIG_VARIABLES, ...RUNTIME_VARIABLES].map((v) => v.name).concat('FC_REGION', 'FC_ACCOUNT_ID');
const SENSITIVE = ['KRO_ALERT_DINGTALK_WEBHOOK', 'KRO_VERIFY_TARGETS'];
const MARKER = 'Zq9SensitiveMarker';

// Values near what each variable accepts, so the generator reaches every schema's edges.
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -10, max: 2_000_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom(
    'true',
    'false',
    'TRUE',
    'yes',
    '',
    ' ',
    '0',
    '1e3',
    '7d-30d',
    '30d-7d',
    '6h-365d',
    '0d-1d',
    '90d',
    '1y',
    '127.0.0.1:8080',
    ':80',
    'https://oapi.dingtalk.com/robot/send?access_token=x',
    'http://x',
    '{"a":"b"}',
    '{"a":1}',
    '[]',
    'null',
    'a@b.c,d@e.f',
    'a@',
    'debug',
    'trace',
    '\u0000',
    '1'.repeat(400),
  ),
);
const policyName = fc
  .tuple(
    fc.constantFrom('PRODUCTION', 'STAGING', 'DEV', 'Prod', ''),
    fc.constantFrom('INTERVAL', 'REQUIRE_ROTATION', 'REQUIRE_DOUBLE_ACCOUNT', 'GENERIC_MAX_AGE', 'X'),
  )
  .map(([env, key]) => `KRO_POLICY_${env}_${key}`);
const environment = fc.dictionary(
  fc.oneof(fc.constantFrom(...NAMES), policyName, fc.string({ maxLength: 12 })),
  value,
  { maxKeys: 12 },
);

function load(env: Record<string, string>): 'ok' | ConfigError {
  try {
    loadConfig(env);
    return 'ok';
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('fuzzing the configuration loader', () => {
  it('returns a Config or throws ConfigError, and nothing else', () => {
    fc.assert(
      fc.property(environment, (env) => {
        const outcome = load(env);
        if (outcome !== 'ok') {
          expect(outcome.problems.length).toBeGreaterThan(0);
          for (const problem of outcome.problems) expect(problem).toMatch(/^(KRO_|FC_)[A-Z_]+/);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('never quotes the value of a sensitive variable in its error', () => {
    fc.assert(
      fc.property(environment, fc.constantFrom(...SENSITIVE), fc.string({ maxLength: 20 }), (env, name, noise) => {
        const outcome = load({ ...env, [name]: `${noise}${MARKER}${noise}` });
        if (outcome !== 'ok') expect(outcome.message).not.toContain(MARKER);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts its own defaults, whatever unrelated variables are set', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[A-Z][A-Z_]{0,12}$/).filter((k) => !k.startsWith('KRO_') && !k.startsWith('FC_')),
          fc.string(),
        ),
        (env) => {
          expect(load(env)).toBe('ok');
        },
      ),
      { numRuns: 300 },
    );
  });
});
