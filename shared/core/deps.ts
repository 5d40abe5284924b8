/** What the core needs for one invocation: configuration, the cloud behind ports, time, logs. */
import type { Clock, Random } from '../clock';
import type { Config } from '../config-types';
import type { CloudClients } from '../ports/cloud';
import type { Logger } from '../ports/logger';
import type { TargetReads } from '../readiness/port';
import type { Verifier } from '../ports/verifier';

export interface CoreDeps {
  config: Readonly<Config>;
  clients: CloudClients;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Probes the current credential (shared/probes); absent = no probing. */
  verify?: Verifier;
  /** Read-only calls to rotation targets for the readiness forecast; absent = no forecast. */
  targets?: TargetReads;
  /** The invoked function's name, for metric dimensions. */
  functionName: string;
}

/** Counters one invocation accumulates for its metrics and its JSON result. */
export interface Counters {
  rotationSucceeded: number;
  rotationFailed: number;
  retries: number;
  escalations: number;
  alertsSent: number;
  tagWrites: number;
  remediationsScheduled: number;
  errors: number;
  /** State tags that could not be written (written again by the next pass). */
  stateWriteErrors: number;
  /** Secrets whose state tag is refused for good this invocation (state-room.ts), each counted once. */
  stateUnwritable: number;
}

export function newCounters(): Counters {
  return {
    rotationSucceeded: 0,
    rotationFailed: 0,
    retries: 0,
    escalations: 0,
    alertsSent: 0,
    tagWrites: 0,
    remediationsScheduled: 0,
    errors: 0,
    stateWriteErrors: 0,
    stateUnwritable: 0,
  };
}
