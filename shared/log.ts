/**
 * JSON-lines logging (one object per line, SLS-friendly) with structural redaction (DESIGN D6):
 * sensitive keys at any depth, registered secret values inside any string, PEM private keys,
 * and Error objects (message, stack, cause, own fields) all pass through `redact` first.
 */
import { activeClock, type Clock } from './clock';
import type { LogFields, Logger, LogLevel } from './ports/logger';

export const REDACTED = '[REDACTED]';

const SENSITIVE_KEY = /password|secret(data|key)?$|privatekey|token$|^authorization$|^signature$|accesskeysecret|securitytoken/i;
// Pagination cursors end in "Token" but are not credentials.
const NOT_SENSITIVE_KEY = /^(next|continuation|page)token$/i;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// A sensitive key serialised inside a string, e.g. an error message quoting a JSON body.
const QUOTED_SENSITIVE_PAIR = /("[A-Za-z_]*(?:Password|password|SecretData|secretData|AccessKeySecret|accessKeySecret|PrivateKey|privateKey|SecurityToken|securityToken)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key) && !NOT_SENSITIVE_KEY.test(key);
}

// ---- registered values (module-global: probes register what they read) ----

const registered = new Set<string>();
let registeredPattern: RegExp | undefined;

/** Every later log line replaces this value (and its JSON-escaped form, and its long lines) by [REDACTED]. */
export function registerSensitive(value: string): void {
  if (typeof value !== 'string' || value.length < 4) return;
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  // A multi-line value (a private key) may surface one line at a time.
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 16) forms.push(line.trim());
  const before = registered.size;
  for (const form of forms) if (form.length >= 4) registered.add(form);
  if (registered.size === before) return;
  registeredPattern = undefined;
  scrubCache.clear();
}

// Log lines repeat the same strings (names, codes, messages): remember recent results.
const scrubCache = new Map<string, string>();
const SCRUB_CACHE_LIMIT = 5_000;

function scrubString(text: string): string {
  if (text.length < 4) return text;
  const cached = scrubCache.get(text);
  if (cached !== undefined) return cached;
  let out = text;
  if (out.includes('PRIVATE KEY')) out = out.replace(PEM_PRIVATE_KEY, REDACTED);
  if (out.includes('":')) out = out.replace(QUOTED_SENSITIVE_PAIR, `$1"${REDACTED}"`);
  if (registered.size > 0) {
    registeredPattern ??= new RegExp(
      [...registered].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    );
    out = out.replace(registeredPattern, REDACTED);
  }
  if (text.length <= 2_000) {
    if (scrubCache.size >= SCRUB_CACHE_LIMIT) scrubCache.clear();
    scrubCache.set(text, out);
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- structural redaction ----

/** A JSON-safe deep copy with every secret removed; never throws on cycles or BigInt. */
export function redact(value: unknown): unknown {
  return walk(value, new WeakSet(), 0);
}

function walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > 32) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
    if (Array.isArray(value)) return value.map((item) => walk(item, seen, depth + 1));
    if (value instanceof Map) return walkEntries([...value.entries()].map(([k, v]) => [String(k), v]), seen, depth);
    if (value instanceof Set) return [...value].map((item) => walk(item, seen, depth + 1));
    if (value instanceof Error) return walkError(value, seen, depth);
    return walkEntries(Object.entries(value), seen, depth);
  } finally {
    seen.delete(value);
  }
}

function walkEntries(entries: Array<[string, unknown]>, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    if (isSensitiveKey(key)) {
      if (child !== undefined && child !== null && child !== '') out[key] = REDACTED;
      continue;
    }
    const copy = walk(child, seen, depth + 1);
    if (copy !== undefined) out[key] = copy;
  }
  return out;
}

function walkError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: scrubString(String(error.message)) };
  for (const [key, child] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    out[key] = isSensitiveKey(key) ? REDACTED : walk(child, seen, depth + 1);
  }
  if (error.cause !== undefined) out.cause = walk(error.cause, seen, depth + 1);
  if (error.stack) out.stack = scrubString(error.stack);
  return out;
}

// ---- the logger ----

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const LEADING_FIELDS = ['requestId', 'functionName', 'secretName'];

export interface LoggerOptions {
  level?: LogLevel;
  fields?: LogFields;
  writeLine?: (line: string) => void;
  /** Timestamps follow this clock; default the active clock (simulated in the local runtime). */
  clock?: Clock;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const writeLine = options.writeLine ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const base = options.fields ?? {};

  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVEL_ORDER[level] < threshold) return;
    writeLine(formatLine(level, message, { ...base, ...fields }, options.clock ?? activeClock()));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function formatLine(level: LogLevel, message: string, fields: LogFields, clock: Clock): string {
  try {
    const safe = redact(fields) as Record<string, unknown>;
    const record: Record<string, unknown> = { time: isoTime(clock), level, msg: scrubString(String(message)) };
    for (const key of LEADING_FIELDS) if (safe[key] !== undefined) record[key] = safe[key];
    for (const [key, value] of Object.entries(safe)) if (!(key in record)) record[key] = value;
    return JSON.stringify(record);
  } catch (error) {
    // A log call must never take the invocation down.
    return JSON.stringify({ time: new Date().toISOString(), level, msg: scrubString(String(message)), logError: String(error) });
  }
}

function isoTime(clock: Clock): string {
  const ms = clock.now();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : new Date().toISOString();
}
