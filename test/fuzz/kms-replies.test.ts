/**
 * Fuzzing the KMS client's reply parsing: whatever a server (or a proxy in front of it) answers,
 * the client resolves with a typed value or rejects with a CloudError whose code says what went
 * wrong; never a TypeError from deep inside the SDK, and never a secret value in the message.
 * Replies are served over real HTTP on 127.0.0.1, so the SDK's own parsing is fuzzed too.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeSecretReply,
  getSecretValueReply,
  listSecretsReply,
  rotateSecretReply,
} from '../../shared/adapters/alibaba/kms-models';
import { parseReply } from '../../shared/adapters/alibaba/rpc';
import { CloudError } from '../../shared/errors';
import { clientsFor, startLoopbackServer, type LoopbackServer, type ScriptedReply } from '../helpers/loopback-server';

const MARKER = 'Xy7SecretValueMarker';
/** What the server said (a service code, an HTTP status, an SDK.* code): printable, no object dump. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

// Field names and shapes of the real replies, so the generator gets past the first check. Code is
// left to errorBody: a non-string Code is the known gap tested (as failing) at the end.
const field = fc.constantFrom(
  'RequestId',
  'SecretName',
  'SecretType',
  'Arn',
  'CreateTime',
  'UpdateTime',
  'AutomaticRotation',
  'RotationInterval',
  'LastRotationDate',
  'NextRotationDate',
  'ExtendedConfig',
  'Tags',
  'SecretList',
  'TotalCount',
  'PageNumber',
  'PageSize',
  'SecretData',
  'SecretDataType',
  'VersionId',
  'VersionStages',
  'Message',
  'HttpStatus',
  'PlannedDeleteTime',
);
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('2026-01-01T00:00:00Z', 'Enabled', 'Invalid', '604800s', '7d'),
);
const tagList = fc.record(
  { Tag: fc.array(fc.record({ TagKey: scalar, TagValue: scalar }, { requiredKeys: [] }), { maxLength: 3 }) },
  { requiredKeys: [] },
);
// A value sits only where a value belongs (SecretData); ids and codes may be quoted in messages.
const secretData = fc.constantFrom(MARKER, `{"AccountPassword":"${MARKER}"}`, { AccountPassword: MARKER }, [MARKER]);
const replyObject = fc
  .tuple(
    fc.dictionary(
      field,
      fc.oneof(
        scalar,
        tagList,
        fc.record({
          Secret: fc.array(fc.dictionary(field, fc.oneof(scalar, tagList), { maxKeys: 6 }), { maxLength: 3 }),
        }),
        fc.jsonValue(),
      ),
      { maxKeys: 10 },
    ),
    fc.option(secretData, { nil: undefined }),
  )
  .map(([body, value]) => (value === undefined ? body : { ...body, SecretData: value }));
// Error envelopes as services and gateways write them: Code a string or a number.
const errorBody = fc.record(
  {
    Code: fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z.]{0,20}$/), fc.integer({ min: 0, max: 600 })),
    Message: fc.oneof(scalar, fc.constant('Specified parameter is not valid.')),
    RequestId: scalar,
    HttpStatus: fc.integer({ min: 100, max: 600 }),
  },
  { requiredKeys: ['Code'] },
);
const reply: fc.Arbitrary<ScriptedReply> = fc.record({
  status: fc.constantFrom(200, 200, 200, 400, 403, 404, 429, 500, 502, 503),
  body: fc.oneof(
    replyObject,
    errorBody,
    fc.jsonValue(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', '<html>Bad Gateway</html>', '{"Code":', 'null', '[]', `{"SecretData":"${MARKER}"`),
  ),
});

function expectCloudError(error: unknown): void {
  if (!(error instanceof CloudError)) throw error;
  expect(error.code).toMatch(CODE);
  expect(error.message).not.toContain(MARKER);
}

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());

describe('fuzzing the KMS client replies', () => {
  it('validates any body against the reply models with only a CloudError InvalidResponse', () => {
    const models = [describeSecretReply, listSecretsReply, getSecretValueReply, rotateSecretReply];
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3),
        fc.oneof(replyObject, fc.dictionary(fc.string(), fc.jsonValue())),
        (model, body) => {
          try {
            parseReply(models[model]!, body, 'kms', 'DescribeSecret');
          } catch (error) {
            expectCloudError(error);
            expect((error as CloudError).code).toBe('InvalidResponse');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('answers any HTTP reply with a typed value or a CloudError naming a code', async () => {
    const { clients } = clientsFor(server, {}, { maxAttempts: 2 });
    const calls = [
      () => clients.kms.describeSecret('db', { fetchTags: true }),
      () => clients.kms.listSecretsPage(1, { fetchTags: true, pageSize: 10 }),
      () => clients.kms.getSecretValue('db'),
      () => clients.kms.rotateSecret('db', 'kro-0123456789-a1'),
    ];
    await fc.assert(
      fc.asyncProperty(reply, fc.nat({ max: calls.length - 1 }), async (scripted, which) => {
        server.setFallback(() => scripted);
        try {
          const value = await calls[which]!();
          expect(value).toBeTypeOf('object');
        } catch (error) {
          expectCloudError(error);
        }
      }),
      { numRuns: 250 },
    );
  });

  // openapi-core stringifies a non-string Code, so `{"Code":{}}` would become "[object Object]".
  it('turns an error envelope whose Code is not a string into a clear code', async () => {
    const { clients } = clientsFor(server, {}, { maxAttempts: 1 });
    server.setFallback(() => ({ status: 400, body: { Code: {}, Message: 'odd gateway' } }));
    const error = await clients.kms.describeSecret('db').catch((e: unknown) => e);
    expectCloudError(error);
  });
});
