/**
 * `kro setup`: everything a deployment needs besides `s deploy`, with the deployer's credentials,
 * idempotently. First the function role: created (trusted by Function Compute) or its trust policy
 * updated, one custom policy rendered from deploy/ram-policy.json for this account and region
 * (shared/core/role-plan.ts) created or given a new default version, and attached. Then the alert
 * routing of `kro bootstrap` (contacts, contact group, alarm rules). It refuses to run when no one
 * would be paged (no KRO_ALERT_MAIL, no KRO_ALERT_DINGTALK_WEBHOOK) unless told --no-recipients.
 * s.yaml runs it before each deploy (the role must exist when fc3 creates the functions).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSYaml, PROJECT_ROOT } from '../../emulator/runtime';
import { loadConfig } from '../../shared/config';
import {
  planRole,
  renderPolicy,
  unpinnedResources,
  type PolicyTemplate,
  type RoleStep,
  type RoleTarget,
} from '../../shared/core/role-plan';
import type { FcCredentials } from '../../shared/ports/runtime';
import { parseArgs, stringOption, UsageError } from '../args';
import { callerAccountId, environmentKey, resolveCredentials } from '../credentials';
import { createRamAdmin, type RamAdmin } from '../ram-admin';
import type { CliCommand, CliIo, CliOption } from '../types';
import { runBootstrap, type BootstrapDeps } from './bootstrap';

const OPTIONS: CliOption[] = [
  { flag: '--endpoint HOST:PORT', description: 'set up the emulator at HOST:PORT instead of Alibaba Cloud' },
  { flag: '--region R', description: 'region (default: KRO_REGION_ID, else cn-hangzhou)' },
  {
    flag: '--dry-run',
    description: 'print the plan (and the rendered policy) and change nothing; needs no credentials',
  },
  {
    flag: '--no-recipients',
    description: 'finish even though no alert recipient is configured (alarms will page nobody)',
  },
  {
    flag: '--s-yaml PATH',
    description: 'the s.yaml whose functions and role are set up (default: ./s.yaml of the project)',
  },
];

export const POLICY_TEMPLATE = path.join(PROJECT_ROOT, 'deploy', 'ram-policy.json');
export const TRUST_POLICY = path.join(PROJECT_ROOT, 'deploy', 'ram-trust-policy.json');
/** Shown in a dry run without credentials, where the account cannot be asked. */
const UNKNOWN_ACCOUNT = '<AccountID>';

export interface SetupDeps extends BootstrapDeps {
  ram?: (options: { region: string; endpoint?: string; credentials: FcCredentials }) => RamAdmin;
}

const NO_RECIPIENTS =
  'no alert recipient configured: set KRO_ALERT_MAIL (comma-separated addresses) or KRO_ALERT_DINGTALK_WEBHOOK, ' +
  'or pass --no-recipients to deploy an orchestrator whose alarms page nobody';

export async function runSetup(argv: string[], io: CliIo, deps: SetupDeps = {}): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const endpoint = stringOption(args, 'endpoint');
  const region = stringOption(args, 'region') ?? io.env.KRO_REGION_ID ?? 'cn-hangzhou';
  const dryRun = args.options['dry-run'] === true;
  const sYamlPath = path.resolve(stringOption(args, 's-yaml') ?? path.join(PROJECT_ROOT, 's.yaml'));
  const config = loadConfig({ ...io.env, KRO_REGION_ID: region, KRO_ENDPOINT: endpoint });
  const noRecipients = config.alerts.mail.length === 0 && !config.alerts.dingWebhook;
  if (noRecipients && args.options['no-recipients'] !== true) {
    io.stderr(`kro setup: ${NO_RECIPIENTS}\n`);
    return 1;
  }

  // A dry run reads the current state only when credentials are at hand; it never asks for them.
  const canRead = !dryRun || endpoint !== undefined || environmentKey(io.env) !== undefined;
  const credentials = canRead ? await resolveCredentials(io.env, endpoint) : undefined;
  const accountId = credentials
    ? await callerAccountId(credentials, { region, endpoint })
    : (io.env.AccountID ?? io.env.KRO_ACCOUNT_ID ?? UNKNOWN_ACCOUNT);

  const { functions } = loadSYaml(sYamlPath, {
    env: { ...io.env, KRO_REGION_ID: region },
    config: { AccountID: accountId },
  });
  const roleNames = [...new Set(functions.map((f) => f.roleName).filter((n): n is string => Boolean(n)))];
  if (roleNames.length !== 1)
    throw new Error(
      `${sYamlPath}: expected every function to name one role, found ${roleNames.length ? roleNames.join(', ') : 'none'}`,
    );
  const roleName = roleNames[0] as string;
  const target: RoleTarget = {
    accountId,
    regionId: region,
    roleName,
    policyName: roleName,
    functionNames: functions.map((f) => f.functionName),
  };
  const policy = renderPolicy(JSON.parse(readFileSync(POLICY_TEMPLATE, 'utf8')) as PolicyTemplate, target);
  const unpinned = unpinnedResources(policy, target);
  if (unpinned.length)
    throw new Error(`deploy/ram-policy.json: resources not pinned to ${region}/${accountId}: ${unpinned.join(', ')}`);
  const policyText = JSON.stringify(policy);
  const trustText = JSON.stringify(JSON.parse(readFileSync(TRUST_POLICY, 'utf8')));

  const admin = credentials ? (deps.ram ?? createRamAdmin)({ region, endpoint, credentials }) : undefined;
  const current = admin ? await admin.readState(roleName, target.policyName) : { attached: false };
  const steps = planRole(target, trustText, policyText, current);
  io.stdout(
    `RAM role for the functions, account ${accountId}, ${region}${endpoint ? ` (emulator ${endpoint})` : ''}${dryRun ? ', dry run' : ''}:\n`,
  );
  if (!admin) io.stdout('  (no credentials: planned against an empty account)\n');
  for (const step of steps) {
    if (!dryRun && admin) await admin.apply(step);
    io.stdout(`  ${describeRoleStep(step, dryRun)}\n`);
  }
  if (dryRun) io.stdout(`\nPolicy ${target.policyName}:\n${JSON.stringify(policy, null, 2)}\n\n`);
  io.stdout(`setup${dryRun ? ' (dry run)' : ''}: role ${summary(steps, dryRun)}\n\n`);

  if (!credentials) {
    io.stdout(
      'CloudMonitor alerting: needs credentials to read the contacts; run without --dry-run or with credentials to see its plan.\n',
    );
    if (noRecipients) io.stderr('warning: no alert recipient configured (--no-recipients): alarms will page nobody\n');
    return 0;
  }
  const status = await runBootstrap(
    [...(endpoint ? ['--endpoint', endpoint] : []), '--region', region, ...(dryRun ? ['--dry-run'] : [])],
    io,
    {
      ...deps,
      credentials,
      accountId,
    },
  );
  if (noRecipients) io.stderr('warning: no alert recipient configured (--no-recipients): alarms will page nobody\n');
  return status;
}

const ROLE_VERBS: Record<Exclude<RoleStep['action'], 'unchanged'>, [string, string, string]> = {
  'create-role': ['created', 'would create', 'role'],
  'update-trust': ['updated', 'would update', 'role trust'],
  'create-policy': ['created', 'would create', 'policy'],
  'new-policy-version': ['updated', 'would update', 'policy'],
  attach: ['attached', 'would attach', 'policy'],
};

export function describeRoleStep(step: RoleStep, dryRun: boolean): string {
  if (step.action === 'unchanged') return `${'unchanged'.padEnd(12)} ${step.kind.padEnd(13)} ${step.name}`;
  const [past, future, kind] = ROLE_VERBS[step.action];
  const detail =
    step.action === 'new-policy-version'
      ? ' (new default version)'
      : step.action === 'update-trust'
        ? ' (trust policy)'
        : '';
  return `${(dryRun ? future : past).padEnd(12)} ${kind.padEnd(13)} ${step.name}${detail}`;
}

function summary(steps: RoleStep[], dryRun: boolean): string {
  const changed = steps.filter((s) => s.action !== 'unchanged').length;
  if (!changed) return 'nothing to do';
  return `${changed} ${dryRun ? 'to change' : 'changed'}, ${steps.length - changed} unchanged`;
}

export const command: CliCommand = {
  name: 'setup',
  summary: 'create or update the function role and its policy, then the alert contacts and alarm rules (idempotent)',
  usage: 'setup [--endpoint HOST:PORT] [--region R] [--dry-run] [--no-recipients] [--s-yaml PATH]',
  options: OPTIONS,
  run: (argv, io) => runSetup(argv, io),
};

/** The former name, kept so existing scripts and s.yaml files keep working. */
export const bootstrapAlias: CliCommand = {
  ...command,
  name: 'bootstrap',
  summary: 'the same as setup (its former name)',
  usage: command.usage.replace(/^setup/, 'bootstrap'),
};
