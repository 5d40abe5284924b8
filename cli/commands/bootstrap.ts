/**
 * The alerting half of `kro setup` (cli/commands/setup.ts; `kro bootstrap` is now its alias), and
 * what the demo runs against its emulator: makes CloudMonitor route the orchestrator's alerts to people. Reads the
 * contacts and contact groups, plans only the differences (shared/core/bootstrap-plan.ts), applies
 * them and prints what it did. s.yaml runs it after a good deploy, with the deployer's credentials
 * (deploy/ram-policy-bootstrap.json lists what it needs).
 */
import { loadConfig } from '../../shared/config';
import {
  desiredAlerting,
  planBootstrap,
  type AlertingState,
  type BootstrapPlan,
  type BootstrapStep,
} from '../../shared/core/bootstrap-plan';
import type { FcCredentials } from '../../shared/ports/runtime';
import { parseArgs, stringOption } from '../args';
import { callerAccountId, resolveCredentials } from '../credentials';
import type { CliIo } from '../types';
import { createAlertingAdmin, type AlertingAdmin } from '../alerting-admin';

const OPTIONS = [
  { flag: '--endpoint HOST:PORT', description: 'configure the emulator at HOST:PORT instead of Alibaba Cloud' },
  { flag: '--region R', description: 'region (default: KRO_REGION_ID, else cn-hangzhou)' },
  { flag: '--dry-run', description: 'print the plan and change nothing' },
];

export interface BootstrapDeps {
  admin?: (options: { region: string; endpoint?: string; credentials: FcCredentials }) => AlertingAdmin;
  /** Already resolved (kro setup); default: resolveCredentials. */
  credentials?: FcCredentials;
  /** The account (for the heartbeat rule's namespace); default: STS GetCallerIdentity, else KRO_ACCOUNT_ID. */
  accountId?: string;
}

export async function runBootstrap(argv: string[], io: CliIo, deps: BootstrapDeps = {}): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const endpoint = stringOption(args, 'endpoint');
  const region = stringOption(args, 'region') ?? io.env.KRO_REGION_ID ?? 'cn-hangzhou';
  const dryRun = args.options['dry-run'] === true;
  // The same variables as the functions' (KRO_ALERT_*), so one environment drives deploy and bootstrap.
  const config = loadConfig({ ...io.env, KRO_REGION_ID: region, KRO_ENDPOINT: endpoint });
  const credentials = deps.credentials ?? (await resolveCredentials(io.env, endpoint));
  const admin = (deps.admin ?? createAlertingAdmin)({ region, endpoint, credentials });

  const current: AlertingState = await admin.readState();
  const accountId = deps.accountId ?? (await accountOf(credentials, { region, endpoint }, config.accountId));
  const plan = planBootstrap(
    desiredAlerting({ ...config.alerts, accountId, sweepIntervalSeconds: config.sweep.intervalSeconds }),
    current,
  );
  io.stdout(
    `CloudMonitor alerting in ${region}${endpoint ? ` (emulator ${endpoint})` : ''}${dryRun ? ', dry run' : ''}:\n`,
  );
  for (const step of plan.steps) {
    if (!dryRun && step.action !== 'unchanged') await admin.apply(step);
    io.stdout(`  ${describeStep(step, dryRun)}\n`);
  }
  if (plan.steps.some((s) => s.action === 'ensure')) {
    io.stdout(
      '  (CloudMonitor cannot read custom-event rules back: they are written with the same values every run, an upsert by RuleId)\n',
    );
  }
  for (const warning of plan.warnings) io.stderr(`warning: ${warning}\n`);
  io.stdout(`${summary(plan, dryRun)}\n`);
  return 0;
}

/** The heartbeat rule needs the account; without it bootstrap still routes every other alert (with a warning). */
async function accountOf(
  credentials: FcCredentials,
  where: { region: string; endpoint?: string },
  configured: string | undefined,
): Promise<string | undefined> {
  try {
    return await callerAccountId(credentials, where);
  } catch {
    return configured;
  }
}

const PAST: Record<BootstrapStep['action'], string> = {
  create: 'created',
  update: 'updated',
  ensure: 'ensured',
  unchanged: 'unchanged',
};
const FUTURE: Record<BootstrapStep['action'], string> = {
  create: 'would create',
  update: 'would update',
  ensure: 'would ensure',
  unchanged: 'unchanged',
};

export function describeStep(step: BootstrapStep, dryRun: boolean): string {
  const verb = (dryRun ? FUTURE : PAST)[step.action];
  const detail = step.changes.length ? ` (${step.changes.join(', ')})` : '';
  return `${verb.padEnd(12)} ${step.kind.padEnd(13)} ${step.name}${detail}`;
}

function summary(plan: BootstrapPlan, dryRun: boolean): string {
  const count = (action: BootstrapStep['action']) => plan.steps.filter((s) => s.action === action).length;
  const parts = (['create', 'update', 'ensure', 'unchanged'] as const)
    .filter((a) => count(a) > 0)
    .map((a) => `${count(a)} ${(dryRun ? FUTURE : PAST)[a]}`);
  return `bootstrap${dryRun ? ' (dry run)' : ''}: ${parts.join(', ') || 'nothing to do'}`;
}
