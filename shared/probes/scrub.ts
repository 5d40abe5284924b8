/**
 * A reason may be built from a driver's error, and some drivers quote what they were given. Every
 * form a sensitive value can take in such text (raw, JSON-escaped, URL-encoded) is replaced before
 * the reason leaves the probe.
 */
export const SCRUBBED = '[REDACTED]';

export function scrubReason(reason: string, sensitive: ReadonlyArray<string | undefined>): string {
  let out = reason;
  for (const value of sensitive) {
    if (!value || value.length < 3) continue;
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
    for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(SCRUBBED);
  }
  return out;
}
