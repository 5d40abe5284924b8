import { describe, expect, it } from 'vitest';
import { redactValue as redact, registerSensitive } from '../../shared/domain/redact';
import { createLogger } from '../../shared/log';

const PASSWORD = 'Pa55w0rd-hunter2';
const AK_SECRET = 'LTAI5tAkSecretValueXyz0123456789';
const SSH_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAMwAAAAtzc2gtZWQyNTUxOQAAACD\n-----END OPENSSH PRIVATE KEY-----';
const fixedClock = { now: () => Date.UTC(2026, 10, 22, 12, 0, 0), sleep: async () => {} };

function capture(level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    writeLine: (l) => lines.push(l),
    clock: fixedClock,
    fields: { functionName: 'kro-sweep' },
  });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and the context fields first', () => {
    const { logger, lines } = capture();
    logger.child({ requestId: 'req-1' }).info('described', { secretName: 'db/prod', durationMs: 12 });
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(Object.keys(record)).toEqual([
      'time',
      'level',
      'msg',
      'requestId',
      'functionName',
      'secretName',
      'durationMs',
    ]);
    expect(record).toMatchObject({
      time: '2026-11-22T12:00:00.000Z',
      level: 'info',
      msg: 'described',
      requestId: 'req-1',
    });
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture('info');
    logger.debug('noise');
    logger.warn('kept');
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['warn']);
  });

  it('prints no password, AccessKey secret or SSH private key, nested or inside an error', () => {
    const { logger, lines } = capture();
    const cause = new Error(`connect failed for {"AccountName":"app","AccountPassword":"${PASSWORD}"}`);
    const error = Object.assign(new Error('rotation failed', { cause }), {
      accessKeySecret: AK_SECRET,
      detail: { PrivateKey: SSH_KEY },
    });
    logger.error('probe failed', {
      secretName: 'db/prod',
      secret: { Accounts: [{ AccountName: 'app', AccountPassword: PASSWORD }] },
      ram: { AccessKeys: [{ AccessKeyId: 'LTAI5tId', AccessKeySecret: AK_SECRET }] },
      ecs: { value: { UserName: 'root', PrivateKey: SSH_KEY } },
      note: `key was ${SSH_KEY}`,
      error,
    });
    const line = lines.join('\n');
    expect(line).not.toContain(PASSWORD);
    expect(line).not.toContain(AK_SECRET);
    expect(line).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
    const record = JSON.parse(lines[0]!);
    expect(record.ram.AccessKeys[0]).toEqual({ AccessKeyId: 'LTAI5tId', AccessKeySecret: '[REDACTED]' });
    expect(record.error.message).toBe('rotation failed');
    expect(record.error.cause.message).toContain('"AccountPassword":"[REDACTED]"');
    expect(record.secretName).toBe('db/prod');
  });

  it('replaces a registered value wherever it appears, in messages and stacks too', () => {
    const { logger, lines } = capture();
    const value = 'opaque-generic-value-7781';
    registerSensitive(value);
    logger.warn(`unexpected ${value}`, { error: new Error(`bad token ${value}`), list: [`x${value}y`] });
    expect(lines[0]).not.toContain(value);
    expect(JSON.parse(lines[0]!).list).toEqual(['x[REDACTED]y']);
  });

  it('survives cycles and BigInt values', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: 'a' };
    loop.self = loop;
    logger.info('odd', { loop, big: 10n ** 20n });
    const record = JSON.parse(lines[0]!);
    expect(record.loop.self).toBe('[Circular]');
    expect(record.big).toBe('100000000000000000000');
  });
});

describe('redact', () => {
  it('keeps names that only look secret-ish, such as secretName, secretType and NextToken', () => {
    expect(
      redact({ secretName: 'n', SecretType: 'Rds', NextToken: 't', SecretData: 'v', securityToken: 's', password: '' }),
    ).toEqual({
      secretName: 'n',
      SecretType: 'Rds',
      NextToken: 't',
      SecretData: '[REDACTED]',
      securityToken: '[REDACTED]',
    });
  });
});
