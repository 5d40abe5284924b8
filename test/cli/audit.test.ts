import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/emulator';
import { runAudit, exitStatusFor } from '../../cli/commands/audit';
import type { CliIo } from '../../cli/types';
import { runCli } from '../../cli/main';
import type { FaultSpec } from '../../emulator/types';

const NOW = '2026-03-01T00:00:00Z';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString().replace('.000Z', 'Z');
const password = 'Audit-known-value-7d1e';

/** A seeded account: one healthy secret of each family, plus one secret per problem the audit must name. */
function seed() {
  const rds = (name: string, sub: string, extra: Record<string, unknown> = {}) => ({
    SecretName: name,
    SecretType: 'Rds',
    SecretData: JSON.stringify({ Accounts: [{ AccountName: 'app', AccountPassword: password }] }),
    ExtendedConfig: { SecretSubType: sub, DBInstanceId: `rm-${name.replace(/\W/g, '')}` },
    EnableAutomaticRotation: true,
    RotationInterval: '14d',
    LastRotationDate: ago(3),
    Tags: { env: 'prod' },
    ...extra,
  });
  return {
    AccountId: '1234567890123456',
    RegionId: 'cn-hangzhou',
    Now: NOW,
    Secrets: [
      rds('prod/healthy-db', 'DoubleUsers'),
      { SecretName: 'prod/fresh-token', SecretType: 'Generic', SecretData: password, Tags: { env: 'prod' } },
      rds('prod/single-db', 'SingleUser'),
      rds('prod/no-rotation-db', 'DoubleUsers', { EnableAutomaticRotation: false, RotationInterval: undefined }),
      rds('prod/slow-db', 'DoubleUsers', { RotationInterval: '90d' }),
      rds('prod/leaving-db', 'DoubleUsers', { PlannedDeleteTime: new Date(Date.parse(NOW) + 10 * DAY).toISOString() }),
      {
        SecretName: 'prod/old-token',
        SecretType: 'Generic',
        SecretData: password,
        CreateTime: ago(200),
        Tags: { env: 'prod' },
      },
    ],
  };
}

const EXPECTED = [
  ['single-user-rds', 'prod/single-db'],
  ['rotation-disabled', 'prod/no-rotation-db'],
  ['interval-out-of-policy', 'prod/slow-db'],
  ['deletion-scheduled', 'prod/leaving-db'],
  ['generic-stale', 'prod/old-token'],
];

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: {} };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function seededEndpoint(faults: FaultSpec[] = []): Promise<string> {
  const emulator = createEmulator({ seed: { ...seed(), Faults: faults } });
  const server = await emulator.listen({ port: 0 });
  close = () => server.close();
  return `127.0.0.1:${server.port}`;
}

describe('kro audit', () => {
  it('lists exactly the seeded problems as JSON, and no secret value', async () => {
    const endpoint = await seededEndpoint();
    const io = captureIo();
    const status = await runAudit(['--endpoint', endpoint, '--json', '--fail-on', 'never'], io);
    expect(status).toBe(0);
    expect(io.out).toHaveLength(1);
    const doc = JSON.parse(io.out[0]!);
    const found = doc.findings.map((f: { checkId: string; secretName: string }) => [f.checkId, f.secretName]);
    expect(found.sort()).toEqual([...EXPECTED].sort());
    for (const f of doc.findings)
      expect(f).toEqual(expect.objectContaining({ severity: 'warning', evidence: expect.any(Object) }));
    expect(doc.secrets).toBe(7);
    expect(io.out.join('') + io.err.join('')).not.toContain(password);
  });

  it('exits 1 on warnings with --fail-on warning, and 0 with the default (critical)', async () => {
    const endpoint = await seededEndpoint();
    expect(await runAudit(['--endpoint', endpoint, '--json', '--fail-on', 'warning'], captureIo())).toBe(1);
    expect(await runAudit(['--endpoint', endpoint, '--json'], captureIo())).toBe(0);
  });

  it('prints a findings table and writes the HTML report', async () => {
    const endpoint = await seededEndpoint();
    const io = captureIo();
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/kro-audit-`)}/audit.html`;
    await runAudit(['--endpoint', endpoint, '--report', file], io);
    const text = io.out.join('');
    expect(text).toMatch(/SEVERITY\s+CHECK\s+SECRET\s+SUMMARY/);
    expect(text).toContain('prod/slow-db');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('aria-label="Per-secret timeline"');
    expect(html).not.toContain(password);
  });

  const denied = (secretName?: string): FaultSpec => ({
    Kind: 'ApiError',
    Product: 'kms',
    Action: 'DescribeSecret',
    ...(secretName ? { SecretName: secretName } : {}),
    ErrorCode: 'Forbidden.NoPermission',
    HttpStatus: 403,
  });

  it('exits 3 and names the secrets it could not read, even when the rest has findings', async () => {
    const endpoint = await seededEndpoint([denied('prod/healthy-db'), denied('prod/slow-db')]);
    const io = captureIo();
    expect(await runAudit(['--endpoint', endpoint, '--fail-on', 'warning'], io)).toBe(3);
    expect(io.out.join('')).toContain('Audited 5 of 7 secrets');
    expect(io.err.join('')).toContain('could not read prod/healthy-db: Forbidden.NoPermission');
    expect(io.err.join('')).toContain('could not read prod/slow-db: Forbidden.NoPermission');
    expect(io.out.join('')).not.toContain('prod/slow-db');
  });

  it('never says "No findings" for secrets it did not read', async () => {
    const endpoint = await seededEndpoint([denied()]);
    const io = captureIo();
    expect(await runAudit(['--endpoint', endpoint], io)).toBe(3);
    const text = io.out.join('');
    expect(text).not.toContain('No findings.');
    expect(text).toContain('Audited 0 of 7 secrets');
    expect(io.err.join('').match(/could not read /g)).toHaveLength(7);

    const json = captureIo();
    expect(await runAudit(['--endpoint', endpoint, '--json', '--fail-on', 'never'], json)).toBe(3);
    const doc = JSON.parse(json.out.join(''));
    expect(doc).toMatchObject({ secrets: 0, listed: 7 });
    expect(doc.unreadable).toHaveLength(7);
  });

  it('exits 3 when the listing itself is refused, naming the cause', async () => {
    const endpoint = await seededEndpoint([{ ...denied(), Action: 'ListSecrets' }]);
    const io = captureIo();
    expect(await runAudit(['--endpoint', endpoint], io)).toBe(3);
    expect(io.err.join('')).toMatch(/could not assess emulator .*Forbidden\.NoPermission/);
    expect(io.out.join('')).toBe('');
  });

  it('exits 3 when the report cannot be written, after printing what it found', async () => {
    const endpoint = await seededEndpoint();
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/kro-audit-`);
    writeFileSync(`${dir}/a-file`, '');
    const io = captureIo();
    expect(await runAudit(['--endpoint', endpoint, '--report', `${dir}/a-file/audit.html`], io)).toBe(3);
    expect(io.out.join('')).toContain('prod/slow-db');
    expect(io.err.join('')).toMatch(/could not write the report/);
  });

  it('exits 2 on a usage error', async () => {
    const io = captureIo();
    expect(await runCli(['audit', '--fail-on', 'sometimes'], io)).toBe(2);
  });

  it('shows readiness per secret: a stopped instance is at risk, a policy admitting * is broad, shared KMS has no policy', async () => {
    const base = seed();
    const policy = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Principal: { RAM: ['*'] }, Action: ['kms:GetSecretValue'], Resource: ['*'] }],
    });
    const emulator = createEmulator({
      seed: {
        ...base,
        Targets: { RdsInstances: [{ DBInstanceId: 'rm-prodstoppeddb', DBInstanceStatus: 'Stopped' }] },
        Secrets: [
          ...base.Secrets,
          {
            ...base.Secrets[0],
            SecretName: 'prod/stopped-db',
            ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-prodstoppeddb' },
          },
          {
            SecretName: 'prod/open-token',
            SecretData: 'x',
            DKMSInstanceId: 'kst-1',
            Policy: policy,
            Tags: { env: 'prod' },
          },
        ],
      },
    });
    const server = await emulator.listen({ port: 0 });
    close = () => server.close();
    const endpoint = `127.0.0.1:${server.port}`;
    const io = captureIo();
    await runAudit(['--endpoint', endpoint, '--json', '--fail-on', 'never'], io);
    const doc = JSON.parse(io.out[0]!);
    const found = doc.findings.map((f: { checkId: string; secretName: string }) => [f.checkId, f.secretName]);
    expect(found).toContainEqual(['rotation-at-risk', 'prod/stopped-db']);
    expect(found).toContainEqual(['secret-policy-broad', 'prod/open-token']);
    expect(found.filter(([, n]: string[]) => n === 'prod/healthy-db')).toEqual([]);
    const row = (name: string) => doc.readiness.find((r: { secretName: string }) => r.secretName === name);
    expect(row('prod/stopped-db')).toMatchObject({
      status: 'at risk',
      details: ['instance-not-running: rds-instance rm-prodstoppeddb (Stopped)'],
    });
    expect(row('prod/healthy-db')).toMatchObject({ status: 'ok', policy: 'no secret policy' });
    expect(row('prod/open-token')).toMatchObject({ status: 'nothing to check', policy: '*', broadPolicy: true });

    const text = captureIo();
    await runAudit(['--endpoint', endpoint, '--fail-on', 'never'], text);
    expect(text.out.join('')).toContain('Readiness of the next rotation');
    expect(text.out.join('')).toMatch(/prod\/stopped-db\s+at risk: instance-not-running/);
  });

  it('refuses an unknown --fail-on level', async () => {
    await expect(runAudit(['--fail-on', 'sometimes'], captureIo())).rejects.toThrow(/critical, warning or never/);
  });
});

describe('exitStatusFor', () => {
  const warning = { severity: 'warning' as const };
  const critical = { severity: 'critical' as const };
  it('fails on critical findings only by default level critical', () => {
    expect(exitStatusFor([warning], 'critical')).toBe(0);
    expect(exitStatusFor([warning, critical], 'critical')).toBe(1);
  });
  it('fails on any finding with warning, and never with never', () => {
    expect(exitStatusFor([warning], 'warning')).toBe(1);
    expect(exitStatusFor([critical], 'never')).toBe(0);
    expect(exitStatusFor([], 'warning')).toBe(0);
  });
});
