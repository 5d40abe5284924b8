import { describe, expect, it } from 'vitest';
import { evaluate } from '../../shared/domain/checks';
import {
  isOwnFunctionArn,
  isStaleFailure,
  rotationCorroborated,
  type RotationRequest,
} from '../../shared/domain/corroboration';
import { policyFor } from '../../shared/domain/policy';
import type { ObservedSecret } from '../../shared/domain/types';
import type { SecretDescription } from '../../shared/ports/kms';
import { testConfig } from '../helpers/config';
import { T0, aSecret as aSecretDescription } from '../helpers/fakes';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 2);

/** A healthy managed secret: rotated a day ago, next due in six days. */
const request = (
  tweak: Partial<RotationRequest> & { state?: Partial<RotationRequest['state']> } = {},
): RotationRequest => ({
  checkId: 'rotation-failed',
  now: NOW,
  completionGraceMs: HOUR,
  ...tweak,
  state: { automaticRotation: 'Enabled', lastRotationDate: NOW - DAY, nextRotationDate: NOW + 6 * DAY, ...tweak.state },
});

describe('isStaleFailure', () => {
  it('calls a failure at or before the last successful rotation stale', () => {
    expect(isStaleFailure(NOW - 2 * DAY, NOW - DAY)).toMatchObject({
      ok: true,
      reason: expect.stringContaining('not after the last successful rotation'),
    });
    expect(isStaleFailure(NOW - DAY, NOW - DAY).ok).toBe(true);
  });

  it('keeps a failure after the last rotation, or on a secret that never rotated', () => {
    expect(isStaleFailure(NOW, NOW - DAY).ok).toBe(false);
    expect(isStaleFailure(NOW, undefined)).toEqual({ ok: false, reason: 'the secret has never rotated' });
  });
});

describe('rotationCorroborated', () => {
  it('refuses a rotation-failed episode when DescribeSecret shows a healthy rotation, and says so', () => {
    const verdict = rotationCorroborated(request());
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(
      /healthy rotation \(AutomaticRotation Enabled, last rotated 2026-03-01.*not corroborated/,
    );
  });

  it('allows it when DescribeSecret shows AutomaticRotation Invalid', () => {
    expect(rotationCorroborated(request({ state: { automaticRotation: 'Invalid' } }))).toEqual({
      ok: true,
      reason: 'DescribeSecret shows AutomaticRotation Invalid',
    });
  });

  it('allows it when the due date passed (beyond the completion grace) and LastRotationDate did not move', () => {
    const overdue = { lastRotationDate: NOW - 8 * DAY, nextRotationDate: NOW - 2 * HOUR };
    expect(rotationCorroborated(request({ checkId: 'rotation-overdue', state: overdue })).ok).toBe(true);
    expect(rotationCorroborated(request({ state: overdue })).ok).toBe(true);
    // Still inside the time a scheduled rotation may take: not yet.
    expect(rotationCorroborated(request({ state: { ...overdue, nextRotationDate: NOW - HOUR / 2 } })).ok).toBe(false);
    // The due date passed but the rotation happened.
    expect(
      rotationCorroborated(request({ state: { lastRotationDate: NOW - HOUR, nextRotationDate: NOW - 2 * HOUR } })).ok,
    ).toBe(false);
  });

  it('takes our own failing probe as corroboration of a verification failure', () => {
    expect(rotationCorroborated(request({ checkId: 'verification-failed' })).ok).toBe(true);
  });

  it('never rotates for a check that does not call for it', () => {
    expect(
      rotationCorroborated(request({ checkId: 'single-user-rds', state: { automaticRotation: 'Invalid' } })),
    ).toEqual({ ok: false, reason: 'single-user-rds does not call for a rotation' });
  });
});

describe('isOwnFunctionArn', () => {
  const own = {
    regionId: 'cn-hangzhou',
    accountId: '1234567890123456',
    names: ['kro-sweep', 'kro-on-event', 'kro-remediate'],
  };

  it('accepts the orchestrator own functions, in the FC 3.0 and FC 2.0 forms', () => {
    expect(isOwnFunctionArn('acs:fc:cn-hangzhou:1234567890123456:functions/kro-remediate', own).ok).toBe(true);
    expect(isOwnFunctionArn('acs:fc:cn-hangzhou:1234567890123456:functions/kro-sweep:LATEST', own).ok).toBe(true);
    expect(
      isOwnFunctionArn('acs:fc:cn-hangzhou:1234567890123456:services/kro.LATEST/functions/kro-remediate', own).ok,
    ).toBe(true);
  });

  it('refuses another function, account or region, and anything that is not a function ARN', () => {
    expect(isOwnFunctionArn('acs:fc:cn-hangzhou:1234567890123456:functions/someone-else', own).reason).toMatch(
      /not one of the orchestrator's functions/,
    );
    expect(isOwnFunctionArn('acs:fc:cn-hangzhou:9999999999999999:functions/kro-remediate', own).reason).toMatch(
      /account 9999999999999999/,
    );
    expect(isOwnFunctionArn('acs:fc:cn-shanghai:1234567890123456:functions/kro-remediate', own).reason).toMatch(
      /region cn-shanghai/,
    );
    expect(isOwnFunctionArn('kro-remediate', own).ok).toBe(false);
    expect(isOwnFunctionArn('acs:fc:cn-hangzhou:1234567890123456:functions/kro-remediate/../x', own).ok).toBe(false);
  });

  it('checks no account when the deployment does not know its own', () => {
    expect(isOwnFunctionArn('acs:fc:cn-hangzhou:42:functions/kro-remediate', { ...own, accountId: undefined }).ok).toBe(
      true,
    );
  });
});

describe('the rotation-failed check', () => {
  const config = testConfig();
  const check = (description: SecretDescription, lastFailure?: ObservedSecret['lastFailure']) =>
    evaluate({ description, observedAt: T0, lastFailure }, policyFor(description, config).policy, config, T0);

  it('pages on a failure event for a healthy secret, but does not ask for a rotation, and says why', () => {
    const [f] = check(aSecretDescription(), { errorCode: 'InternalFailure', at: T0 - 60_000 });
    expect(f).toMatchObject({ checkId: 'rotation-failed', severity: 'critical', remediable: false });
    expect(f?.evidence.notRetried).toMatch(/^DescribeSecret shows a healthy rotation/);
  });

  it('asks for a rotation when DescribeSecret shows AutomaticRotation Invalid', () => {
    const [f] = check(aSecretDescription({ automaticRotation: 'Invalid' }), {
      errorCode: 'InternalFailure',
      at: T0 - 60_000,
    });
    expect(f).toMatchObject({ checkId: 'rotation-failed', remediable: true });
    expect(f?.evidence.notRetried).toBeUndefined();
  });
});
