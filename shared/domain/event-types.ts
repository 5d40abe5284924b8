/**
 * Trigger inputs after parsing (shared/events/parse-event.ts): what the core sees instead of raw
 * JSON. EventBridge CloudEvents from KMS (rotation results via CloudMonitor, API calls via
 * ActionTrail) and FC timer events.
 */
export type ApiCallName =
  | 'RotateSecret'
  | 'UpdateSecretRotationPolicy'
  | 'DeleteSecret'
  | 'RestoreSecret'
  | 'PutSecretValue'
  | 'UpdateSecretVersionStage'
  | 'CreateSecret';

interface CloudEventMeta {
  /** De-duplication key: `${source}/${id}`. */
  dedupeKey: string;
  id: string;
  source: string;
  accountId?: string;
  regionId?: string;
  /** Epoch ms, from whichever time field the payload carries. */
  at: number;
}

export interface RotationResultEvent extends CloudEventMeta {
  kind: 'rotation-result';
  outcome: 'success' | 'failure';
  secretName: string;
  secretType?: string;
  subType?: string; // rotationSubType (failure) or secretSubType (success)
  /** RotationEntityArn, e.g. acs:rds:cn-hangzhou:123:dbinstance/rm-x */
  target?: string;
  errorCode?: string;
  errorMessage?: string;
  rotationStatus?: string; // "Invalid" on failure, "Enabled" on success
}

export interface ApiCallEvent extends CloudEventMeta {
  kind: 'api-call';
  eventName: ApiCallName;
  secretName: string;
  /** A present errorCode means the call failed. */
  failed: boolean;
  errorCode?: string;
  errorMessage?: string;
  versionId?: string;
  /** The stages the call gave `versionId` (PutSecretValue), when the record says; absent = not said. */
  versionStages?: string[];
  /** userIdentity.accessKeyId / principalId, to recognise the orchestrator's own calls. */
  principalId?: string;
  accessKeyId?: string;
}

export interface TimerEvent {
  kind: 'timer';
  triggerName: string;
  triggerTime: number;
  payload?: string;
}

export type OrchestratorEvent = RotationResultEvent | ApiCallEvent | TimerEvent;

export type ParseResult =
  | { ok: true; event: OrchestratorEvent }
  | {
      ok: false;
      reason: 'malformed' | 'foreign-account' | 'foreign-region' | 'future-dated' | 'unknown-type' | 'irrelevant';
      detail: string;
    };
