/**
 * STS GetCallerIdentity (2015-04-01) via callApi. With explicit credentials it answers "whose key
 * is this?", which is how a probe checks that a RAM secret's AccessKey pair works.
 */
import * as z from 'zod/mini';
import type { Config } from '../../config-types';
import type { CallerIdentity, StsPort } from '../../ports/cloud';
import type { FcCredentials } from '../../ports/runtime';
import type { Caller } from './caller';
import { callRpc, parseReply } from './rpc';
import { credentialSource, OpenApiClient, openApiConfig } from './sdk';
import { optionalText, wireText } from './wire-values';

export const STS_VERSION = '2015-04-01';

const callerIdentityReply = z.object({
  AccountId: wireText,
  UserId: optionalText,
  Arn: optionalText,
  IdentityType: optionalText,
  PrincipalId: optionalText,
});

export class StsClient implements StsPort {
  constructor(
    private readonly config: Config,
    private readonly defaultClient: () => any,
    private readonly caller: Caller,
  ) {}

  async getCallerIdentity(credentials?: FcCredentials): Promise<CallerIdentity> {
    // A one-off client for a key under test: its credentials must not leak into the shared one.
    const client = credentials
      ? new OpenApiClient(openApiConfig(this.config, 'sts', credentialSource(credentials)))
      : this.defaultClient();
    const body = await this.caller.call('sts', 'GetCallerIdentity', () =>
      callRpc(client, 'GetCallerIdentity', STS_VERSION, {}),
    );
    const reply = parseReply(callerIdentityReply, body, 'sts', 'GetCallerIdentity');
    const identity: CallerIdentity = { accountId: reply.AccountId };
    if (reply.UserId) identity.userId = reply.UserId;
    if (reply.Arn) identity.arn = reply.Arn;
    if (reply.IdentityType) identity.identityType = reply.IdentityType;
    if (reply.PrincipalId) identity.principalId = reply.PrincipalId;
    return identity;
  }
}
