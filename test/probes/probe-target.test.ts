import { describe, expect, it } from 'vitest';
import { redactText } from '../../shared/domain/redact';
import { parseProbeTarget, parseProbeTargets } from '../../shared/probes';

describe('parseProbeTarget', () => {
  it.each([
    [
      'postgresql://127.0.0.1:5432/test',
      {
        engine: 'postgresql',
        host: '127.0.0.1',
        port: 5432,
        database: 'test',
        tls: 'off',
        display: 'postgresql://127.0.0.1:5432/test',
      },
    ],
    [
      'postgres://pg.internal/app?sslmode=require',
      { engine: 'postgresql', host: 'pg.internal', port: 5432, database: 'app', tls: 'require' },
    ],
    ['mysql://127.0.0.1:3306/test', { engine: 'mysql', port: 3306, database: 'test', tls: 'off' }],
    ['mariadb://10.0.0.6', { engine: 'mysql', port: 3306, database: undefined }],
    ['redis://127.0.0.1:6379', { engine: 'redis', port: 6379, tls: 'off' }],
    ['rediss://r-bp1.redis.rds.aliyuncs.com:6380/2', { engine: 'redis', port: 6380, database: '2', tls: 'verify' }],
    ['postgresql://[::1]:5433/db', { engine: 'postgresql', host: '::1', port: 5433 }],
  ])('reads %s', (text, expected) => {
    const result = parseProbeTarget(text);
    expect(result.ok && result.target).toMatchObject(expected);
  });

  it.each([
    ['a URL with credentials', 'mysql://root:hunter22@10.0.0.6:3306', /must not carry credentials/],
    ['an unknown scheme', 'oracle://10.0.0.6:1521', /unsupported scheme "oracle:"/],
    ['text that is no URL', '10.0.0.6:5432', /not a URL|unsupported scheme/],
    ['an unknown sslmode', 'postgresql://h/db?sslmode=maybe', /unknown sslmode "maybe"/],
    ['a Redis path that is not a number', 'redis://h/cache', /database number/],
  ])('refuses %s', (_why, text, problem) => {
    const result = parseProbeTarget(text);
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
    expect(JSON.stringify(result)).not.toContain('hunter22');
  });
});

describe('parseProbeTargets (KRO_VERIFY_TARGETS)', () => {
  it('reads a JSON map of secret name to target', () => {
    expect(parseProbeTargets('{"db_prod":"postgresql://10.0.0.5:5432/app"}')).toEqual({
      db_prod: 'postgresql://10.0.0.5:5432/app',
    });
  });

  it('names the secret whose target is wrong', () => {
    expect(() => parseProbeTargets('{"db_prod":"ftp://x"}')).toThrow(/the target of "db_prod": unsupported scheme/);
  });
});

describe('redactText with the value named', () => {
  it('removes the raw, JSON-escaped and URL-encoded forms of a value', () => {
    const value = 'p"w d/1';
    const reason = `raw ${value} json ${JSON.stringify(value)} url ${encodeURIComponent(value)}`;
    expect(redactText(reason, { values: [value] })).toBe('raw [REDACTED] json "[REDACTED]" url [REDACTED]');
  });
});
