import { afterEach, describe, expect, it } from 'vitest';
import { simulateDemo } from '../../cli/commands/demo';
import { runSetup } from '../../cli/commands/setup';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import type { PolicyDocument } from '../../emulator/services/contracts';
import { recordingIo } from '../cli/cli-io';

const ENV = { KRO_ALERT_MAIL: 'secops@example.com' };
const ROLE = 'kro-orchestrator';
const FUNCTIONS = ['kro-sweep', 'kro-on-event', 'kro-remediate'];

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: { accountId?: string; regionId?: string } = {}): Promise<string> {
  emulator = createEmulator({ now: '2026-11-22T00:00:00Z', quotas: false, ...options });
  return `127.0.0.1:${(await emulator.listen({ port: 0 })).port}`;
}

async function setup(endpoint: string | undefined, extra: string[] = [], env: Record<string, string> = ENV) {
  const { io, stdout, stderr } = recordingIo({ env });
  const status = await runSetup([...(endpoint ? ['--endpoint', endpoint] : []), ...extra], io);
  return { status, stdout: stdout(), stderr: stderr() };
}

const ramWrites = (e: Emulator, from = 0) =>
  e
    .callLog()
    .slice(from)
    .filter((c) => c.product === 'ram' && !/^(Get|List)/.test(c.action))
    .map((c) => c.action);

function resourcesOf(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((s) =>
    s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource],
  );
}

describe('kro setup against the emulator', () => {
  it('creates the role, its policy for this account and region only, and the alerting; a second run changes nothing', async () => {
    const endpoint = await start({ accountId: '5555666677778888', regionId: 'cn-shanghai' });
    const e = emulator as Emulator;
    const first = await setup(endpoint, ['--region', 'cn-shanghai']);
    expect(first.stderr).not.toMatch(/nobody|error/i);
    expect(first.status).toBe(0);
    expect(ramWrites(e)).toEqual(['CreateRole', 'CreatePolicy', 'AttachPolicyToRole']);
    expect(first.stdout).toMatch(/created +role +kro-orchestrator/);

    const role = e.ram.getRole(ROLE);
    expect(JSON.parse(role?.assumeRolePolicyDocument ?? '{}').Statement[0].Principal.Service).toEqual([
      'fc.aliyuncs.com',
    ]);
    const policy = e.ram.rolePolicy(ROLE) as PolicyDocument;
    const resources = resourcesOf(policy);
    for (const resource of resources.filter((r) => r !== '*'))
      expect(resource).toMatch(/^acs:[a-z]+:cn-shanghai:5555666677778888:/);
    expect(resources).toContain('acs:kms:cn-shanghai:5555666677778888:secret/*');
    const fcResources = policy.Statement.filter((s) => [s.Action].flat().includes('fc:InvokeFunction')).flatMap((s) =>
      [s.Resource].flat(),
    );
    expect(fcResources.sort()).toEqual(
      FUNCTIONS.map((f) => `acs:fc:cn-shanghai:5555666677778888:functions/${f}`).sort(),
    );
    expect(e.cms.rules().length).toBeGreaterThan(0);

    const mark = e.callLog().length;
    const rulesBefore = e.cms.rules();
    const second = await setup(endpoint, ['--region', 'cn-shanghai']);
    expect(second.status).toBe(0);
    expect(ramWrites(e, mark)).toEqual([]);
    expect(second.stdout).toMatch(/setup: role nothing to do/);
    expect(e.cms.rules()).toEqual(rulesBefore);
    expect(e.ram.rolePolicy(ROLE)).toEqual(policy);
  });

  it('repairs a drifted policy with a new default version and a drifted trust policy', async () => {
    const endpoint = await start();
    const e = emulator as Emulator;
    await setup(endpoint);
    // Someone widened the policy and the trust by hand.
    const wide = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
    const stored = e.ram.store.policies.get(ROLE);
    if (!stored) throw new Error('setup created no policy');
    stored.versions.push({ versionId: 'v2', document: wide, createDate: '2026-11-22T00:00:00Z' });
    Object.assign(stored, { defaultVersion: 'v2', nextVersion: 3 });
    (e.ram.store.roles.get(ROLE) as { assumeRolePolicyDocument: string }).assumeRolePolicyDocument = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1:root'] } }],
    });
    const mark = e.callLog().length;
    const run = await setup(endpoint);
    expect(run.status).toBe(0);
    expect(ramWrites(e, mark)).toEqual(['UpdateRole', 'CreatePolicyVersion']);
    expect(resourcesOf(e.ram.rolePolicy(ROLE) as PolicyDocument)).not.toContain('*:*');
    expect([e.ram.rolePolicy(ROLE)?.Statement].flat().some((s) => [s?.Action].flat().includes('kms:*'))).toBe(false);
  });

  it('refuses to finish, changing nothing, when no one would be paged, unless --no-recipients', async () => {
    const endpoint = await start();
    const e = emulator as Emulator;
    const refused = await setup(endpoint, [], {});
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/no alert recipient configured: set KRO_ALERT_MAIL/);
    expect(e.callLog().filter((c) => c.product === 'ram' || c.product === 'cms')).toEqual([]);

    const allowed = await setup(endpoint, ['--no-recipients'], {});
    expect(allowed.status).toBe(0);
    expect(allowed.stderr).toMatch(/alarms will page nobody/);
    expect(e.ram.getRole(ROLE)).toBeDefined();
  });

  it('prints the plan and the rendered policy with --dry-run, without credentials or any call', async () => {
    const run = await setup(undefined, ['--dry-run', '--region', 'eu-central-1'], {
      ...ENV,
      AccountID: '1111222233334444',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/would create +role +kro-orchestrator/);
    expect(run.stdout).toContain('"acs:kms:eu-central-1:1111222233334444:secret/*"');
    expect(run.stdout).toContain('"acs:fc:eu-central-1:1111222233334444:functions/kro-remediate"');
    expect(run.stdout).not.toContain('*:*');
  });

  it('the demo under the policy setup created is never denied', { timeout: 120_000 }, async () => {
    const endpoint = await start();
    await setup(endpoint);
    const policy = (emulator as Emulator).ram.rolePolicy(ROLE) as PolicyDocument;
    let demo: Emulator | undefined;
    await simulateDemo({
      days: 3,
      sweepMinutes: 360,
      servers: { postgresql: false, mysql: false, redis: false },
      policy,
      onDay: (_d, e) => (demo = e),
    });
    const calls = (demo as Emulator).callLog().filter((c) => c.principal?.startsWith('assumed-role/'));
    expect(calls.length).toBeGreaterThan(100);
    expect(calls.filter((c) => c.code === 'Forbidden.NoPermission').map((c) => `${c.product}:${c.action}`)).toEqual([]);
  });
});
