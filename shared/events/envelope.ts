/** What every KMS event shares, whichever way it was delivered (CloudEvents envelope or RawData). */
import { parseAlibabaTime } from './alibaba-time';
import { malformed, quote } from './event-fields';

export interface Envelope {
  id: string;
  source: string;
  type: string;
  accountId?: string;
  regionId?: string;
  /** Envelope times, least preferred last: `time`, then `aliyunpublishtime`. */
  times: TimeCandidate[];
  /** Accounts the envelope names (aliyunaccountid, subject). */
  claims: AccountClaim[];
  data: unknown;
}

/** A time field by its path in the event, and its raw value (undefined when absent). */
export type TimeCandidate = [path: string, raw: unknown];

/** Who says which account an event belongs to; each claim is checked against the deployment's account. */
export interface AccountClaim {
  path: string;
  accountId: string;
}

/** The first readable time, in order of preference; malformed only when none can be read. */
export function pickTime(candidates: TimeCandidate[]): number {
  const present = candidates.filter(([, raw]) => raw !== undefined && raw !== null && raw !== '');
  for (const [, raw] of present) {
    const at = parseAlibabaTime(raw);
    if (at !== undefined) return at;
  }
  if (present.length === 0)
    throw malformed(`no time: none of ${candidates.map(([path]) => path).join(', ')} is present`);
  const shown = present.map(([path, raw]) => `${path} = ${typeof raw === 'string' ? quote(raw, 40) : typeof raw}`);
  throw malformed(`unreadable time: ${shown.join('; ')}`);
}
