/**
 * When rotations started, from ActionTrail: one paged LookupEvents per sweep for RotateSecret
 * calls (never one call per secret: LookupEvents has no published quota and the docs ask callers
 * not to call it often). KMS's own scheduled rotations leave no API call; rotation-overdue covers them.
 */
import { secretNameFromArn } from '../events/arn';
import type { CoreDeps } from './deps';

const MAX_EVENTS = 2000;

export async function lookupRotationStarts(deps: CoreDeps, sinceMs: number): Promise<Map<string, number>> {
  const starts = new Map<string, number>();
  const now = deps.clock.now();
  let seen = 0;
  try {
    const events = deps.clients.actiontrail.lookupEvents({
      attributes: [{ key: 'EventName', value: 'RotateSecret' }],
      startTime: now - sinceMs,
      endTime: now,
      maxResults: 50,
    });
    for await (const event of events) {
      if (++seen > MAX_EVENTS) break;
      if (event.errorCode) continue;
      const raw = event.requestParameters['SecretName'];
      if (typeof raw !== 'string' || !raw) continue;
      const name = secretNameFromArn(raw);
      if ((starts.get(name) ?? 0) < event.eventTime) starts.set(name, event.eventTime);
    }
  } catch (error) {
    deps.logger.warn('ActionTrail lookup failed: rotation starts unknown this sweep', { error });
  }
  return starts;
}
