/**
 * EventBridge's envelope times are not strict ISO-8601 (alibaba-cloud-apis.md §4.1): `time` carries
 * the Shanghai offset ("2020-11-19T21:04:41+08:00") and `aliyunpublishtime` a zone name instead of an
 * offset ("2020-11-19T21:04:42.179PRC"). Consumers must parse both; the emulator sends both.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time

function shanghaiParts(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString(); // wall-clock digits, the "Z" is dropped below
}

/** "2020-11-19T21:04:41+08:00" */
export function formatEnvelopeTime(ms: number): string {
  return `${shanghaiParts(ms).slice(0, 19)}+08:00`;
}

/** "2020-11-19T21:04:42.179PRC" */
export function formatPublishTime(ms: number): string {
  return `${shanghaiParts(ms).slice(0, 23)}PRC`;
}

/** "2022-10-22T21:52:00Z": ActionTrail's eventTime and LookupEvents' StartTime/EndTime. */
export function formatUtcSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
