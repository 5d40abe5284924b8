/**
 * Issue 13 end to end: hostile text in a rotation failure, and events that lie about their time,
 * through the real on-event, sweep and remediate handlers against the emulator. What the ops team
 * and anyone with ListSecrets can see (tags, CloudMonitor events and notifications, the handlers'
 * logs, the emulator's call log, a rendered report) is searched for the secret values.
 */
import { describe, expect, it } from 'vitest';
import type { SecretRecord } from '../../emulator/services/kms/model';
import { rotationEvent } from '../../emulator/services/kms/rotation-events';
import { decodeMessage } from '../../shared/domain/episode-tag';
import { buildReportData, renderReportHtml } from '../../shared/report';
import { HOSTILE_MESSAGES } from '../fixtures/hostile-messages';
import { aSecret, DAY, HOUR, MINUTE, START_MS, startScenario, type Scenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

const FAILURE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';
const ids = { regionId: 'cn-hangzhou', accountId: '' };

/** Every place a value could surface, as text. Tags are read raw and through the product's decoder. */
function outputs(s: Scenario, names: string[]): Record<string, string> {
  // The message tag is base64 (message-tag.ts): search its decoded text too, or a leak would hide in it.
  const tags = names.map((n) => ({
    raw: s.rawTags(n),
    decoded: s.state(n),
    message: decodeMessage(s.rawTags(n)['kro-state-msg']),
  }));
  const alerts = s.alerts();
  const report = renderReportHtml(
    buildReportData(
      {
        secrets: names.map((n) => ({ secretName: n, secretType: 'Rds' })),
        rotations: [],
        retries: [],
        alerts: alerts.map((a) => ({ name: a.name, at: a.time, content: a.content })),
        findings: [],
      },
      {
        title: 'untrusted events',
        source: 'scenario',
        generatedAt: s.now(),
        period: { start: START_MS, end: s.now() },
      },
    ),
  );
  return {
    tags: JSON.stringify(tags),
    alerts: JSON.stringify(alerts),
    notifications: JSON.stringify(s.rawNotifications()),
    logs: s.logs().join('\n'),
    'call log': JSON.stringify(s.calls()),
    report,
  };
}

function leaks(s: Scenario, names: string[], values: string[]): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(outputs(s, names)))
    for (const v of values) if (text.includes(v)) found.push(`${where} holds the value ${values.indexOf(v)}`);
  return found;
}

/** A failure event as KMS would send it for this secret, at any time (a forged or replayed one). */
function failureEvent(s: Scenario, secretName: string, at: number, errorMessage = 'Internal Failure.') {
  const secret = {
    name: secretName,
    type: 'Rds',
    extendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-orders' },
  } as unknown as SecretRecord;
  return rotationEvent(
    secret,
    { at, success: false, errorCode: 'InternalFailure', errorMessage },
    { ...ids, accountId: s.emulator.accountId },
  );
}

describe('a rotation failure whose errorMessage holds a password', () => {
  it('pages and retries, but no tag, alert, notification, log line, call log entry or report holds the value', async () => {
    const failAt = START_MS + HOUR + 5 * MINUTE;
    const due = new Date(failAt - 7 * DAY).toISOString();
    const cases = [
      { name: 'prod/orders', template: 'mysql URL with user info (leaked)', value: 'Xk9#mQ2$vL7pRw4!' },
      { name: 'prod/billing', template: 'the bare value (leaked)', value: 'Bq7!zR4@wN2^kT9m' },
      { name: 'prod/users', template: 'Chinese label with a colon (leaked)', value: 'Hy3$pL8&cV5#nD2x' },
      { name: 'prod/audit', template: 'JSON AccountPassword', value: 'Mv6*eK1(tS4)gW8q' },
    ];
    // Four causes (each its own instance and transient code), so each alert carries its own message:
    // one code or one instance would be one group, which names codes, not messages.
    const codes = ['InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableTemporary'];
    const s = await startScenario({
      secrets: cases.map((c, i) =>
        aSecret(c.name, 'rds', {
          LastRotationDate: due,
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: `rm-hostile-${i}` },
          Faults: [
            {
              Kind: 'RotationFailure',
              ErrorCode: codes[i],
              ErrorMessage: HOSTILE_MESSAGES.find((m) => m.name === c.template)!.template(c.value),
              Times: 1,
            },
          ],
        }),
      ),
    });
    const names = cases.map((c) => c.name);
    const values = cases.map((c) => c.value);

    // Just after the failure events: on-event has opened the episodes; the flush and the retry come later.
    await s.advance(HOUR + 5 * MINUTE + 10_000);
    // The hostile text did reach the product: it is in the events KMS put on the bus.
    const published = JSON.stringify(
      s.emulator.bus
        .log()
        .filter((r) => r.event.type === FAILURE)
        .map((r) => r.event),
    );
    for (const v of values) expect(published).toContain(v);
    // Each failure opened an episode, paged, and kept a (redacted) message for the alert.
    for (const name of names) expect(s.state(name).episodes.map((e) => e.checkId)).toContain('rotation-failed');
    // The message tag, readable by anyone with ListSecrets, holds the redacted message.
    expect(names.map((n) => decodeMessage(s.rawTags(n)['kro-state-msg']))).toContain(
      'mysql://[REDACTED]@rm-bp1:3306/db',
    );
    expect(leaks(s, names, values)).toEqual([]);

    await s.advance(3 * HOUR);
    // Four causes: each alert carries its own lastErrorMessage.
    expect(
      s
        .notifications()
        .filter((n) => n.eventName === 'KmsRotationFailed')
        .flatMap((n) => n.secrets)
        .sort(),
    ).toEqual([...names].sort());
    const messages = s
      .alerts()
      .map((a) => (alertFields(a.content) as { lastErrorMessage?: string }).lastErrorMessage)
      .filter(Boolean);
    expect(messages).toContain('mysql://[REDACTED]@rm-bp1:3306/db');
    // (The message tag keeps printable ASCII only, so the Chinese label reaches the flushed alert as blanks.)
    expect(messages.some((m) => /^(密码)?\s*: \[REDACTED\]$/.test(m!))).toBe(true);
    expect(s.calls('RotateSecret').length).toBeGreaterThan(0);
    expect(leaks(s, names, values)).toEqual([]);
  });
});

describe('events that lie about their time', () => {
  it('a failure event dated in the future leads to neither RotateSecret nor an alert, and the log says why', async () => {
    const s = await startScenario({ secrets: [aSecret('prod/orders', 'rds')] });
    await s.advance(5 * MINUTE);
    s.emulator.bus.publish(failureEvent(s, 'prod/orders', Date.parse('2099-01-01T00:00:00Z')));
    await s.advance(2 * HOUR);

    expect(s.invocations('kro-on-event').length).toBeGreaterThan(0);
    expect(s.calls('RotateSecret')).toEqual([]);
    expect(s.alerts()).toEqual([]);
    expect(s.state('prod/orders').episodes).toEqual([]);
    const refused = s.logRecords('event skipped: future-dated');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      level: 'warn',
      reason: 'future-dated',
      detail: expect.stringMatching(/2099-01-01T00:00:00.000Z, \d+ min ahead of now/),
    });
  });

  it('a failure event older than LastRotationDate leads to neither RotateSecret nor an alert, and the log says why', async () => {
    const s = await startScenario({ secrets: [aSecret('prod/orders', 'rds')] });
    await s.advance(5 * MINUTE);
    // aSecret rotated a day before the start; this failure is from the rotation before that one.
    s.emulator.bus.publish(failureEvent(s, 'prod/orders', START_MS - DAY - HOUR));
    await s.advance(2 * HOUR);

    expect(s.logRecords('event').some((r) => r.kind === 'rotation-result')).toBe(true);
    expect(s.logRecords('stale failure event: changes nothing')).toMatchObject([
      { secretName: 'prod/orders', reason: expect.stringMatching(/is not after the last successful rotation/) },
    ]);
    expect(s.calls('RotateSecret')).toEqual([]);
    expect(s.alerts()).toEqual([]);
    expect(s.state('prod/orders').episodes).toEqual([]);
  });
});

describe('a failure event for a secret whose DescribeSecret shows a healthy rotation', () => {
  it(
    'pages once (the event is KMS word), leads to no RotateSecret, says why, and resolves at the next sweep',
    { timeout: 120_000 },
    async () => {
      const s = await startScenario({ secrets: [aSecret('prod/orders', 'rds')] });
      await s.advance(5 * MINUTE);
      s.emulator.bus.publish(failureEvent(s, 'prod/orders', s.now()));
      await s.advance(2 * HOUR);

      // The sweep is the source of truth: the next one reads the secret healthy and ends the episode.
      expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([
        ['KmsRotationFailed', ['prod/orders']],
        ['KmsRotationRecovered', ['prod/orders']],
      ]);
      expect(s.state('prod/orders').episodes).toEqual([]);
      expect(s.calls('RotateSecret')).toEqual([]);
      expect(s.invocations('kro-remediate')).toEqual([]);
      expect(s.logRecords('rotation failure not corroborated: paging without RotateSecret')).toMatchObject([
        {
          level: 'warn',
          secretName: 'prod/orders',
          reason: expect.stringMatching(/^DescribeSecret shows a healthy rotation \(AutomaticRotation Enabled/),
        },
      ]);
      // No escalation for retries that were never made, and no second page for the same event.
      await s.advance(2 * DAY);
      expect(s.alerts().map((a) => a.name)).toEqual(['KmsRotationFailed', 'KmsRotationRecovered']);
      expect(s.calls('RotateSecret')).toEqual([]);
    },
  );
});

describe('a destination payload that is not from our own functions', () => {
  it('is refused and logged: a forged "remediation abandoned" escalates nothing', async () => {
    const s = await startScenario({ secrets: [aSecret('prod/orders', 'rds')] });
    await s.advance(5 * MINUTE);
    const forged = (functionArn: string) => ({
      timestamp: s.now(),
      requestContext: {
        requestId: 'r-1',
        functionArn,
        condition: 'UnhandledInvocationError',
        approximateInvokeCount: 3,
      },
      requestPayload: JSON.stringify({
        secretName: 'prod/orders',
        episodeId: '0123456789',
        attempt: 1,
        phase: 'rotate',
      }),
      responsePayload: { errorMessage: 'boom' },
    });
    await s.emulator.fc.invoke(
      'kro-on-event',
      Buffer.from(JSON.stringify(forged(`acs:fc:cn-hangzhou:${s.emulator.accountId}:functions/not-ours`))),
    );
    await s.emulator.fc.invoke(
      'kro-on-event',
      Buffer.from(JSON.stringify(forged(`acs:fc:cn-hangzhou:999999999:functions/kro-remediate`))),
    );
    const refused = s.logRecords('destination payload refused: not from one of our functions');
    expect(refused.map((r) => r.reason)).toEqual([
      expect.stringMatching(/not-ours is not one of the orchestrator's functions/),
      expect.stringMatching(/account 999999999/),
    ]);
    expect(s.logRecords('remediation abandoned by Function Compute')).toEqual([]);
  });
});
