/**
 * JSON-lines logging (one object per line, SLS-friendly). Every record passes through the one
 * redactor (domain/redact.ts) first: sensitive keys at any depth, registered secret values, URL
 * user info, labelled credentials, PEM blocks and high-entropy tokens inside any string, and Error
 * objects (message, stack, cause, own fields).
 */
import { activeClock, type Clock } from './clock';
import { redactText, redactValue } from './domain/redact';
import type { LogFields, Logger, LogLevel } from './ports/logger';

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
    const safe = redactValue(fields) as Record<string, unknown>;
    const record: Record<string, unknown> = { time: isoTime(clock), level, msg: redactText(String(message)) };
    for (const key of LEADING_FIELDS) if (safe[key] !== undefined) record[key] = safe[key];
    for (const [key, value] of Object.entries(safe)) if (!(key in record)) record[key] = value;
    return JSON.stringify(record);
  } catch (error) {
    // A log call must never take the invocation down.
    return JSON.stringify({
      time: new Date().toISOString(),
      level,
      msg: redactText(String(message)),
      logError: redactText(String(error)),
    });
  }
}

function isoTime(clock: Clock): string {
  const ms = clock.now();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : new Date().toISOString();
}
