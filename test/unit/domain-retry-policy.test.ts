import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, classifyKind, EPISODE_BACKOFF, nextDelay } from '../../shared/domain/retry-policy';

const retry = EPISODE_BACKOFF;

describe('retry classification', () => {
  it.each([
    'Rejected.Throttling',
    'InternalFailure',
    'ServiceUnavailableTemporary',
    'OperationDenied.DBInstanceStatus',
    'IncorrectDBInstanceState',
    'OperationDenied.DBClusterStatus',
  ])('retries %s', (code) => {
    expect(classifyKind(code)).toBe('retryable');
  });

  it.each([
    'InvalidDBInstanceId.NotFound',
    'InvalidAccountName.NotFound',
    'EntityNotExist.User',
    'InvalidInstanceId.NotFound',
    'Forbidden.NoPermission',
    'Forbidden.InDebt',
    'Forbidden.InDebtOverdue',
    'InvalidParameter',
    'Rejected.Unavailable',
    'InvalidDBClusterId.NotFound',
  ])('asks a human for %s', (code) => {
    expect(classifyKind(code)).toBe('needs-human');
  });

  it('treats "being rotated" as waiting, not as a failure, whatever the code', () => {
    expect(classify('Rejected.Unknown', 'Your secret is being rotated, please try again later')).toMatchObject({
      kind: 'retryable',
      wait: true,
    });
  });

  it('treats the FAQ wording "Your secret is being rotated. Try again later." as waiting too', () => {
    expect(classify('Kms:Rejected.RotationInProgress', 'Your secret is being rotated. Try again later.')).toMatchObject(
      { kind: 'retryable', wait: true },
    );
  });

  // Rotation events name failures as `Kms:<Code>` as well as bare (KMS monitoring pages).
  it.each([
    'InvalidInstanceId.NotFound',
    'InvalidDBInstanceId.NotFound',
    'EntityNotExist.User',
    'Forbidden.NoPermission',
    'InternalFailure',
    'Rejected.Throttling',
  ])('classifies Kms:%s exactly like the bare code', (code) => {
    expect(classify(`Kms:${code}`)).toEqual(classify(code));
    expect(classify(`Kms:${code}`).known).toBe(true);
  });

  it('escalates a deleted ECS instance in Kms: form at once (no attempt budget to spend)', () => {
    expect(classify('Kms:InvalidInstanceId.NotFound')).toMatchObject({ kind: 'needs-human', known: true });
    expect(classify('Kms:InvalidInstanceId.NotFound').attemptLimit).toBeUndefined();
  });

  it('retries an unknown code only a little and says so in the runbook', () => {
    const c = classify('Something.New', 'odd');
    expect(c).toMatchObject({ kind: 'retryable', known: false, attemptLimit: 2 });
    expect(c.runbook).toContain('escalates');
  });

  it('names the cause in the runbook of a permanent error', () => {
    expect(classify('InvalidDBInstanceId.NotFound').runbook).toContain('RDS instance');
  });
});

describe('nextDelay', () => {
  it('stays within full-jitter bounds and under the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = nextDelay(attempt, retry, () => r);
        const ceiling = Math.min(retry.maxDelaySeconds, retry.baseDelaySeconds * 2 ** (attempt - 1));
        return d >= 1 && d <= ceiling;
      }),
    );
  });

  it('grows exponentially at the top of the jitter range', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => nextDelay(n, retry, () => 1))).toEqual([120, 240, 480, 960, 1920, 3600]);
  });
});
