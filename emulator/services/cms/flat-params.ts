/**
 * RPC/ACS3 clients flatten lists 1-based into the query (alibaba-cloud-apis.md §1.2):
 * `EventInfo.1.EventName=..`, `ContactNames.1=..`, maps as `Channels.Mail=..`. These read them back.
 */
import { ApiError } from '../../types';

/** `Prefix.N.Field` entries, in index order: [{Field: value}, ...]. */
export function listOfObjects(params: Record<string, string>, prefix: string): Array<Record<string, string>> {
  const byIndex = new Map<number, Record<string, string>>();
  const re = new RegExp(`^${prefix}\\.(\\d+)\\.(.+)$`);
  for (const [name, value] of Object.entries(params)) {
    const m = re.exec(name);
    if (!m) continue;
    const n = Number(m[1]);
    const entry = byIndex.get(n) ?? {};
    entry[m[2] as string] = value;
    byIndex.set(n, entry);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}

/** `Prefix.N` entries in index order; also accepts one plain `Prefix` value or a JSON array. */
export function listOfStrings(params: Record<string, string>, prefix: string): string[] {
  const re = new RegExp(`^${prefix}\\.(\\d+)$`);
  const found = Object.entries(params)
    .map(([name, value]) => [re.exec(name), value] as const)
    .filter(([m]) => m !== null)
    .sort(([a], [b]) => Number(a![1]) - Number(b![1]))
    .map(([, v]) => v);
  if (found.length > 0) return found;
  const plain = params[prefix];
  if (plain === undefined || plain === '') return [];
  if (plain.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(plain);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: a single name
    }
  }
  return plain
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `Prefix.Field` entries as a map. */
export function mapOf(params: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params))
    if (name.startsWith(`${prefix}.`)) out[name.slice(prefix.length + 1)] = value;
  return out;
}

export function missing(name: string): ApiError {
  return new ApiError(400, 'MissingParameter', `The parameter "${name}" is needed but not provided.`);
}

export function invalid(message: string): ApiError {
  return new ApiError(400, 'InvalidParameter', message);
}

export function required(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw missing(name);
  return v;
}

/** Page numbers and sizes: integers in range, with a default. */
export function intParam(params: Record<string, string>, name: string, def: number, min: number, max: number): number {
  const text = params[name];
  if (text === undefined || text === '') return def;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw invalid(`The parameter ${name} "${text}" must be an integer from ${min} to ${max}.`);
  return n;
}

/** CloudMonitor times: epoch ms ("1552199984000") or "20171013T170923.456+0800". */
export function parseCmsTime(text: string, name: string): number {
  if (/^\d{10,13}$/.test(text)) return text.length === 13 ? Number(text) : Number(text) * 1000;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?([+-]\d{4}|Z)$/.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, ms = '0', zone = 'Z'] = m;
    const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}${offset}`);
    if (!Number.isNaN(t)) return t;
  }
  throw invalid(`The parameter ${name} "${text}" is not a time: use epoch milliseconds or yyyyMMddTHHmmss.SSS+0800.`);
}

/** "20171013T170923.456+0800": CloudMonitor's own time format, in China time. */
export function formatCmsTime(ms: number): string {
  const iso = new Date(ms + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 23)}+0800`;
}
