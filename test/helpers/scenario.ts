/**
 * The scenario fixture: a listening emulator seeded with "a valid secret plus this tweak", s.yaml
 * deployed into it with deployLocal (the real handlers, timers and EventBridge filter patterns),
 * the bootstrap's alarm rules so CloudMonitor notifies a contact group, and read-outs of what the
 * ops team and the cloud saw. Time moves only through advance(): no real sleeps. Cleans up after
 * the test that started it.
 */
import { onTestFinished } from 'vitest';
import { runBootstrap } from '../../cli/commands/bootstrap';
import type { CliIo } from '../../cli/types';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { seededRandom } from '../../emulator/faults';
import { signedRequest } from '../../emulator/protocol/client';
import type { CallLogEntry } from '../../emulator/protocol/call-log';
import { deployLocal, type LocalDeployment } from '../../emulator/runtime';
import type { SeedSecret } from '../../emulator/seed';
import type { InvocationRecord, Notification } from '../../emulator/services/contracts';
import type { FaultSpec } from '../../emulator/types';
import type { TargetsSeed } from '../../emulator/services/targets/seed';
import { decodeState, type SecretState } from '../../shared/domain/episode-tag';
import { parseAlertContent } from '../../shared/report';

export const SCENARIO_START = '2026-03-02T00:00:00Z';
export const START_MS = Date.parse(SCENARIO_START);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export type SecretKind = 'rds' | 'rds-single' | 'ram' | 'ecs' | 'redis' | 'polardb' | 'generic';

/**
 * A secret that every check finds healthy under the production policy (env=prod, a 7-30 day
 * interval, automatic rotation on, dual accounts, rotated a day ago), plus the tweak.
 */
export function aSecret(name: string, kind: SecretKind = 'rds', tweak: Partial<SeedSecret> = {}): SeedSecret {
  const rotated = iso(START_MS - DAY);
  const managed = {
    EnableAutomaticRotation: true,
    RotationInterval: '7d',
    LastRotationDate: rotated,
    CreateTime: iso(START_MS - 30 * DAY),
    Tags: { env: 'prod' },
  };
  const account = name.replace(/[^a-z0-9]/gi, '_').slice(0, 16);
  const base: Record<SecretKind, SeedSecret> = {
    rds: {
      SecretName: name,
      SecretType: 'Rds',
      SecretData: JSON.stringify({
        Accounts: [
          { AccountName: account, AccountPassword: `pw-${account}-Rds1` },
          { AccountName: `${account}_clone`, AccountPassword: `pw-${account}-Rds2` },
        ],
      }),
      ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-orders' },
      ...managed,
    },
    'rds-single': {
      SecretName: name,
      SecretType: 'Rds',
      SecretData: JSON.stringify({ AccountName: account, AccountPassword: `pw-${account}-Rds1` }),
      ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-orders' },
      ...managed,
    },
    ram: {
      SecretName: name,
      SecretType: 'RAMCredentials',
      SecretData: JSON.stringify({
        AccessKeys: [{ AccessKeyId: `LTAI5t${account}Key1`, AccessKeySecret: `ak-${account}-secret-1` }],
      }),
      ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: `${account}-user` },
      ...managed,
    },
    ecs: {
      SecretName: name,
      SecretType: 'ECS',
      SecretData: JSON.stringify({ UserName: 'root', Password: `pw-${account}-Ecs1` }),
      ExtendedConfig: { SecretSubType: 'Password', RegionId: 'cn-hangzhou', InstanceId: 'i-web1' },
      ...managed,
    },
    redis: {
      SecretName: name,
      SecretType: 'Redis',
      SecretData: JSON.stringify({ AccountName: 'app', AccountPassword: `pw-${account}-Redis1` }),
      ExtendedConfig: {
        SecretSubType: 'DoubleUsers',
        InstanceId: 'r-cache1',
        AccountName: 'app',
        CloneAccountName: 'app_clone',
      },
      ...managed,
    },
    polardb: {
      SecretName: name,
      SecretType: 'PolarDB',
      SecretData: JSON.stringify({ AccountName: 'analyst', AccountPassword: `pw-${account}-Polar1` }),
      ExtendedConfig: {
        SecretSubType: 'DoubleUsers',
        DBClusterId: 'pc-orders1',
        AccountName: 'analyst',
        CloneAccountName: 'analyst_clone',
      },
      ...managed,
    },
    generic: {
      SecretName: name,
      SecretType: 'Generic',
      SecretData: `generic-${account}-value`,
      CreateTime: iso(START_MS - 30 * DAY),
      Tags: { env: 'prod' },
    },
  };
  return { ...base[kind], ...tweak };
}

export interface ScenarioOptions {
  secrets: SeedSecret[];
  /** Top-level seed faults (secret faults go on the secret). */
  faults?: FaultSpec[];
  /** The seed's rotation targets (emulator/services/targets/seed.ts); managed secrets get healthy ones by default. */
  targets?: TargetsSeed;
  /** The account id the emulator answers as (default the emulator's). */
  accountId?: string;
  /** The deployer's environment for s.yaml's ${env(...)} (sweep cron, retry delays, storm window...). */
  env?: Record<string, string>;
  /** Variables s.yaml does not expose, for every function. */
  functionEnv?: Record<string, string>;
  emulator?: Omit<EmulatorOptions, 'seed'>;
  /** Create the alarm rules and contact group (default true). */
  bootstrap?: boolean;
  enforcePolicy?: boolean;
  /** Seed of the handlers' jitter (default 7), so two runs of a scenario take the same decisions. */
  randomSeed?: number;
}

export interface NotificationSummary {
  at: number;
  eventName: string;
  level: string;
  secrets: string[];
}

export interface Scenario {
  emulator: Emulator;
  deployment: LocalDeployment;
  endpoint: string;
  advance(ms: number): Promise<void>;
  /** Advances in steps (default 10 min) until `done()` holds or `limitMs` has passed; returns the time taken. */
  advanceUntil(done: () => boolean, limitMs: number, stepMs?: number): Promise<number>;
  now(): number;
  /** What the contact group received, in order: event name and the secrets each names. */
  notifications(): NotificationSummary[];
  rawNotifications(): Notification[];
  /** Every custom event (alert) CloudMonitor accepted, in order. */
  alerts(): Array<{ name: string; time: number; content: string; secrets: string[] }>;
  calls(action?: string): CallLogEntry[];
  invocations(functionName?: string): InvocationRecord[];
  /** The secret's kro-state tag, decoded with the product's codec. */
  state(secretName: string): SecretState;
  rawTags(secretName: string): Record<string, string>;
  history(secretName: string): Array<{ at: number; outcome: string; versionId?: string; errorCode?: string }>;
  logs(): string[];
  /** Handler log lines as JSON records, optionally only those whose msg contains `text`. */
  logRecords(text?: string): Array<Record<string, unknown>>;
  /** A KMS call by an operator (the account's root key), through the wire like any client. */
  operatorCall(
    action: string,
    params: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Fires the s.yaml sweep timer's event at once (async, as FC would) and runs it. */
  sweepNow(): Promise<void>;
}

const QUIET_IO = (env: Record<string, string>): CliIo => ({
  stdout: () => undefined,
  stderr: () => undefined,
  isTTY: false,
  env,
});

export function secretsNamedIn(n: Pick<Notification, 'contents'>): string[] {
  return [...new Set(n.contents.flatMap((c) => parseAlertContent(c).secretNames))];
}

export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const emulator = createEmulator({
    now: SCENARIO_START,
    ...options.emulator,
    seed: {
      Now: SCENARIO_START,
      Secrets: options.secrets,
      Faults: options.faults,
      ...(options.targets ? { Targets: options.targets } : {}),
      ...(options.accountId ? { AccountId: options.accountId } : {}),
    },
  });
  await emulator.ready;
  const lines: string[] = [];
  const env = { KRO_ALERT_MAIL: 'secops@example.com', ...options.env };
  const deployment = await deployLocal(emulator, {
    env,
    functionEnv: options.functionEnv,
    enforcePolicy: options.enforcePolicy ?? true,
    random: seededRandom(options.randomSeed ?? 7),
    writeLine: (line) => lines.push(line),
  });
  onTestFinished(async () => {
    await deployment.close();
    await emulator.close();
  });
  if (options.bootstrap !== false) {
    const status = await runBootstrap(['--endpoint', deployment.endpoint], QUIET_IO(env));
    if (status !== 0) throw new Error(`bootstrap failed with status ${status}`);
  }

  const tags = (name: string) => emulator.kms.getSecret(name)?.Tags ?? {};
  const scenario: Scenario = {
    emulator,
    deployment,
    endpoint: deployment.endpoint,
    advance: (ms) => emulator.clock.advance(ms),
    async advanceUntil(done, limitMs, stepMs = 10 * MINUTE) {
      const start = emulator.clock.now();
      while (!done() && emulator.clock.now() - start < limitMs) await emulator.clock.advance(stepMs);
      return emulator.clock.now() - start;
    },
    now: () => emulator.clock.now(),
    notifications: () =>
      emulator.cms
        .notifications()
        .map((n) => ({ at: n.at, eventName: n.eventName, level: n.level, secrets: secretsNamedIn(n) })),
    rawNotifications: () => emulator.cms.notifications(),
    alerts: () =>
      emulator.cms.customEvents().map((e) => ({
        name: e.name,
        time: e.time,
        content: e.content,
        secrets: parseAlertContent(e.content).secretNames,
      })),
    calls: (action) => emulator.callLog().filter((c) => action === undefined || c.action === action),
    invocations: (functionName) =>
      emulator.fc.invocations().filter((i) => functionName === undefined || i.functionName === functionName),
    state: (name) => decodeState(tags(name)['kro-state'], name).state,
    rawTags: tags,
    history: (name) =>
      (emulator.kms.getSecret(name)?.rotationHistory ?? []).map((h) => ({
        at: h.at,
        outcome: h.outcome,
        versionId: h.versionId,
        errorCode: h.errorCode,
      })),
    logs: () => [...lines],
    logRecords: (text) =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((r) => text === undefined || String(r.msg).includes(text)),
    async operatorCall(action, params) {
      const key = emulator.defaultAccessKey;
      const request = signedRequest({
        baseUrl: `http://${deployment.endpoint}`,
        action,
        version: '2016-01-20',
        params,
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      });
      const response = await emulator.fetch(request);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async sweepNow() {
      const payload = JSON.stringify({
        triggerTime: iso(emulator.clock.now()),
        triggerName: 'kro-sweep-timer',
        payload: '{"mode":"sweep"}',
      });
      await emulator.fc.invoke('kro-sweep', Buffer.from(payload), { async: true });
      await emulator.clock.settle();
    },
  };
  return scenario;
}

/** Episodes of one check on a secret's state tag. */
export function episodesOf(scenario: Scenario, secretName: string, checkId?: string) {
  return scenario.state(secretName).episodes.filter((e) => checkId === undefined || e.checkId === checkId);
}
