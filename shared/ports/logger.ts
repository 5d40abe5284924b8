/** Structured logging. Implemented by shared/log.ts (JSON lines, structural redaction). */
export type { LogLevel } from '../domain/config-types';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry these fields (requestId, functionName, secretName...). */
  child(fields: LogFields): Logger;
}
