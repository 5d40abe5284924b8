import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/emulator';
import { runAudit, exitStatusFor } from '../../cli/commands/audit';
import type { CliIo } from '../../cli/types';

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

async function seededEndpoint(): Promise<string> {
  const emulator = createEmulator({ seed: seed() });
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
