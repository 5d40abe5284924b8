import { describe, expect, it } from 'vitest';
import { ALERTS } from '../../shared/domain/alert-catalog';
import {
  CHECK_IDS,
  CHECKS,
  checkOfTagCode,
  groupsByCause,
  isFailureCheck,
  SAMPLED_CHECKS,
  severityOfCheck,
  type CheckId,
} from '../../shared/domain/check-catalog';

describe('the check catalog', () => {
  it('pins every check to the tag code stored tags use (changing or reusing one corrupts stored state)', () => {
    const codes = Object.fromEntries(CHECK_IDS.map((id) => [id, CHECKS[id].tagCode]));
    expect(codes).toEqual({
      'rotation-failed': 'a',
      'rotation-overdue': 'b',
      'rotation-disabled': 'c',
      'interval-out-of-policy': 'd',
      'single-user-rds': 'e',
      'generic-stale': 'f',
      'deletion-scheduled': 'g',
      'verification-failed': 'h',
      'stuck-in-progress': 'i',
      'rotation-at-risk': 'j',
      'secret-policy-broad': 'k',
    });
  });

  it('gives each check its own single-letter code and reads it back', () => {
    const codes = CHECK_IDS.map((id) => CHECKS[id].tagCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const id of CHECK_IDS) {
      expect(CHECKS[id].tagCode).toMatch(/^[a-z]$/);
      expect(checkOfTagCode(CHECKS[id].tagCode)).toBe(id);
    }
    expect(checkOfTagCode('z')).toBeUndefined();
    expect(checkOfTagCode('toString')).toBeUndefined();
  });

  it('keeps the severities of DESIGN §4 and marks the rotation failures', () => {
    const critical = CHECK_IDS.filter((id) => CHECKS[id].severity === 'critical');
    expect(critical.sort()).toEqual([
      'rotation-failed',
      'rotation-overdue',
      'stuck-in-progress',
      'verification-failed',
    ]);
    expect(CHECK_IDS.filter((id) => isFailureCheck(id)).sort()).toEqual(critical);
    expect(severityOfCheck('rotation-failed')).toBe('critical');
    expect(severityOfCheck('no-such-check')).toBe('warning');
    expect(severityOfCheck('constructor')).toBe('warning');
  });

  it('opens every check with a known alert and gives it a runbook', () => {
    const open: Record<CheckId, string> = Object.fromEntries(
      CHECK_IDS.map((id) => [id, CHECKS[id].openAlert]),
    ) as Record<CheckId, string>;
    for (const id of CHECK_IDS) {
      expect(Object.keys(ALERTS)).toContain(open[id]);
      expect(CHECKS[id].runbook.length).toBeGreaterThan(20);
    }
    expect(open['deletion-scheduled']).toBe('KmsSecretDeletionScheduled');
    expect(open['verification-failed']).toBe('KmsCredentialVerificationFailed');
    expect(open['stuck-in-progress']).toBe('KmsRotationFailed');
    expect(open['rotation-at-risk']).toBe('KmsRotationAtRisk');
    expect(open['secret-policy-broad']).toBe('KmsSecretPolicyBroad');
  });

  it('samples the readiness checks and groups a storm of rotations at risk by cause', () => {
    expect([...SAMPLED_CHECKS].sort()).toEqual(['rotation-at-risk', 'secret-policy-broad']);
    expect(CHECK_IDS.filter((id) => groupsByCause(id)).sort()).toEqual([
      'rotation-at-risk',
      'rotation-failed',
      'rotation-overdue',
      'stuck-in-progress',
      'verification-failed',
    ]);
  });
});
