/**
 * The batch tag APIs (§2): TagResources, UntagResources, ListTagResources over `ResourceId.N`.
 * Only secrets live in this emulator, so ResourceType `key` finds nothing.
 */
import { ApiError, type ApiReply } from '../../types';
import { boolParam, liveSecret, requireParam, type KmsContext } from './context';
import { kmsErrors } from './errors';
import { nameFromParam, type SecretRecord } from './model';
import { tagsChanged, validateTags } from './tag-rules';
import { IN_DELETE_WINDOW } from './unconfirmed';

type Params = Record<string, string>;
const PAGE = 200;

/** `Prefix.1`, `Prefix.2`... in order, stopping at the first gap. */
function listParam(p: Params, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; p[`${prefix}.${i}`] !== undefined; i++) out.push(p[`${prefix}.${i}`] as string);
  return out;
}

function resources(ctx: KmsContext, p: Params, required: boolean): SecretRecord[] {
  requireParam(p, 'RegionId');
  const type = requireParam(p, 'ResourceType');
  if (type !== 'secret' && type !== 'key') throw kmsErrors.invalid('ResourceType', 'Expected secret or key.');
  const ids = listParam(p, 'ResourceId');
  if (required && ids.length === 0) throw kmsErrors.missing('ResourceId.1');
  if (ids.length > 50) throw kmsErrors.invalid('ResourceId', 'At most 50 resources.');
  if (type === 'key') {
    if (ids.length > 0) throw new ApiError(404, 'Forbidden.KeyNotFound', 'The specified key is not found.');
    return [];
  }
  if (ids.length === 0) return [...ctx.secrets.values()].filter((s) => liveSecret(ctx, s.name));
  return ids.map((id) => {
    const secret = liveSecret(ctx, nameFromParam(id));
    if (!secret) throw kmsErrors.notFound();
    return secret;
  });
}

export function tagResources(ctx: KmsContext, p: Params): ApiReply {
  const targets = resources(ctx, p, true);
  const tags: Array<[string, string]> = [];
  for (let i = 1; p[`Tag.${i}.Key`] !== undefined; i++)
    tags.push([p[`Tag.${i}.Key`] as string, p[`Tag.${i}.Value`] ?? '']);
  if (tags.length === 0) throw kmsErrors.missing('Tag.1.Key');
  const next = targets.map((secret) => {
    if (secret.plannedDeleteAt !== undefined) throw kmsErrors.choice(IN_DELETE_WINDOW);
    const merged = new Map(secret.tags ?? []);
    for (const [k, v] of tags) merged.set(k, v);
    const list = [...merged.entries()];
    validateTags(list, ctx.maxTagsPerSecret, 'Tag');
    return list;
  });
  targets.forEach((secret, i) => tagsChanged(ctx, secret, next[i]!));
  return {};
}

export function untagResources(ctx: KmsContext, p: Params): ApiReply {
  const targets = resources(ctx, p, true);
  const keys = listParam(p, 'TagKey');
  const all = boolParam(p, 'All', false);
  if (all && keys.length > 0) throw kmsErrors.invalid('All', 'All is only allowed without TagKey.N.');
  if (!all && keys.length === 0) throw kmsErrors.missing('TagKey.1');
  for (const secret of targets)
    tagsChanged(ctx, secret, all ? [] : (secret.tags ?? []).filter(([k]) => !keys.includes(k)));
  return {};
}

export function listTagResources(ctx: KmsContext, p: Params): ApiReply {
  const targets = resources(ctx, p, false);
  const wanted = new Map<string, string | undefined>();
  for (let i = 1; p[`Tag.${i}.Key`] !== undefined; i++) wanted.set(p[`Tag.${i}.Key`] as string, p[`Tag.${i}.Value`]);
  const rows: Array<{ ResourceId: string; ResourceType: string; TagKey: string; TagValue: string }> = [];
  for (const secret of targets) {
    for (const [TagKey, TagValue] of secret.tags ?? []) {
      if (
        wanted.size > 0 &&
        !(wanted.has(TagKey) && (wanted.get(TagKey) === undefined || wanted.get(TagKey) === TagValue))
      )
        continue;
      rows.push({ ResourceId: secret.name, ResourceType: 'secret', TagKey, TagValue });
    }
  }
  const start = p.NextToken ? Number(Buffer.from(p.NextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw kmsErrors.invalid('NextToken', 'Not a token from this API.');
  const page = rows.slice(start, start + PAGE);
  const next = start + PAGE < rows.length ? Buffer.from(String(start + PAGE)).toString('base64url') : '';
  return { NextToken: next, TagResources: { TagResource: page } };
}
