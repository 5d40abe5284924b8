/**
 * `kro demo` (`npm start`): the whole orchestrator on the local cloud, offline. Starts the
 * emulator, deploys s.yaml into it (same handlers, triggers and filter patterns as FC), runs the
 * bootstrap so alarm rules route alerts to a contact group, seeds the demo fleet, runs weeks of
 * simulated time in seconds, then shows what the ops team received, a summary, and an HTML report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { portAnswers } from '../../shared/port-answers';
import path from 'node:path';
import { createEmulator } from '../../emulator/emulator';
import {
  DEMO_OPS_FIXES,
  DEMO_TARGET_TIMELINE,
  DEMO_TROUBLE,
  demoFleet,
  type DemoOpsFix,
  type DemoSeed,
} from './demo-fleet';
import { applyTargetChange } from '../../emulator/services/targets/seed';
import { deployLocal } from '../../emulator/runtime';
import type { PolicyDocument } from '../../emulator/services/contracts';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { CloudError } from '../../shared/errors';
import type { KmsPort } from '../../shared/ports/kms';
import { subTypeOf } from '../../shared/domain/secret-kinds';
import { policyFor } from '../../shared/domain/policy';
import { auditSweep } from '../../shared/report/audit-sweep';
import {
  buildReportData,
  entryFromNotification,
  findingRows,
  formatSummary,
  formatTimeline,
  parseAlertContent,
  progressBar,
  renderReportHtml,
  type AlertLog,
  type FleetSummary,
  type ReportData,
  type RunRecords,
  type TimelineEntry,
} from '../../shared/report';
import { parseArgs, stringOption, UsageError } from '../args';
import { EMULATOR_ACCESS_KEY } from '../credentials';
import type { CliCommand, CliIo } from '../types';
import { runBootstrap } from './bootstrap';

const HOUR = 3_600_000;
/** A fixed start, so two runs of the demo tell the same story. */
export const DEMO_START = '2026-01-05T00:00:00Z';
/** Where the demo's alarm rules send their mail (a contact in the emulator's CloudMonitor). */
const DEMO_ALERT_MAIL = 'secops@example.com';

const OPTIONS = [
  { flag: '--days N', description: 'simulated days to run (default 60)' },
  { flag: '--json', description: 'print only the summary, as one JSON object' },
  { flag: '--report FILE', description: 'where to write the HTML report (default reports/kro-demo-report.html)' },
  {
    flag: '--sweep-minutes M',
    description:
      'sweep timer period in simulated minutes (default 360; s.yaml says 10: a slower timer keeps 60 days under a minute, events still arrive at once)',
  },
];

export interface RealServers {
  postgresql: boolean;
  mysql: boolean;
  redis: boolean;
}

const SERVERS: Array<{ key: keyof RealServers; port: number; name: string; start: string }> = [
  {
    key: 'postgresql',
    port: 5432,
    name: 'PostgreSQL',
    start: 'sudo apt-get install -y postgresql (trust authentication for 127.0.0.1)',
  },
  {
    key: 'mysql',
    port: 3306,
    name: 'MariaDB/MySQL',
    start: 'sudo apt-get install -y mariadb-server (root without password on 127.0.0.1)',
  },
  { key: 'redis', port: 6379, name: 'Redis', start: 'sudo apt-get install -y redis-server' },
];

export async function detectRealServers(): Promise<RealServers> {
  const [postgresql, mysql, redis] = await Promise.all(SERVERS.map((s) => portAnswers('127.0.0.1', s.port, 300)));
  return { postgresql: postgresql === true, mysql: mysql === true, redis: redis === true };
}

export function probeNotes(servers: RealServers): string[] {
  return SERVERS.map((s) =>
    servers[s.key]
      ? `${s.name} found on 127.0.0.1:${s.port}: its demo secret is backed by the real server and probed after each rotation.`
      : `${s.name} not found on 127.0.0.1:${s.port}: its probe is left out. To enable it: ${s.start}, then run the demo again.`,
  );
}

export interface DemoOutcome {
  summary: FleetSummary;
  report: ReportData;
  timeline: TimelineEntry[];
  deniedCalls: number;
}

type Emulator = ReturnType<typeof createEmulator>;

/** The emulator's records, as the report sees them: KMS's rotation results, the orchestrator's retries, its alerts. */
function recordsOf(
  emulator: Emulator,
  seed: DemoSeed,
  deletedAt: ReadonlyMap<string, number>,
): Omit<RunRecords, 'findings'> {
  const rotations: RunRecords['rotations'] = [];
  const retries: RunRecords['retries'] = [];
  for (const s of seed.Secrets) {
    for (const h of emulator.kms.getSecret(s.SecretName)?.rotationHistory ?? []) {
      if (h.outcome === 'success' || h.outcome === 'failure')
        rotations.push({ secretName: s.SecretName, at: h.at, outcome: h.outcome, errorCode: h.errorCode });
    }
  }
  // Nobody but the orchestrator calls RotateSecret in the demo: each accepted call with a new
  // VersionId is one retry attempt (a repeated VersionId is the idempotent replay of the same one).
  const attempts = new Set<string>();
  for (const c of emulator.callLog()) {
    if (c.product !== 'kms' || c.action !== 'RotateSecret' || c.status !== 200) continue;
    const secretName = c.params.SecretName ?? '';
    const key = `${secretName}\u0000${c.params.VersionId ?? ''}`;
    if (attempts.has(key)) continue;
    attempts.add(key);
    retries.push({ secretName, at: c.at });
  }
  const alerts = emulator.cms.customEvents().map((e) => ({ name: e.name, at: e.time, content: e.content }));
  return {
    secrets: seed.Secrets.map((s) => ({
      secretName: s.SecretName,
      secretType: s.SecretType,
      subType: s.ExtendedConfig?.SecretSubType,
      env: s.Tags.env,
      ...(deletedAt.has(s.SecretName) ? { deletedAt: deletedAt.get(s.SecretName) } : {}),
    })),
    rotations,
    retries,
    alerts,
  };
}

/** What people received: the emulator's CloudMonitor notification log (one entry per message to a contact group). */
function alertLogOf(emulator: Emulator): AlertLog {
  return {
    source: "the emulator's CloudMonitor notifications (alarm rules created by kro bootstrap)",
    available: true,
    entries: emulator.cms.notifications().map(entryFromNotification),
  };
}

/**
 * Secrets whose deletion became permanent during the run, and when: read once a simulated day,
 * the time is the PlannedDeleteTime last seen (the moment KMS purged it), else the day it was missed.
 */
function deletionTracker(emulator: Emulator, names: string[]) {
  const planned = new Map<string, number>();
  const deletedAt = new Map<string, number>();
  return {
    deletedAt: deletedAt as ReadonlyMap<string, number>,
    observe(): void {
      for (const name of names) {
        if (deletedAt.has(name)) continue;
        const view = emulator.kms.getSecret(name);
        if (view) {
          if (view.PlannedDeleteTime) planned.set(name, Date.parse(view.PlannedDeleteTime));
          else planned.delete(name);
        } else deletedAt.set(name, Math.min(planned.get(name) ?? emulator.clock.now(), emulator.clock.now()));
      }
    },
  };
}

function timelineOf(emulator: Emulator): TimelineEntry[] {
  return emulator.cms.notifications().map((n) => {
    const subjects = n.contents.flatMap((c) => parseAlertContent(c).subjects);
    const names = [...new Set(subjects.map((s) => s.secretName))];
    const checks = [...new Set(subjects.flatMap((s) => (s.checkId ? [s.checkId] : [])))];
    const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3} more` : names.join(', ');
    return {
      at: n.at,
      level: n.level,
      eventName: n.eventName,
      detail: `${shown}${checks.length ? ` [${checks.join(', ')}]` : ''}`,
      channel: n.contactGroup,
    };
  });
}

/** The ops team's fix (DEMO_OPS_FIXES): the cause removed, then a rotation by hand, as the runbook says. */
async function applyOpsFix(
  emulator: Emulator,
  kms: KmsPort,
  fix: DemoOpsFix,
  addedKeys: ReadonlyMap<string, string>,
  day: number,
): Promise<string> {
  for (const f of emulator.faults.list()) if (f.SecretName === fix.secretName && f.Id) emulator.faults.clear(f.Id);
  if (fix.change) applyTargetChange(emulator.kms.targets, emulator.auth, fix.change);
  const added = fix.undoAddedKey ? addedKeys.get(fix.secretName) : undefined;
  const user = fix.secretName.replace(/^acs\/ram\/user\//, '');
  if (added)
    applyTargetChange(emulator.kms.targets, emulator.auth, { Kind: 'RamUser', Id: user, DeleteAccessKey: added });
  try {
    await kms.rotateSecret(fix.secretName, `ops-fix-day-${day}`);
    return `day ${day}: ${fix.note} (${fix.secretName})`;
  } catch (error) {
    // The code, not the message: an error message from outside may quote anything (DESIGN: secrets stay secret).
    const code = error instanceof CloudError ? error.code : error instanceof Error ? error.name : 'error';
    return `day ${day}: ${fix.note}, but the rotation by hand was refused (${code})`;
  }
}

/**
 * Trouble that cannot be seeded because it happens during the run: someone deletes a RAM user's
 * current AccessKey in the console. KMS still calls it current; only the credential probe notices.
 * Only the key's id is read (never its secret), to tell the emulator which key to delete.
 */
async function deleteCurrentRamKey(emulator: Emulator, kms: KmsPort, secretName: string): Promise<string> {
  try {
    const value = await kms.getSecretValue(secretName);
    // Before its first rotation a RAM secret holds the creation form {"AccessKeys":[...]}; after, one pair.
    const data = JSON.parse(value.secretData) as { AccessKeyId?: string; AccessKeys?: Array<{ AccessKeyId?: string }> };
    const id = data.AccessKeyId ?? data.AccessKeys?.[data.AccessKeys.length - 1]?.AccessKeyId;
    if (id && emulator.auth.deleteAccessKey(id))
      return `incident: the current AccessKey of ${secretName} was deleted in the RAM console`;
    return `incident skipped: ${secretName} has no current AccessKey known to the emulator`;
  } catch (error) {
    return `incident skipped: could not read ${secretName} (${error instanceof Error ? error.name : 'error'})`;
  }
}

export async function simulateDemo(options: {
  days: number;
  sweepMinutes: number;
  servers: RealServers;
  onDay?: (day: number, emulator: Emulator) => void;
  onIncident?: (text: string) => void;
  /** Changes the fleet before it is seeded (tests and experiments). */
  tweakFleet?: (seed: DemoSeed) => DemoSeed;
  /** The function role's policy to enforce instead of deploy/ram-policy.json (least-privilege tests). */
  policy?: PolicyDocument;
  /** Runs against the emulator at the end of the period, before it stops (e.g. `kro audit --endpoint`). */
  onEnd?: (endpoint: string) => Promise<void>;
}): Promise<DemoOutcome> {
  const fleet = demoFleet({ now: DEMO_START, realServers: options.servers });
  const seed = options.tweakFleet ? options.tweakFleet(fleet) : fleet;
  const anyServer = options.servers.postgresql || options.servers.mysql || options.servers.redis;
  // Loaded only when a real server is used: the database drivers take a while to load.
  const backend = anyServer ? (await import('../../emulator/backends')).createCredentialBackend() : undefined;
  const emulator = createEmulator({ seed, backend });
  const sweepCron =
    options.sweepMinutes >= 60 ? `0 0 */${options.sweepMinutes / 60} * * *` : `0 */${options.sweepMinutes} * * * *`;
  const deployment = await deployLocal(emulator, {
    env: { KRO_SWEEP_CRON: sweepCron, KRO_ALERT_MAIL: DEMO_ALERT_MAIL },
    enforcePolicy: true,
    policy: options.policy,
  });
  try {
    // The bootstrap reads its recipients from its own environment: without them the alarm rules
    // notify nobody, and the report's alert log would show messages no one received.
    const quiet = {
      stdout: () => undefined,
      stderr: () => undefined,
      isTTY: false,
      // The sweep cron too: the heartbeat alarm's period is one sweep interval.
      env: { KRO_ALERT_MAIL: DEMO_ALERT_MAIL, KRO_SWEEP_CRON: sweepCron },
    } satisfies CliIo;
    const status = await runBootstrap(['--endpoint', deployment.endpoint], quiet);
    if (status !== 0) throw new Error(`bootstrap against the emulator failed with status ${status}`);

    const config = loadConfig({
      KRO_ENDPOINT: deployment.endpoint,
      KRO_PACING: 'false',
      KRO_REGION_ID: seed.RegionId,
      KRO_ACCOUNT_ID: seed.AccountId,
    });
    const clients = createAlibabaClients({ config, credentials: { ...EMULATOR_ACCESS_KEY } });
    const incidentDay = Math.max(1, Math.min(options.days, 20));

    const start = emulator.clock.now();
    const deletions = deletionTracker(
      emulator,
      seed.Secrets.map((s) => s.SecretName),
    );
    deletions.observe();
    /** AccessKeys the timeline made by hand, by secret, so the ops team's fix can delete them. */
    const addedKeys = new Map<string, string>();
    const say = (text: string) => options.onIncident?.(text);
    for (let day = 1; day <= options.days; day++) {
      // Awaited before the optional call: `onIncident?.(await ...)` would skip the incident itself without a listener.
      if (day === incidentDay) say(await deleteCurrentRamKey(emulator, clients.kms, DEMO_TROUBLE.keyDeleted));
      for (const t of DEMO_TARGET_TIMELINE.filter((c) => c.day === day)) {
        const added = applyTargetChange(emulator.kms.targets, emulator.auth, t.change).accessKeyId;
        if (added) addedKeys.set(t.secretName, added);
        const due = emulator.kms.getSecret(t.secretName)?.NextRotationDate;
        options.onIncident?.(`day ${day}: ${t.note}${due ? ` (${t.secretName} rotates at ${due})` : ''}`);
      }
      // Hour by hour, so every timer, async retry and delayed verification runs in its order.
      for (let h = 0; h < 24; h++) {
        for (const fix of DEMO_OPS_FIXES.filter((f) => f.day === day && f.hour === h))
          say(await applyOpsFix(emulator, clients.kms, fix, addedKeys, day));
        await emulator.clock.advance(HOUR);
      }
      deletions.observe();
      options.onDay?.(day, emulator);
    }
    const end = emulator.clock.now();

    const snapshot = await auditSweep(clients.kms, config, {
      now: () => emulator.clock.now(),
      targets: clients.targets,
    });
    const records: RunRecords = {
      ...recordsOf(emulator, seed, deletions.deletedAt),
      findings: findingRows(snapshot, {
        stateTagKey: config.stateTagKey,
        envOf: (d) => policyFor(d, config).environment,
      }),
      unreadable: snapshot.unreadable,
    };
    for (const s of records.secrets) {
      const d = snapshot.secrets.find((x) => x.secretName === s.secretName);
      if (d) s.subType = subTypeOf(d) ?? s.subType;
    }
    const deniedCalls = emulator.callLog().filter((c) => c.code === 'Forbidden.NoPermission').length;
    await options.onEnd?.(deployment.endpoint);
    const report = buildReportData(records, {
      title: 'KMS Rotation Orchestrator: demo report',
      source: `local emulator, ${options.days} simulated days, sweep every ${options.sweepMinutes} min`,
      generatedAt: end,
      period: { start, end },
      notes: [...probeNotes(options.servers), `Calls denied by the RAM policy: ${deniedCalls}.`],
      alertLog: alertLogOf(emulator),
      readiness: snapshot.readiness,
    });
    return { summary: report.summary, report, timeline: timelineOf(emulator), deniedCalls };
  } finally {
    await deployment.close();
    await emulator.close();
    await backend?.close();
  }
}

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

export async function runDemo(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const days = intOption(stringOption(args, 'days'), 'days', 60, 1, 365);
  const sweepMinutes = intOption(stringOption(args, 'sweep-minutes'), 'sweep-minutes', 360, 10, 1440);
  if (sweepMinutes < 60 ? 60 % sweepMinutes !== 0 : sweepMinutes % 60 !== 0 || 24 % (sweepMinutes / 60) !== 0) {
    throw new UsageError(
      '--sweep-minutes must divide an hour (10, 15, 20, 30) or a day in whole hours (60, 120, 180, ...)',
    );
  }
  const json = args.options.json === true;
  const reportFile = path.resolve(stringOption(args, 'report') ?? path.join('reports', 'kro-demo-report.html'));
  const say = json ? () => undefined : (text: string) => io.stdout(text);

  const servers = await detectRealServers();
  say(
    `KMS Rotation Orchestrator demo: ${days} simulated days on the local emulator (sweep every ${sweepMinutes} simulated minutes; s.yaml's default is 10).\n`,
  );
  for (const note of probeNotes(servers)) say(`  ${note}\n`);
  say('\n');

  const began = Date.now();
  const outcome = await simulateDemo({
    days,
    sweepMinutes,
    servers,
    onIncident: (text) => say(`${text}\n`),
    onDay: (day, emulator) => {
      if (json) return;
      if (io.isTTY) io.stdout(progressBar(day, days, `day ${day}/${days}`));
      if (day % 7 === 0 || day === days) {
        const alerts = emulator.cms.customEvents().length;
        const line = `week ${Math.ceil(day / 7)} (day ${day}, ${new Date(emulator.clock.now()).toISOString().slice(0, 10)}): ${alerts} alerts so far`;
        io.stdout(io.isTTY ? `\r${line.padEnd(60)}\n` : `${line}\n`);
      }
    },
  });

  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, renderReportHtml(outcome.report));
  if (json) {
    io.stdout(`${JSON.stringify(outcome.summary)}\n`);
    return 0;
  }
  say(
    `\nWhat the ops team received (CloudMonitor notifications, in order):\n${formatTimeline(outcome.timeline).join('\n')}\n`,
  );
  say(
    `\nSummary after ${days} simulated days (${((Date.now() - began) / 1000).toFixed(1)} s of wall time):\n${formatSummary(outcome.summary).join('\n')}\n`,
  );
  say(`\nCalls denied by the RAM policy: ${outcome.deniedCalls}\nHTML report: ${reportFile}\n`);
  return 0;
}

export const command: CliCommand = {
  name: 'demo',
  summary: 'run the orchestrator on the local emulator with a troubled demo fleet (npm start)',
  usage: 'demo [--days N] [--json] [--report FILE] [--sweep-minutes M]',
  options: OPTIONS,
  run: runDemo,
};
