/**
 * Alibaba Cloud writes times in several shapes, often in one event (reference §4.1, §4.3):
 *   20180816T135935.689+0800            CloudMonitor eventTime (compact, numeric offset)
 *   2020-11-19T21:04:42.179PRC          EventBridge aliyunpublishtime (zone NAME, no separator)
 *   2020-08-17T16:04:46.149Asia/Shanghai
 *   2022-10-22T21:52:00Z, 2020-11-19T21:04:41+08:00, 2020-02-21T23:36:07.713703651+08:00 (ISO-ish)
 *   1552199984000                       epoch milliseconds (CloudMonitor accepts it as a time)
 * Date.parse() accepts some of these and silently misreads others, so this is a strict parser.
 */

/** Zone names seen in Alibaba payloads, and the fixed-offset zones a region may report. None of them observes DST today. */
const ZONE_OFFSET_MINUTES: Readonly<Record<string, number>> = {
  z: 0,
  utc: 0,
  gmt: 0,
  'etc/utc': 0,
  prc: 480,
  'asia/shanghai': 480,
  'asia/chongqing': 480,
  'asia/harbin': 480,
  'asia/hong_kong': 480,
  'asia/taipei': 480,
  'asia/singapore': 480,
  'asia/kuala_lumpur': 480,
  'asia/manila': 480,
  'asia/tokyo': 540,
  'asia/seoul': 540,
  'asia/jakarta': 420,
  'asia/bangkok': 420,
  'asia/kolkata': 330,
  'asia/dubai': 240,
};

const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(.*)$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?(.*)$/;
const EPOCH_MS = /^\d{12,14}$/;

/** Epoch milliseconds, or undefined when the text is not a time this parser understands. */
export function parseAlibabaTime(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text > 0 ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 64) return undefined;
  if (EPOCH_MS.test(trimmed)) return Number(trimmed);
  const match = EXTENDED.exec(trimmed) ?? COMPACT.exec(trimmed);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const offset = zoneOffsetMinutes(zone ?? '');
  if (offset === undefined) return undefined;
  return utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? '0'), frac ?? '', offset);
}

function zoneOffsetMinutes(zone: string): number | undefined {
  // Without a zone the time is ambiguous (UTC or Beijing?): refuse rather than guess.
  if (zone === '') return undefined;
  const named = ZONE_OFFSET_MINUTES[zone.toLowerCase()];
  if (named !== undefined) return named;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!numeric) return undefined;
  const hours = Number(numeric[2]);
  const minutes = Number(numeric[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function utcMillis(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string,
  offsetMinutes: number,
): number | undefined {
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}
