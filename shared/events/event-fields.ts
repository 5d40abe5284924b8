/**
 * Reading untrusted JSON without trusting it: every reader returns undefined for a wrong shape,
 * and `EventRejection` carries a specific reason up to parseEvents, which turns it into a result.
 * Values quoted in a detail are cut short: an event may carry anything, and a detail is logged.
 */
import type { ParseResult } from '../domain/event-types';

export type JsonObject = Record<string, unknown>;
export type RejectionReason = Extract<ParseResult, { ok: false }>['reason'];

export class EventRejection extends Error {
  override readonly name = 'EventRejection';
  constructor(
    readonly reason: RejectionReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export function malformed(detail: string): EventRejection {
  return new EventRejection('malformed', detail);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object field; a JSON string holding an object is accepted too (some deliveries double-encode). */
export function objectField(parent: JsonObject, key: string): JsonObject | undefined {
  const value = parent[key];
  if (isObject(value)) return value;
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return isObject(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A non-empty string field (numbers are accepted as their decimal text: account ids arrive both ways). */
export function stringField(parent: JsonObject | undefined, key: string): string | undefined {
  const value = parent?.[key];
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A field that must be a non-empty string when present; present with another shape is malformed. */
export function optionalString(parent: JsonObject, key: string, path: string): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  const text = stringField(parent, key);
  if (text === undefined) throw malformed(`${path} must be a non-empty string, got ${describe(value)}`);
  return text;
}

/** A short, safe description of a value for a detail message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : quote(value);
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

export function quote(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
