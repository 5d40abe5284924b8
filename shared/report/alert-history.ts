/**
 * The audit's alert log: the orchestrator's own CloudMonitor custom events of the last days, read
 * back with DescribeCustomEventAttribute (a read; alibaba-cloud-apis.md §5.1). What people
 * received is not readable through that API (it depends on the alarm rules), so the log says
 * "sent". When the call is denied or fails, the report says so instead of showing an empty log.
 */
import { ALERT_NAMES } from '../domain/alert-catalog';
import { CloudError } from '../errors';
import type { MonitorPort } from '../ports/alerts';
import { entryFromEvent } from './alert-log';
import type { AlertLog } from './types';

/** How far back the audit looks for alerts (an operator reading a report asks "this month"). */
export const ALERT_LOOKBACK_DAYS = 30;
/**
 * Every alert's content names its secret under the key `secretName` (shared/domain/alerts.ts,
 * grouped alerts per item), so this keyword matches each of them and nothing else's events.
 */
const ALERT_KEYWORD = 'secretName';

export async function readAlertLog(
  monitor: Pick<MonitorPort, 'findCustomEvents'>,
  now: number,
  lookbackDays = ALERT_LOOKBACK_DAYS,
): Promise<AlertLog> {
  const source = `CloudMonitor custom events of the last ${lookbackDays} days (DescribeCustomEventAttribute)`;
  const startTime = now - lookbackDays * 86_400_000;
  try {
    const entries = [];
    for (const name of ALERT_NAMES) {
      const found = await monitor.findCustomEvents({ name, keyword: ALERT_KEYWORD, startTime, endTime: now });
      entries.push(...found.map((e) => entryFromEvent(e, now)));
    }
    return { source, available: true, entries };
  } catch (error) {
    // The code only: an error message may quote what was sent.
    const reason =
      error instanceof CloudError
        ? `DescribeCustomEventAttribute failed: ${error.code}`
        : 'DescribeCustomEventAttribute failed';
    return { source, available: false, unavailableReason: reason, entries: [] };
  }
}
