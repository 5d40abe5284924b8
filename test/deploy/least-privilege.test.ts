import { describe, expect, it } from 'vitest';
import { simulateDemo } from '../../cli/commands/demo';
import type { Emulator } from '../../emulator/emulator';
import { readPolicy } from '../../emulator/runtime';
import type { PolicyDocument } from '../../emulator/services/contracts';

// The demo fleet exercises every path of the product (sweeps, events, remediation, probes, alerts,
// deletion look-ups) within a few simulated days, so it is the scenario the policy is judged by.
const NO_SERVERS = { postgresql: false, mysql: false, redis: false };
/**
 * Used by Function Compute on the role's behalf, not by the code: shipping the functions' log lines
 * to SLS (s.yaml logConfig). The emulator keeps the lines itself, so the demo cannot show the use.
 */
const PLATFORM_ACTIONS = ['log:PostLogStoreLogs'];
const DAYS = 3;

function actionsOf(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

function without(policy: PolicyDocument, action: string): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Action: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== action),
    })).filter((s) => s.Action.length > 0),
  };
}

async function callsOfTheRole(policy: PolicyDocument): Promise<{ used: Set<string>; denied: Set<string> }> {
  let emulator: Emulator | undefined;
  await simulateDemo({
    days: DAYS,
    sweepMinutes: 360,
    servers: NO_SERVERS,
    policy,
    onDay: (_day, e) => (emulator = e),
  });
  // Only the functions' role: the bootstrap runs with the deployer's own key, as in a real deploy.
  const calls = (emulator as Emulator).callLog().filter((c) => c.principal?.startsWith('assumed-role/'));
  // RAM names Redis actions `kvstore:*` (the API product is r-kvstore), as the emulator's check does.
  const name = (c: { product: string; action: string }) =>
    `${c.product === 'r-kvstore' ? 'kvstore' : c.product}:${c.action}`;
  // A call may need more than its own action (GetSecretValue on a CMK-encrypted secret also needs
  // kms:Decrypt on the key): the call log names what it used and what the policy refused.
  return {
    used: new Set(
      calls.filter((c) => c.code !== 'Forbidden.NoPermission').flatMap((c) => [name(c), ...(c.implied ?? [])]),
    ),
    denied: new Set(calls.filter((c) => c.code === 'Forbidden.NoPermission').map((c) => c.denied ?? name(c))),
  };
}

describe('the RAM policy in deploy/ram-policy.json', () => {
  const policy = readPolicy();
  const actions = actionsOf(policy).filter((a) => !PLATFORM_ACTIONS.includes(a));

  it('grants kms:Decrypt on keys only, since reading a CMK-encrypted secret needs it', () => {
    const decrypt = policy.Statement.filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('kms:Decrypt'),
    );
    expect(decrypt.map((s) => [s.Effect, s.Resource])).toEqual([['Allow', 'acs:kms:*:*:key/*']]);
  });

  it(
    'lets the demo run without a single denied call, and every action it grants is used',
    { timeout: 120_000 },
    async () => {
      const { used, denied } = await callsOfTheRole(policy);
      expect([...denied]).toEqual([]);
      expect(actions.filter((a) => !used.has(a))).toEqual([]);
    },
  );

  it.each(actions)('without %s, the demo is denied that action', { timeout: 120_000 }, async (action) => {
    const { denied } = await callsOfTheRole(without(policy, action));
    expect([...denied]).toEqual([action]);
  });
});
