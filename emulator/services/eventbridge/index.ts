export { createEventBus } from './bus';
export type { EventBusDeps } from './bus';
export { matchesPattern, validatePattern, PatternError } from './pattern';
export { formatEnvelopeTime, formatPublishTime, formatUtcSeconds } from './time-format';
