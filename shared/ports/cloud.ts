/** The other products, as narrow ports, and the one factory the handlers and the CLI use. */
import type { KmsPort } from './kms';
import type { MonitorPort } from './alerts';
import type { InvokerPort } from './scheduler';

export interface ActionTrailEvent {
  eventId: string;
  eventName: string;
  eventTime: number; // epoch ms
  acsRegion?: string;
  serviceName?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown>;
  userIdentity?: Record<string, unknown>;
  /** The record as received, for anything not modelled above. */
  raw: Record<string, unknown>;
}

export interface ActionTrailPort {
  lookupEvents(query: {
    attributes?: Array<{ key: string; value: string }>;
    startTime?: number;
    endTime?: number;
    maxResults?: number;
  }): AsyncIterable<ActionTrailEvent>;
}

export interface CallerIdentity {
  accountId: string;
  userId?: string;
  arn?: string;
  identityType?: string;
  principalId?: string;
}

export interface StsPort {
  getCallerIdentity(credentials?: {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
  }): Promise<CallerIdentity>;
}

export interface CloudClients {
  kms: KmsPort;
  monitor: MonitorPort; // CloudMonitor's SDK loads on first call
  invoker: InvokerPort;
  actiontrail: ActionTrailPort;
  sts: StsPort;
  /** Calls answered with a throttling code so far (for the throttled-calls metric). */
  stats(): { calls: number; throttled: number; retries: number };
}
