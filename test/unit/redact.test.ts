/**
 * The one redactor against the hostile-message corpus (issue 13): every template, with fixed and
 * with random secret values, loses the value; what an operator needs (error codes, request ids,
 * ARNs, times, names) stays; and a random value embedded in any template never reaches a tag, an
 * alert, a log line or the report, each built by the product's own code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAlertMessages } from '../../shared/domain/alerts';
import { openEpisode } from '../../shared/domain/episode';
import { encodeMessage } from '../../shared/domain/episode-tag';
import {
  looksLikeCredential,
  MESSAGE_LIMIT,
  REDACTED,
  redactMessage,
  redactText,
  registerSensitive,
  safeErrorCode,
  UNREADABLE_ERROR_CODE,
} from '../../shared/domain/redact';
import { createLogger } from '../../shared/log';
import { buildReportData, renderReportHtml } from '../../shared/report';
import { HOSTILE_MESSAGES, SPLIT_TEMPLATES } from '../fixtures/hostile-messages';
import { testConfig } from '../helpers/config';
import { T0 } from '../helpers/fakes';

/** Generated the way KMS and RDS generate passwords: 8-32 characters, three classes, RDS's special characters. */
const FIXED_VALUES = ['Xk9#mQ2$vL7pRw4!', 'p@ss/W0rd#2026?x', 'Orders_Pw-2026x=Z9&k', 'N3wPassw0rd(2026)*'];

function leaksOf(text: string, value: string, templateName: string): string[] {
  const forms = [value, encodeURIComponent(value)];
  if (SPLIT_TEMPLATES.has(templateName))
    forms.push(value.slice(0, Math.ceil(value.length / 2)), value.slice(Math.ceil(value.length / 2)));
  return forms.filter((form) => form.length >= 6 && text.includes(form));
}

describe('the hostile-message corpus', () => {
  it('holds at least 60 messages, the three forms that leaked first', () => {
    expect(HOSTILE_MESSAGES.length).toBeGreaterThanOrEqual(60);
    expect(HOSTILE_MESSAGES.slice(0, 3).map((m) => m.template('PW'))).toEqual([
      'mysql://orders:PW@rm-bp1:3306/db',
      'PW',
      '密码: PW',
    ]);
    expect(new Set(HOSTILE_MESSAGES.map((m) => m.name)).size).toBe(HOSTILE_MESSAGES.length);
  });

  it.each(HOSTILE_MESSAGES.map((m) => [m.name, m] as const))('loses the value: %s', (_name, message) => {
    for (const value of FIXED_VALUES) {
      const text = message.template(value);
      expect(
        text.includes(value) || text.includes(encodeURIComponent(value)) || SPLIT_TEMPLATES.has(message.name),
      ).toBe(true);
      expect(leaksOf(redactMessage(text)!, value, message.name), `${message.name} with ${value}`).toEqual([]);
      expect(leaksOf(redactText(text), value, message.name)).toEqual([]);
    }
  });
});

describe('what the redactor keeps', () => {
  it('keeps error codes, request ids, ARNs, instance ids, times and secret names readable', () => {
    const text =
      'OperationDenied.DBInstanceStatus: The instance rm-bp1abc123 is busy. RequestId: 4C467B38-3910-447D-87BC-AC049166F216 at 2026-03-02T00:00:00.000Z on acs:rds:cn-hangzhou:1234567890123456:dbinstance/rm-bp1abc123 for secret prod/orders-db.';
    expect(redactText(text)).toBe(text);
    expect(redactMessage(text)).toBe(`${text.slice(0, MESSAGE_LIMIT - 1)}…`);
  });

  it('keeps the host of a URL and the label of a value, and a quoted value keeps its quotes', () => {
    expect(redactMessage('mysql://orders:Xk9#mQ2$vL7pRw4!@rm-bp1:3306/db')).toBe(`mysql://${REDACTED}@rm-bp1:3306/db`);
    expect(redactMessage('密码: Xk9#mQ2$vL7pRw4!')).toBe(`密码: ${REDACTED}`);
    expect(redactText('{"AccountName":"orders","AccountPassword":"hunter2"}')).toBe(
      `{"AccountName":"orders","AccountPassword":"${REDACTED}"}`,
    );
  });

  it(`keeps at most ${MESSAGE_LIMIT} characters, on one line`, () => {
    const long = redactMessage(`first line\n${'word '.repeat(5_000)}`)!;
    expect(long.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(long).not.toMatch(/[\r\n]/);
    expect(redactMessage('   ')).toBeUndefined();
    expect(redactMessage(undefined)).toBeUndefined();
  });

  it('keeps an error code only when it is shaped like one', () => {
    expect(safeErrorCode('OperationDenied.DBInstanceStatus')).toBe('OperationDenied.DBInstanceStatus');
    expect(safeErrorCode('Kms:InternalFailure')).toBe('Kms:InternalFailure');
    expect(safeErrorCode('password=Xk9#mQ2$vL7pRw4!')).toBe(UNREADABLE_ERROR_CODE);
    expect(safeErrorCode('Xk9mQ2vL7pRw4Zt8Yq1')).toBe(UNREADABLE_ERROR_CODE);
    expect(safeErrorCode(undefined)).toBeUndefined();
  });

  it('tells a generated credential from an identifier', () => {
    for (const token of [
      'Xk9#mQ2$vL7pRw4!',
      'LTAI5tQxZ7pN2mR8wK4vJ9sH',
      'c2VjcmV0LXZhbHVlLTAxMjM0NTY3ODk=',
      'AKIAxxxxxxxxxxxxxxxxxxxxxxxxx',
    ])
      expect(looksLikeCredential(token), token).toBe(true);
    for (const token of [
      'OperationDenied.DBInstanceStatus',
      '4C467B38-3910-447D-87BC-AC049166F216',
      '2026-03-02T00:00:00.000Z',
      'prod/orders-db',
      'kro-0123456789-a1',
    ])
      expect(looksLikeCredential(token), token).toBe(false);
  });

  it('stays linear on hostile shapes (a text of 10,000 "http://" or unclosed quotes)', () => {
    const started = Date.now();
    for (const text of [
      'http://a'.repeat(10_000),
      'password:"'.repeat(10_000),
      'password:\\"a '.repeat(8_000),
      'Ab1#'.repeat(25_000),
    ])
      redactText(text);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('removes a registered value in every form, however short the rules would find it', () => {
    registerSensitive('hunt"er2#');
    expect(redactText('raw hunt"er2# json "hunt\\"er2#" url hunt%22er2%23')).toBe(
      `raw ${REDACTED} json "${REDACTED}" url ${REDACTED}`,
    );
    expect(redactText('x', { values: ['x'] })).toBe('x');
  });
});

// ---- the property: a random value in any template reaches no output ----

const config = testConfig();
const generatedValue = fc
  .stringMatching(/^[A-Za-z0-9!@#$%^&*()_+=-]{12,32}$/)
  .filter((v) => /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v));
const template = fc.constantFrom(...HOSTILE_MESSAGES);

/** The four outputs, each built by the product's own code from the raw outside message. */
function outputsOf(message: string): Record<'tag' | 'alert' | 'log' | 'report', string> {
  const episode = openEpisode({
    secretName: 'prod/orders',
    checkId: 'rotation-failed',
    now: T0,
    remediable: true,
    errorCode: 'InternalFailure',
    errorMessage: message,
  });
  // The tag: what on-event and remediate store (the redacted message, through the tag encoder).
  const tag = encodeMessage({ episodes: [episode], errorMessage: redactMessage(message) }) ?? '';
  const [alert] = buildAlertMessages([{ episode, secret: { secretName: 'prod/orders', secretType: 'Rds' } }], config);
  const lines: string[] = [];
  const logger = createLogger({
    writeLine: (line) => lines.push(line),
    clock: { now: () => T0, sleep: async () => undefined },
  });
  logger.error(`rotation failed: ${message}`, {
    secretName: 'prod/orders',
    errorMessage: message,
    error: new Error(message, { cause: new Error(message) }),
    detail: { reason: message },
  });
  const report = renderReportHtml(
    buildReportData(
      {
        secrets: [{ secretName: 'prod/orders', secretType: 'Rds' }],
        rotations: [{ secretName: 'prod/orders', at: T0, outcome: 'failure', errorCode: 'InternalFailure' }],
        retries: [],
        alerts: [{ name: alert!.eventName, at: T0, content: alert!.content }],
        findings: [],
      },
      { title: 'hostile', source: 'unit', generatedAt: T0, period: { start: T0 - 86_400_000, end: T0 } },
    ),
  );
  return { tag, alert: alert!.content, log: lines.join('\n'), report };
}

describe('a random secret value in any corpus template', () => {
  it('never appears in a tag, an alert, a log line or the report', () => {
    fc.assert(
      fc.property(generatedValue, template, (value, message) => {
        const outputs = outputsOf(message.template(value));
        for (const [where, text] of Object.entries(outputs)) {
          const leaks = leaksOf(text, value, message.name);
          if (leaks.length > 0) throw new Error(`"${message.name}" leaked into the ${where}`);
        }
      }),
      { seed: 13, numRuns: 400 },
    );
  });

  it('can fail: the same check finds the value in every template before redaction', () => {
    fc.assert(
      fc.property(generatedValue, template, (value, message) => {
        expect(leaksOf(message.template(value), value, message.name)).not.toEqual([]);
      }),
      { seed: 13, numRuns: 400 },
    );
  });
});
