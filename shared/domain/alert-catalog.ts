/**
 * The fixed set of CloudMonitor custom event names the orchestrator sends, with their levels.
 * `kro bootstrap` creates one custom-event alarm rule per name; the README documents each.
 */
export type AlertLevel = 'CRITICAL' | 'WARN' | 'INFO';

export const ALERTS = {
  KmsRotationFailed: { level: 'CRITICAL', title: 'Secret rotation failed, overdue or stuck' },
  KmsRotationEscalated: { level: 'CRITICAL', title: 'Retries exhausted or a human is needed' },
  KmsRotationFailureGroup: { level: 'CRITICAL', title: 'Many secrets failing for one cause (grouped)' },
  KmsCredentialVerificationFailed: { level: 'CRITICAL', title: 'The current credential does not work' },
  KmsRotationPolicyViolation: { level: 'WARN', title: 'Rotation settings outside policy' },
  KmsSecretDeletionScheduled: { level: 'WARN', title: 'Secret scheduled for deletion' },
  KmsRotationAtRisk: { level: 'WARN', title: 'The next rotation will fail unless its cause is fixed' },
  KmsSecretPolicyBroad: { level: 'WARN', title: 'A secret policy lets anyone or another account read the value' },
  KmsAlertReminder: { level: 'WARN', title: 'A problem is still open (slow reminder)' },
  KmsRotationRecovered: { level: 'INFO', title: 'The secret is healthy again' },
  KmsOrchestratorDegraded: {
    level: 'CRITICAL',
    title: 'The orchestrator cannot assess some secrets, or one of its functions keeps failing',
  },
  KmsOrchestratorRecovered: { level: 'INFO', title: 'The orchestrator assesses every secret again' },
} as const satisfies Record<string, { level: AlertLevel; title: string }>;

export type AlertName = keyof typeof ALERTS;
export const ALERT_NAMES = Object.keys(ALERTS) as AlertName[];
