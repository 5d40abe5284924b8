/** Parsed events for the core's tests: what shared/events hands on-event after validation. */
import type { ParseResult, RotationResultEvent } from '../../shared/domain/event-types';
import { T0 } from './fakes';

/** A rotation result from KMS for `secretName` (an RDS secret), a failure unless told otherwise. */
export function rotationResult(
  id: string,
  options: { secretName?: string; outcome?: 'success' | 'failure'; at?: number } & Partial<RotationResultEvent> = {},
): ParseResult {
  const { secretName = 'rds/orders', outcome = 'failure', at = T0, ...rest } = options;
  return {
    ok: true,
    event: {
      kind: 'rotation-result',
      outcome,
      dedupeKey: `acs.kms/${id}`,
      id,
      source: 'acs.kms',
      at,
      secretName,
      secretType: 'Rds',
      ...(outcome === 'failure' ? { errorCode: 'InternalFailure', rotationStatus: 'Invalid' } : {}),
      ...rest,
    } as RotationResultEvent,
  };
}
