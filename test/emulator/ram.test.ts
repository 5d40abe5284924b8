import { describe, expect, it } from 'vitest';
import { emulatorFixture } from '../helpers/emulator';

const RAM = { version: '2015-05-01' };
const TRUST = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } }],
});
const doc = (actions: string[], resource = '*') =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });

describe('RAM 2015-05-01 (roles and custom policies)', () => {
  it('creates a role once, reads it back, and changes its trust policy', async () => {
    const { call, emulator } = emulatorFixture();
    const created = await call(
      'CreateRole',
      { RoleName: 'kro-orchestrator', AssumeRolePolicyDocument: TRUST, Description: 'd' },
      RAM,
    );
    expect(created.status).toBe(200);
    expect(created.body.Role).toMatchObject({
      RoleName: 'kro-orchestrator',
      Arn: `acs:ram::${emulator.accountId}:role/kro-orchestrator`,
      MaxSessionDuration: 3600,
    });
    expect(created.body.Role.CreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const again = await call('CreateRole', { RoleName: 'kro-orchestrator', AssumeRolePolicyDocument: TRUST }, RAM);
    expect([again.status, again.body.Code]).toEqual([409, 'EntityAlreadyExists.Role']);

    const other = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1:root'] } }],
    });
    expect(
      (await call('UpdateRole', { RoleName: 'kro-orchestrator', NewAssumeRolePolicyDocument: other }, RAM)).status,
    ).toBe(200);
    const read = await call('GetRole', { RoleName: 'kro-orchestrator' }, RAM);
    expect(read.body.Role.AssumeRolePolicyDocument).toBe(other);
    expect(emulator.ram.getRole('kro-orchestrator')?.assumeRolePolicyDocument).toBe(other);

    const missing = await call('GetRole', { RoleName: 'nobody' }, RAM);
    expect([missing.status, missing.body.Code]).toEqual([404, 'EntityNotExist.Role']);
    const bad = await call('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: '{"Version":"1"}' }, RAM);
    expect([bad.status, bad.body.Code]).toEqual([400, 'MalformedPolicyDocument']);
  });

  it('keeps at most five policy versions, switches the default, and refuses to delete it', async () => {
    const { call } = emulatorFixture();
    const created = await call('CreatePolicy', { PolicyName: 'kro-p', PolicyDocument: doc(['kms:ListSecrets']) }, RAM);
    expect(created.body.Policy).toMatchObject({ PolicyName: 'kro-p', PolicyType: 'Custom', DefaultVersion: 'v1' });
    for (let i = 2; i <= 5; i++) {
      const v = await call(
        'CreatePolicyVersion',
        { PolicyName: 'kro-p', PolicyDocument: doc([`kms:A${i}`]), SetAsDefault: String(i === 5) },
        RAM,
      );
      expect(v.body.PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 5 });
    }
    const sixth = await call('CreatePolicyVersion', { PolicyName: 'kro-p', PolicyDocument: doc(['kms:A6']) }, RAM);
    expect([sixth.status, sixth.body.Code]).toEqual([409, 'LimitExceeded.Policy.Version']);
    const rotated = await call(
      'CreatePolicyVersion',
      {
        PolicyName: 'kro-p',
        PolicyDocument: doc(['kms:A6']),
        SetAsDefault: 'true',
        RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
      },
      RAM,
    );
    expect(rotated.body.PolicyVersion.VersionId).toBe('v6');
    const list = await call('ListPolicyVersions', { PolicyName: 'kro-p', PolicyType: 'Custom' }, RAM);
    expect(list.body.PolicyVersions.PolicyVersion.map((v: { VersionId: string }) => v.VersionId)).toEqual([
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
    ]);

    const del = await call('DeletePolicyVersion', { PolicyName: 'kro-p', VersionId: 'v6' }, RAM);
    expect([del.status, del.body.Code]).toEqual([409, 'DeleteConflict.Policy.Version.Default']);
    expect((await call('DeletePolicyVersion', { PolicyName: 'kro-p', VersionId: 'v2' }, RAM)).status).toBe(200);
    const policy = await call('GetPolicy', { PolicyName: 'kro-p', PolicyType: 'Custom' }, RAM);
    expect(policy.body.Policy.DefaultVersion).toBe('v6');
    expect(JSON.parse(policy.body.DefaultPolicyVersion.PolicyDocument).Statement[0].Action).toEqual(['kms:A6']);
    const v3 = await call('GetPolicyVersion', { PolicyName: 'kro-p', PolicyType: 'Custom', VersionId: 'v3' }, RAM);
    expect(v3.body.PolicyVersion).toMatchObject({ VersionId: 'v3', IsDefaultVersion: false });
    const none = await call('GetPolicy', { PolicyName: 'nope', PolicyType: 'Custom' }, RAM);
    expect([none.status, none.body.Code]).toEqual([404, 'EntityNotExist.Policy']);
  });

  it("enforces what is attached to the role on the role's STS sessions, and follows a new default version", async () => {
    const { call, emulator } = emulatorFixture();
    await call('CreateRole', { RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST }, RAM);
    const session = emulator.auth.issueStsToken({ roleName: 'fn-role' });
    const listAs = () => call('ListSecrets', {}, { key: session });
    // A role with nothing attached may do nothing.
    expect((await listAs()).body.Code).toBe('Forbidden.NoPermission');

    await call('CreatePolicy', { PolicyName: 'fn-policy', PolicyDocument: doc(['kms:ListSecrets']) }, RAM);
    expect(
      (await call('AttachPolicyToRole', { PolicyType: 'Custom', PolicyName: 'fn-policy', RoleName: 'fn-role' }, RAM))
        .status,
    ).toBe(200);
    expect((await listAs()).status).toBe(200);
    const twice = await call(
      'AttachPolicyToRole',
      { PolicyType: 'Custom', PolicyName: 'fn-policy', RoleName: 'fn-role' },
      RAM,
    );
    expect([twice.status, twice.body.Code]).toEqual([409, 'EntityAlreadyExists.Role.Policy']);
    const attached = await call('ListPoliciesForRole', { RoleName: 'fn-role' }, RAM);
    expect(attached.body.Policies.Policy).toEqual([
      expect.objectContaining({ PolicyName: 'fn-policy', PolicyType: 'Custom', DefaultVersion: 'v1' }),
    ]);

    await call(
      'CreatePolicyVersion',
      { PolicyName: 'fn-policy', PolicyDocument: doc(['kms:DescribeSecret']), SetAsDefault: 'true' },
      RAM,
    );
    expect((await listAs()).body.Code).toBe('Forbidden.NoPermission');
    await call('SetDefaultPolicyVersion', { PolicyName: 'fn-policy', VersionId: 'v1' }, RAM);
    expect((await listAs()).status).toBe(200);

    const system = await call(
      'AttachPolicyToRole',
      { PolicyType: 'System', PolicyName: 'AliyunKMSFullAccess', RoleName: 'fn-role' },
      RAM,
    );
    expect(system.status).toBe(404);
  });
});

describe('Function Compute and the role trust policy', () => {
  it('runs a function as a RAM role only while its trust policy names fc.aliyuncs.com', async () => {
    const { call, emulator } = emulatorFixture();
    await call('CreateRole', { RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST }, RAM);
    let seen: string | undefined;
    emulator.fc.register({
      name: 'probe',
      timeoutSeconds: 5,
      roleName: 'fn-role',
      handler: async (_event, context) => {
        seen = context.credentials.accessKeyId;
        return 'ok';
      },
    });
    expect((await emulator.fc.invoke('probe', Buffer.from('{}'))).error).toBeUndefined();
    expect(seen).toMatch(/^STS\./);

    const untrusted = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }],
    });
    await call('UpdateRole', { RoleName: 'fn-role', NewAssumeRolePolicyDocument: untrusted }, RAM);
    emulator.fc.register({ name: 'probe2', timeoutSeconds: 5, roleName: 'fn-role', handler: async () => 'ok' });
    expect((await emulator.fc.invoke('probe2', Buffer.from('{}'))).error).toMatch(/does not name fc\.aliyuncs\.com/);
  });
});
