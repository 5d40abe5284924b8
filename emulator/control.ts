/**
 * The control API under /_emulator/ (JSON in, JSON out): seed, move the clock, set and clear
 * faults, and read what happened. Never returns a secret value. Documented in emulator/README.md.
 */
import type { Emulator } from './emulator';
import { jsonResponse, type RawHttpRequest, type RawHttpResponse } from './protocol/http';
import { faultSchema, SeedError } from './seed';
import { applyTargetChange, targetChangeSchema } from './services/targets/seed';

function parseBody(req: RawHttpRequest): unknown {
  if (req.body.length === 0) return {};
  return JSON.parse(req.body.toString('utf8')) as unknown;
}

function bad(message: string, problems?: readonly string[]): RawHttpResponse {
  return jsonResponse(400, { Code: 'InvalidParameter', Message: message, ...(problems ? { Problems: problems } : {}) });
}

async function advance(emulator: Emulator, body: { ms?: unknown; until?: unknown }): Promise<RawHttpResponse> {
  if (typeof body.ms === 'number' && body.ms >= 0) {
    await emulator.clock.advance(body.ms);
  } else if (body.until !== undefined) {
    const target = typeof body.until === 'number' ? body.until : Date.parse(String(body.until));
    if (Number.isNaN(target)) return bad('"until" must be epoch ms or an ISO date');
    await emulator.clock.runUntil(target);
  } else {
    return bad('give {"ms": <non-negative number>} or {"until": <epoch ms | ISO date>}');
  }
  return jsonResponse(200, nowBody(emulator));
}

function nowBody(emulator: Emulator): Record<string, unknown> {
  const now = emulator.clock.now();
  return { now, iso: new Date(now).toISOString(), pending: emulator.clock.pending() };
}

function addFaults(emulator: Emulator, body: unknown): RawHttpResponse {
  const list = Array.isArray(body) ? body : [body];
  const problems: string[] = [];
  const parsed = list.map((item, i) => {
    const r = faultSchema.safeParse(item);
    if (!r.success) problems.push(...r.error.issues.map((issue) => `[${i}].${issue.path.join('.')}: ${issue.message}`));
    return r.data;
  });
  if (problems.length > 0) return bad('invalid fault', problems);
  const ids = parsed.map((f) => emulator.faults.add(f as NonNullable<typeof f>));
  return jsonResponse(200, { ids });
}

export async function handleControl(emulator: Emulator, req: RawHttpRequest): Promise<RawHttpResponse> {
  const url = new URL(req.url, 'http://emulator');
  const route = url.pathname.replace(/^\/_emulator\/?/, '').replace(/\/$/, '');
  const [resource = '', id] = route.split('/').map((p) => decodeURIComponent(p));
  const method = req.method.toUpperCase();
  try {
    switch (`${method} ${resource}`) {
      case 'POST seed':
        await emulator.loadSeed(parseBody(req));
        return jsonResponse(200, { secrets: emulator.kms.count(), ...nowBody(emulator) });
      case 'POST advance':
        return await advance(emulator, parseBody(req) as { ms?: unknown; until?: unknown });
      case 'GET now':
        return jsonResponse(200, nowBody(emulator));
      case 'GET faults':
        return jsonResponse(200, { faults: emulator.faults.list(), fired: emulator.faults.fired });
      case 'POST faults':
        return addFaults(emulator, parseBody(req));
      case 'DELETE faults':
        emulator.faults.clear(id ?? url.searchParams.get('id') ?? undefined);
        return jsonResponse(200, { faults: emulator.faults.list() });
      case 'GET calls':
        return jsonResponse(200, { calls: emulator.callLog() });
      case 'GET events':
        return jsonResponse(200, { events: emulator.bus.log() });
      case 'GET actiontrail':
        return jsonResponse(200, { events: emulator.actiontrail.events() });
      case 'GET notifications':
        return jsonResponse(200, { notifications: emulator.cms.notifications() });
      case 'GET custom-events':
        return jsonResponse(200, { customEvents: emulator.cms.customEvents() });
      case 'GET metrics':
        return jsonResponse(200, { metrics: emulator.cms.metrics() });
      case 'GET invocations':
        return jsonResponse(200, { invocations: emulator.fc.invocations() });
      case 'GET secrets':
        if (id) {
          const secret = emulator.kms.getSecret(id);
          return secret
            ? jsonResponse(200, secret)
            : jsonResponse(404, { Code: 'NotFound', Message: `no secret named ${id}` });
        }
        return jsonResponse(200, { secrets: emulator.kms.secretNames().map((name) => emulator.kms.getSecret(name)) });
      case 'POST targets': {
        const body = parseBody(req) as { SecretName?: string; Deleted?: boolean; Kind?: unknown };
        if (body.Kind !== undefined) {
          const change = targetChangeSchema.safeParse(body);
          if (!change.success)
            return bad(
              'invalid target change',
              change.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
            );
          return jsonResponse(200, {
            ...change.data,
            ...applyTargetChange(emulator.targets, emulator.auth, change.data),
          });
        }
        if (!body.SecretName) return bad('give {"SecretName": "...", "Deleted": true|false}');
        emulator.kms.setTargetDeleted(body.SecretName, body.Deleted !== false);
        return jsonResponse(200, { SecretName: body.SecretName, Deleted: body.Deleted !== false });
      }
      case 'DELETE access-keys':
        if (!id) return bad('DELETE /_emulator/access-keys/<AccessKeyId>');
        return jsonResponse(emulator.auth.deleteAccessKey(id) ? 200 : 404, { AccessKeyId: id });
      default:
        return jsonResponse(404, { Code: 'NotFound', Message: `no control route ${method} /_emulator/${route}` });
    }
  } catch (error) {
    if (error instanceof SeedError) return bad(error.message, error.problems);
    if (error instanceof SyntaxError) return bad(`body is not JSON: ${error.message}`);
    return jsonResponse(500, {
      Code: 'InternalFailure',
      Message: error instanceof Error ? error.message : String(error),
    });
  }
}
