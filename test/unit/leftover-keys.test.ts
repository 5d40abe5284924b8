import { describe, expect, it } from 'vitest';
import { withLeftoverKeys } from '../../shared/domain/checks';
import { redactValue } from '../../shared/domain/redact';
import type { Finding } from '../../shared/domain/types';
import { CloudError } from '../../shared/errors';
import { leftoverKeys, leftoverKeysOnce } from '../../shared/readiness/leftover-keys';
import { findingText } from '../../shared/report/finding-text';

const deletion: Finding = {
  checkId: 'deletion-scheduled',
  severity: 'warning',
  secretName: 'acs/ram/user/svc',
  summary: 'acs/ram/user/svc is scheduled for deletion.',
  evidence: { plannedDeleteTime: '2026-03-09T00:00:00.000Z' },
  runbook: 'Restore it if this is a mistake',
  remediable: false,
};
const ram = { secretName: 'acs/ram/user/svc', secretType: 'RAMCredentials', extendedConfig: { UserName: 'svc' } };
const denied = (action: string) =>
  new CloudError({ code: 'Forbidden.NoPermission', message: 'denied', product: 'ram', action, retryable: false });

describe('the key a deleted RAM secret leaves behind', () => {
  it('keeps the AccessKey ids readable through the alert redaction, and the report sentence names them', () => {
    const f = withLeftoverKeys(deletion, {
      userName: 'svc',
      keys: [
        { accessKeyId: 'LTAI5tAbCdEfGhIjKlMnOpQr', lastUsed: '2026-03-01T00:00:00.000Z' },
        { accessKeyId: 'LTAI5tZyXwVuTsRqPoNmLkJi', lastUsed: 'never' },
      ],
    });
    expect(redactValue(f.evidence)).toMatchObject({
      ramUserName: 'svc',
      leftoverAccessKeys:
        'LTAI5tAbCdEfGhIjKlMnOpQr last used 2026-03-01T00:00:00.000Z; LTAI5tZyXwVuTsRqPoNmLkJi last used never',
    });
    expect(f.summary).toContain('AccessKey LTAI5tAbCdEfGhIjKlMnOpQr, LTAI5tZyXwVuTsRqPoNmLkJi stay active');
    expect(findingText({ ...f }, Date.parse('2026-03-02T00:00:00Z'))).toContain(
      'RAM user svc keeps its AccessKeys: LTAI5tAbCdEfGhIjKlMnOpQr last used',
    );
    expect(withLeftoverKeys({ ...deletion, checkId: 'rotation-failed' }, { userName: 'svc', keys: [] })).toEqual({
      ...deletion,
      checkId: 'rotation-failed',
    });
  });

  it('says "not checked" with the code when ListAccessKeys is denied, and per key when only GetAccessKeyLastUsed is', async () => {
    const none = await leftoverKeys(
      {
        ramAccessKeys: () => Promise.reject(denied('ListAccessKeys')),
        accessKeyLastUsed: () => Promise.resolve(null),
      },
      ram,
    );
    expect(none).toEqual({ userName: 'svc', keys: [], notChecked: 'Forbidden.NoPermission' });
    expect(withLeftoverKeys(deletion, none!).evidence.leftoverAccessKeys).toBe('not checked (Forbidden.NoPermission)');
    const partly = await leftoverKeys(
      {
        ramAccessKeys: () => Promise.resolve(['LTAI5tAbCdEfGhIjKlMnOpQr']),
        accessKeyLastUsed: () => Promise.reject(denied('GetAccessKeyLastUsed')),
      },
      ram,
    );
    expect(partly?.keys).toEqual([
      { accessKeyId: 'LTAI5tAbCdEfGhIjKlMnOpQr', lastUsed: 'not checked (Forbidden.NoPermission)' },
    ]);
    expect(
      await leftoverKeys(
        { ramAccessKeys: () => Promise.resolve([]), accessKeyLastUsed: () => Promise.resolve(null) },
        { ...ram, secretType: 'Rds' },
      ),
    ).toBeUndefined();
  });

  it('reads once a day per secret and planned deletion', async () => {
    let calls = 0;
    const reads = {
      ramAccessKeys: () => (calls++, Promise.resolve(['LTAI5tAbCdEfGhIjKlMnOpQr'])),
      accessKeyLastUsed: () => Promise.resolve(null),
    };
    const secret = { ...ram, secretName: 'acs/ram/user/memo', plannedDeleteTime: 1 };
    await leftoverKeysOnce(reads, secret, 0);
    await leftoverKeysOnce(reads, secret, 3_600_000);
    expect(calls).toBe(1);
    await leftoverKeysOnce(reads, secret, 86_400_000);
    expect(calls).toBe(2);
    await leftoverKeysOnce(reads, { ...secret, plannedDeleteTime: 2 }, 86_400_000);
    expect(calls).toBe(3);
  });
});
