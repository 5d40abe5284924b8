/** FC timer trigger events: `{"triggerTime":"2023-12-26T07:49:00Z","triggerName":"timer-trigger","payload":"..."}` (reference §6.2). */
import type { TimerEvent } from '../domain/event-types';
import { parseAlibabaTime } from './alibaba-time';
import { type JsonObject, describe, malformed, quote, stringField } from './event-fields';

export function looksLikeTimer(value: JsonObject): boolean {
  return 'triggerTime' in value && 'triggerName' in value;
}

export function parseTimer(value: JsonObject): TimerEvent {
  const triggerName = stringField(value, 'triggerName');
  if (!triggerName) throw malformed(`triggerName must be a non-empty string, got ${describe(value.triggerName)}`);
  const triggerTime = parseAlibabaTime(value.triggerTime);
  if (triggerTime === undefined) {
    const raw = value.triggerTime;
    throw malformed(`triggerTime is not a time: ${typeof raw === 'string' ? quote(raw, 40) : describe(raw)}`);
  }
  const event: TimerEvent = { kind: 'timer', triggerName, triggerTime };
  // The payload is the configured string; a console-edited trigger may hold JSON, kept as text.
  if (typeof value.payload === 'string') event.payload = value.payload;
  else if (value.payload !== undefined && value.payload !== null) event.payload = JSON.stringify(value.payload);
  return event;
}
