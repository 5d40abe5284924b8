/**
 * The invariant checks of the resilience suite, on small hand-made records: each one reports the
 * violation it exists for, so a green resilience run means the invariants held, not that the
 * checks were blind.
 */
import { describe, expect, it } from 'vitest';
import {
  duplicateAlerts,
  forgedEventConsequences,
  peakRotationsPerHour,
  repeatedOpenAlerts,
  repeatedRotations,
  rotationsWithoutCause,
  unresolvedFailures,
  type SecretOutcome,
} from './invariants';
import { SecretValues } from './secret-values';

const at = (minutes: number) => Date.UTC(2026, 0, 5) + minutes * 60_000;
const event = (content: unknown) => ({ name: 'KmsRotationFailed', time: at(0), content: JSON.stringify(content) });
const outcome = (o: Partial<SecretOutcome>): SecretOutcome => ({
  secretName: 'db',
  failures: 1,
  recovered: false,
  openEpisodes: [],
  escalatedEpisodes: [],
  pendingAlerts: 0,
  ...o,
});

describe('the resilience invariants', () => {
  it('report an alert id delivered twice, also inside a grouped event', () => {
    const single = event({ alertId: 'kro-0123456789-otx1abc' });
    const grouped = event({
      grouped: true,
      affected: [{ alertId: 'kro-0123456789-otx1abc' }, { alertId: 'kro-abcdefabcd-otx1abc' }],
    });
    expect(duplicateAlerts([single, grouped])).toEqual(['kro-0123456789-otx1abc delivered 2 times']);
    expect(duplicateAlerts([grouped])).toEqual([]);
  });

  it('report a second open alert for the same episode', () => {
    const events = [
      event({ alertId: 'kro-0123456789-otx1abc' }),
      event({ alertId: 'kro-0123456789-etx1abd' }),
      event({ alertId: 'kro-0123456789-otx1abe' }),
    ];
    expect(repeatedOpenAlerts(events)).toEqual(['episode 0123456789 opened 2 times']);
    expect(repeatedOpenAlerts(events.slice(0, 2))).toEqual([]);
  });

  it('accept a failure that recovered or escalated with its alert, and report every other ending', () => {
    const escalation = [event({ alertId: 'kro-0123456789-etx1abc' })];
    expect(
      unresolvedFailures(
        [outcome({ recovered: true }), outcome({ escalatedEpisodes: ['0123456789'] }), outcome({ failures: 0 })],
        escalation,
      ),
    ).toEqual([]);
    expect(unresolvedFailures([outcome({})], escalation)).toEqual([
      'db: rotation failed, neither recovered nor escalated',
    ]);
    expect(unresolvedFailures([outcome({ escalatedEpisodes: ['abcdefabcd'] })], escalation)).toEqual([
      'db: escalated without an escalation alert',
    ]);
    expect(unresolvedFailures([outcome({ recovered: true, openEpisodes: ['e1'] })], escalation)).toEqual([
      'db: healthy again but episode e1 never resolved',
    ]);
    expect(unresolvedFailures([outcome({ recovered: true, pendingAlerts: 1 })], escalation)).toEqual([
      'db: 1 alert(s) never delivered',
    ]);
  });

  it('report RotateSecret accepted twice for one VersionId, not a refused call before a good one', () => {
    const call = (ok: boolean, versionId = 'kro-0123456789-a1') => ({ at: at(0), secretName: 'db', versionId, ok });
    expect(repeatedRotations([call(false), call(true)])).toEqual([]);
    expect(repeatedRotations([call(true), call(true, 'kro-0123456789-a2')])).toEqual([]);
    expect(repeatedRotations([call(true), call(true)])).toEqual(['RotateSecret db kro-0123456789-a1 accepted 2 times']);
  });

  it('measure the busiest sliding hour, not the busiest clock hour', () => {
    // 3 calls at xx:50-xx:59 and 3 at yy:00-yy:09: no clock hour holds more than 3, one sliding hour holds 6.
    const calls = [50, 55, 59, 60, 65, 69, 200].map((m) => ({
      at: at(m),
      secretName: `s${m}`,
      versionId: 'v',
      ok: true,
    }));
    expect(peakRotationsPerHour(calls)).toEqual({ peak: 6, at: at(50) });
    expect(peakRotationsPerHour([...calls, { at: at(61), secretName: 'x', versionId: 'v', ok: false }]).peak).toBe(6);
  });

  it('find a secret value in any text, inside JSON values and escaped log lines', () => {
    const values = new SecretValues();
    values.addSecretData(JSON.stringify({ Accounts: [{ AccountName: 'app', AccountPassword: 'Pw#4xK9-qq.LmZ2^rT' }] }));
    values.addSecretData('plain-generic-token-0123456789');
    expect(values.size()).toBe(2);
    expect(values.findIn('{"msg":"probe","detail":"login as app with Pw#4xK9-qq.LmZ2^rT failed"}')).toBe(
      'Pw#4xK9-qq.LmZ2^rT',
    );
    expect(values.findIn('token=plain-generic-token-0123456789')).toBe('plain-generic-token-0123456789');
    expect(values.findIn('{"AccountName":"app","password":"[REDACTED]"}')).toBeUndefined();
  });

  it('report a forged event followed by a RotateSecret or a failure alert, unless a real failure explains it', () => {
    const forged = [{ kind: 'future' as const, secretName: 'db', publishedAt: at(0), claimedAt: at(60 * 24 * 365) }];
    const rotation = { at: at(5), secretName: 'db', versionId: 'kro-0123456789-a1', ok: true };
    const page = { at: at(2), secretNames: ['db'] };
    expect(forgedEventConsequences(forged, [rotation], [page], [])).toEqual([
      'future event for db led to RotateSecret',
      'future event for db led to a failure alert',
    ]);
    expect(
      forgedEventConsequences(forged, [rotation], [page], [{ secretName: 'db', at: at(1), outcome: 'failure' }]),
    ).toEqual([]);
    expect(
      forgedEventConsequences(
        forged,
        [{ ...rotation, secretName: 'other' }],
        [{ ...page, secretNames: ['other'] }],
        [],
      ),
    ).toEqual([]);
    // An event for a healthy secret may page (it is KMS's word), never rotate.
    expect(forgedEventConsequences([{ ...forged[0]!, kind: 'uncorroborated' }], [rotation], [page], [])).toEqual([
      'uncorroborated event for db led to RotateSecret',
    ]);
  });

  it('report a RotateSecret with no rotation failure of that secret before it', () => {
    const call = { at: at(60), secretName: 'db', versionId: 'kro-0123456789-a1', ok: true };
    expect(rotationsWithoutCause([call], [{ secretName: 'db', at: at(0), outcome: 'success' }])).toEqual([
      'RotateSecret db kro-0123456789-a1 with no rotation failure before it',
    ]);
    expect(rotationsWithoutCause([call], [{ secretName: 'db', at: at(0), outcome: 'failure' }])).toEqual([]);
    expect(
      rotationsWithoutCause([call], [{ secretName: 'db', at: at(0) - 8 * 24 * 3_600_000, outcome: 'failure' }]),
    ).toHaveLength(1);
  });

  it('find an adversary value quoted back in hostile text', () => {
    const values = new SecretValues();
    values.addValue('Xk9#mQ2$vL7pRw4!');
    expect(values.findIn('{"lastErrorMessage":"mysql://orders:Xk9#mQ2$vL7pRw4!@rm-bp1:3306/db"}')).toBe(
      'Xk9#mQ2$vL7pRw4!',
    );
    expect(values.findIn('{"lastErrorMessage":"mysql://[REDACTED]@rm-bp1:3306/db"}')).toBeUndefined();
  });
});
