/** The emulator's call log keeps no credential: not a DingTalk webhook's access_token, nor any credential-bearing parameter. */
import { describe, expect, it } from 'vitest';
import { redactParams } from '../../emulator/protocol/call-log';
import { emulatorFixture, VERSIONS } from '../helpers/emulator';

const TOKEN = '4f9c2b7e81d34a6f9e0b5c3d2a1f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f';
const WEBHOOK = `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`;

describe('the emulator call log', () => {
  it('keeps the DingTalk webhook host but not its access_token', async () => {
    const { emulator, call } = emulatorFixture();
    const reply = await call(
      'PutContact',
      { ContactName: 'kro-dingtalk', Describe: 'robot', 'Channels.DingWebHook': WEBHOOK },
      { version: VERSIONS.cms },
    );
    expect(reply.status).toBe(200);
    const [entry] = emulator.callLog();
    expect(entry?.params['Channels.DingWebHook']).toBe('https://oapi.dingtalk.com/robot/send?access_token=[REDACTED]');
    expect(JSON.stringify(emulator.callLog())).not.toContain(TOKEN);
  });

  it('drops credential-named parameters and credentials quoted inside free text, and keeps identifiers', () => {
    const params = redactParams({
      SecretName: 'prod/orders',
      VersionId: 'kro-0123456789-a1',
      NextToken: 'page-2',
      SecretData: 'Xk9#mQ2$vL7pRw4!',
      AccountPassword: 'Xk9#mQ2$vL7pRw4!',
      SecurityToken: 'CAIS-sts-token',
      Description: 'migrated from mysql://orders:Xk9#mQ2$vL7pRw4!@rm-bp1:3306/db',
      'EventInfo.1.Content': '{"lastErrorMessage":"密码: Xk9#mQ2$vL7pRw4!"}',
    });
    expect(params).toEqual({
      SecretName: 'prod/orders',
      VersionId: 'kro-0123456789-a1',
      NextToken: 'page-2',
      SecretData: '[REDACTED]',
      AccountPassword: '[REDACTED]',
      SecurityToken: '[REDACTED]',
      Description: 'migrated from mysql://[REDACTED]@rm-bp1:3306/db',
      'EventInfo.1.Content': '{"lastErrorMessage":"密码: [REDACTED]"}',
    });
  });
});
