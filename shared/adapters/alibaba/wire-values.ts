/**
 * The value forms the Alibaba APIs really return, parsed into plain data (zod preprocessors).
 * zod/mini, not zod: the same validation at a tenth of the load time on a cold start (issue 15).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini ships without messages; the English ones keep InvalidResponse details readable.
z.config(en());

/** A transform's failure: zod/mini's context is the parse payload, its issues a plain list. */
export function addIssue(ctx: { issues: z.core.$ZodRawIssue[] }, message: string, input: unknown): void {
  ctx.issues.push({ code: 'custom', message, input });
}

/** `2022-02-21T15:39:26Z`, `2020-02-21T23:36:07.713703651+08:00`, epoch ms -> epoch ms. */
export function parseWireDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d{10,13}$/.test(text)) return Number(text.length === 10 ? `${text}000` : text);
  // CloudMonitor's compact form: 20171013T170923.456+0800.
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (compact) {
    const [, y, mo, d, h, mi, sec, frac = '', zone = 'Z'] = compact;
    const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${offset}`);
  }
  // V8 parses at most millisecond precision; nanoseconds (the 2021 DeleteSecret sample) are cut.
  const normalised = text.replace(/(\.\d{3})\d+/, '$1').replace(/ /, 'T');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `604800s` (always seconds in DescribeSecret), tolerating `7d`, `12h`, `30m` and plain numbers. */
export function parseWireInterval(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const match = /^(\d+)\s*([dhms]?)$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = { d: 86_400, h: 3_600, m: 60, s: 1 }[(match[2] || 's').toLowerCase() as 'd' | 'h' | 'm' | 's'];
  return Number(match[1]) * unit;
}

export const wireDate = z.pipe(
  z.optional(z.unknown()),
  z.transform((value, ctx) => {
    if (value === undefined || value === null || value === '') return undefined;
    const ms = parseWireDate(value);
    if (ms === undefined) {
      addIssue(ctx, 'is not a date', value);
      return z.NEVER;
    }
    return ms;
  }),
);

export const wireInterval = z.pipe(
  z.optional(z.unknown()),
  z.transform((value, ctx) => {
    if (value === undefined || value === null || value === '') return undefined;
    const seconds = parseWireInterval(value);
    if (seconds === undefined) {
      addIssue(ctx, 'is not an interval such as 604800s', value);
      return z.NEVER;
    }
    return seconds;
  }),
);

/** ExtendedConfig arrives as a JSON string; absent or invalid -> {}. */
export const wireJsonObject = z.pipe(
  z.optional(z.unknown()),
  z.transform((value): Record<string, unknown> => {
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        return {};
      }
    }
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  }),
);

const tagEntry = z.object({ TagKey: z.string(), TagValue: z.optional(z.unknown()) });

/** `{"Tag":[{"TagKey","TagValue"}]}` (or the bare array) -> a plain map. */
export const wireTags = z.pipe(
  z.optional(z.unknown()),
  z.transform((value, ctx): Record<string, string> => {
    if (value === undefined || value === null || value === '') return {};
    const list = Array.isArray(value) ? value : (value as { Tag?: unknown }).Tag;
    if (list === undefined) return {};
    const parsed = z.array(tagEntry).safeParse(list);
    if (!parsed.success) {
      addIssue(ctx, 'is not a Tags envelope {Tag:[{TagKey,TagValue}]}', value);
      return z.NEVER;
    }
    return Object.fromEntries(
      parsed.data.map((t) => [t.TagKey, t.TagValue === undefined || t.TagValue === null ? '' : String(t.TagValue)]),
    );
  }),
);

/** `{"VersionStage":["ACSCurrent"]}` (or the bare array) -> a list. */
export const wireStages = z.pipe(
  z.optional(z.unknown()),
  z.transform((value): string[] => {
    const list = Array.isArray(value) ? value : (value as { VersionStage?: unknown } | undefined)?.VersionStage;
    if (Array.isArray(list)) return list.map(String);
    return typeof list === 'string' ? [list] : [];
  }),
);

/** Service text fields may come as numbers; keep them text. */
export const wireText = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
export const optionalText = z.pipe(
  z.optional(z.union([z.string(), z.number(), z.null()])),
  z.transform((v) => (v === null || v === undefined || v === '' ? undefined : String(v))),
);
export const wireCount = z.pipe(z.union([z.number(), z.string().check(z.regex(/^\d+$/))]), z.transform(Number));

/** `yyyy-MM-ddTHH:mm:ssZ` (UTC, no milliseconds), as ActionTrail wants its times. */
export function formatUtcSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
