/**
 * The documented tag rules (emulator/services/kms/tag-rules.ts; CreateSecret `Tags`, SDK3
 * kms-20160120/src/models/CreateSecretRequest.ts), on every path that writes tags: CreateSecret,
 * TagResource, TagResources, and the seed. Rows of emulator/CONFORMANCE.md point here.
 */
import { describe, expect, it } from 'vitest';
import { tagProblem } from '../../emulator/services/kms/tag-rules';
import { emulatorFixture } from '../helpers/emulator';

const NOW = '2026-01-01T00:00:00Z';
const ALPHABET_SAMPLE = 'Az09/\\_-.+=:@';

function withSecret(options: { maxTagsPerSecret?: number } = {}) {
  return emulatorFixture({
    now: NOW,
    quotas: false,
    seed: { Secrets: [{ SecretName: 'app/db', SecretData: 'x' }] },
    ...options,
  });
}

const tagsJson = (tags: Record<string, string>) =>
  JSON.stringify(Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })));
const manyTags = (n: number, prefix = 'k') =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));

describe('tag key and value alphabet and length', () => {
  it('accepts every documented character, 128 characters long, and an empty value', async () => {
    const f = withSecret();
    const key = ALPHABET_SAMPLE.repeat(10).slice(0, 128);
    const res = await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ [key]: key, empty: '' }) });
    expect(res.status).toBe(200);
    expect(f.emulator.kms.getSecret('app/db')?.Tags).toEqual({ [key]: key, empty: '' });
  });

  // The old kro-state encoding used ; , # and free text with spaces: each is refused.
  it.each([';', ',', '#', ' ', '|', '"', "'", 'é', '中', '\n', '%', '*', '?', '!', '(', '<'])(
    'refuses %j in a tag value with 400 InvalidParameter and changes nothing',
    async (ch) => {
      const f = withSecret();
      const res = await f.call('TagResource', {
        SecretName: 'app/db',
        Tags: tagsJson({ 'kro-state': `1:abc${ch}def` }),
      });
      expect([res.status, res.body.Code]).toEqual([400, 'InvalidParameter']);
      expect(f.emulator.kms.getSecret('app/db')?.Tags).toEqual({});
    },
  );

  it('refuses the same characters in a key', async () => {
    const f = withSecret();
    const res = await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ 'kro state': 'x' }) });
    expect([res.status, res.body.Code]).toEqual([400, 'InvalidParameter']);
  });

  it('refuses a key or value of 129 characters', async () => {
    const f = withSecret();
    const long = 'a'.repeat(129);
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ [long]: 'x' }) })).body.Code).toBe(
      'InvalidParameter',
    );
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ k: long }) })).body.Code).toBe(
      'InvalidParameter',
    );
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ k: 'a'.repeat(128) }) })).status).toBe(
      200,
    );
  });

  it('never echoes the refused value in the error message', async () => {
    const f = withSecret();
    const res = await f.call('TagResource', {
      SecretName: 'app/db',
      Tags: tagsJson({ note: 'password is hunter2; rotate' }),
    });
    expect(res.body.Code).toBe('InvalidParameter');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('applies on CreateSecret and on the batch TagResources too', async () => {
    const f = withSecret();
    const create = await f.call('CreateSecret', {
      SecretName: 'app/new',
      VersionId: 'v1',
      SecretData: 'x',
      Tags: tagsJson({ owner: 'team a' }),
    });
    expect([create.status, create.body.Code]).toEqual([400, 'InvalidParameter']);
    expect(f.emulator.kms.getSecret('app/new')).toBeUndefined();
    const batch = await f.call('TagResources', {
      RegionId: 'cn-hangzhou',
      ResourceType: 'secret',
      'ResourceId.1': 'app/db',
      'Tag.1.Key': 'owner',
      'Tag.1.Value': 'a;b',
    });
    expect([batch.status, batch.body.Code]).toEqual([400, 'InvalidParameter']);
  });

  it('refuses a seed whose tags break the rules (the seed obeys the API)', () => {
    expect(() =>
      emulatorFixture({
        now: NOW,
        seed: { Secrets: [{ SecretName: 'a', SecretData: 'x', Tags: { env: 'prod, eu' } }] },
      }),
    ).toThrow(/InvalidParameter/);
  });
});

describe('reserved key prefixes', () => {
  it.each(['aliyun', 'aliyunTeam', 'acs:owner', 'ACS:owner', 'Aliyun-x'])('refuses the key %j', async (key) => {
    const f = withSecret();
    const res = await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ [key]: 'x' }) });
    expect([res.status, res.body.Code]).toEqual([400, 'InvalidParameter']);
  });

  it('accepts acs and aliyun elsewhere in a key', async () => {
    const f = withSecret();
    expect(
      (await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ 'my-acs:x': 'aliyun' }) })).status,
    ).toBe(200);
  });
});

describe('tags per secret', () => {
  it('allows 20 (CreateSecret) and refuses the 21st with 400 Rejected.LimitExceeded', async () => {
    const f = withSecret();
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson(manyTags(10, 'a')) })).status).toBe(200);
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson(manyTags(10, 'b')) })).status).toBe(200);
    const over = await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ one: 'more' }) });
    expect([over.status, over.body.Code]).toEqual([400, 'Rejected.LimitExceeded']);
    // Rewriting an existing key does not add one.
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ a0: 'changed' }) })).status).toBe(200);
    expect(Object.keys(f.emulator.kms.getSecret('app/db')?.Tags ?? {})).toHaveLength(20);
  });

  it('is configurable: 10, as the TagResource page says (maxTagsPerSecret)', async () => {
    const f = withSecret({ maxTagsPerSecret: 10 });
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson(manyTags(10)) })).status).toBe(200);
    const over = await f.call('TagResources', {
      RegionId: 'cn-hangzhou',
      ResourceType: 'secret',
      'ResourceId.1': 'app/db',
      'Tag.1.Key': 'x',
      'Tag.1.Value': 'y',
    });
    expect([over.status, over.body.Code]).toEqual([400, 'Rejected.LimitExceeded']);
    const create = await f.call('CreateSecret', {
      SecretName: 'app/new',
      VersionId: 'v1',
      SecretData: 'x',
      Tags: tagsJson(manyTags(11)),
    });
    expect(create.body.Code).toBe('Rejected.LimitExceeded');
  });
});

describe('tagProblem (the pure rule)', () => {
  it('names no problem for a documented tag and one for each broken rule', () => {
    expect(tagProblem('kro-state', 'AbC+/=09')).toBeUndefined();
    expect(tagProblem('', 'x')).toMatch(/empty/);
    expect(tagProblem('acs:x', 'x')).toMatch(/aliyun/);
    expect(tagProblem('k', 'a b')).toMatch(/character/);
    expect(tagProblem('k', 'x'.repeat(129))).toMatch(/128/);
  });
});

describe('which writes move UpdateTime (UNCONFIRMED, emulator option updateTime)', () => {
  const updateTime = async (f: ReturnType<typeof withSecret>) =>
    (await f.call('DescribeSecret', { SecretName: 'app/db' })).body.UpdateTime;

  it('moves it on a tag write by default, the reading under which the product sees its own writes as changes', async () => {
    const f = withSecret();
    const before = await updateTime(f);
    await f.emulator.clock.advance(60_000);
    expect((await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ a: 'b' }) })).status).toBe(200);
    const tagged = await updateTime(f);
    expect(tagged).not.toBe(before);
    await f.emulator.clock.advance(60_000);
    await f.call('UntagResource', { SecretName: 'app/db', TagKeys: '["a"]' });
    expect(await updateTime(f)).not.toBe(tagged);
  });

  it('leaves it alone when switched off', async () => {
    const f = emulatorFixture({
      now: NOW,
      quotas: false,
      seed: { Secrets: [{ SecretName: 'app/db', SecretData: 'x' }] },
      updateTime: { tags: false },
    });
    const before = await updateTime(f);
    await f.emulator.clock.advance(60_000);
    await f.call('TagResource', { SecretName: 'app/db', Tags: tagsJson({ a: 'b' }) });
    expect(await updateTime(f)).toBe(before);
  });
});
