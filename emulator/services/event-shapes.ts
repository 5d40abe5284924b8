/**
 * The published shapes of the events the emulator emits. Each is a form a documentation page shows;
 * where the pages show more than one form of the same field and no page says which the live service
 * sends, the choice is a switch (UNCONFIRMED). Defaults: every form a page shows as THE form is on;
 * a form that is one of two samples stays switchable. The product must parse all of them, in any
 * mix (test/fixtures/events/, test/emulator/event-shapes.test.ts).
 */
export interface EventShapes {
  /**
   * ECS rotation events name the secret's ARN in `RotationEntityArn`, not the instance's
   * (AlibabaCloudDocs/kms "Monitor the rotation of dynamic ECS secrets", both samples). On.
   */
  ecsEntityIsSecret: boolean;
  /**
   * RDS rotation events' `resourceId` starts with a space (AlibabaCloudDocs/kms "Monitor the
   * rotation of dynamic RDS secrets", English and Chinese samples). On.
   */
  rdsResourceIdLeadingSpace: boolean;
  /** Success events carry no `eventTime` (every published success sample). On. */
  successWithoutEventTime: boolean;
  /**
   * failureInfo.errorCode as `Kms:<Code>` (the samples show `Kms:ErrorCode`) rather than the bare
   * code. UNCONFIRMED which the live service sends: off, so alerts quote the bare code.
   */
  kmsCodePrefix: boolean;
  /** ActionTrail `eventVersion` as the number 1 (EventBridge "ActionTrail events" sample) rather than "1". On. */
  eventVersionNumber: boolean;
  /**
   * How an ActionTrail record delivered through EventBridge carries the call's parameters:
   * `object` (requestParameters, the ActionTrail event structure page), `json` (requestParameterJson,
   * a JSON string: the newer field of the same page), `referenced-only` (no parameters, no response; the
   * resource only in referencedResources: the EventBridge "ActionTrail events" sample). UNCONFIRMED which
   * EventBridge delivers: `object` by default. LookupEvents always returns requestParameters.
   */
  actionTrailParameters: 'object' | 'json' | 'referenced-only';
}

export const DEFAULT_EVENT_SHAPES: Readonly<EventShapes> = {
  ecsEntityIsSecret: true,
  rdsResourceIdLeadingSpace: true,
  successWithoutEventTime: true,
  kmsCodePrefix: false,
  eventVersionNumber: true,
  actionTrailParameters: 'object',
};

export function eventShapes(overrides: Partial<EventShapes> = {}): EventShapes {
  return { ...DEFAULT_EVENT_SHAPES, ...overrides };
}
