/** What the target products' providers share: a handler table, parameter checks, error shapes (§1.3). */
import { ApiError, type ApiReply, type ApiRequest, type ProductName, type Provider } from '../../types';
import type { TargetStore } from './store';

export type TargetHandler = (store: TargetStore, params: Record<string, string>, req: ApiRequest) => ApiReply;

export function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '')
    throw new ApiError(
      400,
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
  return value;
}

export function notFound(code: string, message: string): ApiError {
  return new ApiError(404, code, message);
}

/** Read-only providers: nothing is recorded by ActionTrail (reads never reach EventBridge, §4.2). */
export function targetProvider(
  product: ProductName,
  version: string,
  store: TargetStore,
  handlers: Readonly<Record<string, TargetHandler>>,
  writeActions: string[] = [],
): Provider {
  return {
    product,
    version,
    writeActions: new Set(writeActions),
    handle(req) {
      const handler = handlers[req.action];
      if (!handler)
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        );
      return handler(store, req.params, req);
    },
  };
}

/** `InstanceId.1`, `InstanceId.2`... (flattened 1-based, §1.2) or a JSON array text (ECS `InstanceIds`). */
export function listParam(params: Record<string, string>, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${name}.${i}`] !== undefined; i++) out.push(params[`${name}.${i}`] as string);
  return out;
}

export function jsonListParam(params: Record<string, string>, name: string): string[] | undefined {
  const text = params[name];
  if (text === undefined || text === '') return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'InvalidParameter', `The specified parameter "${name}" is not valid.`);
}

export function accountList(accounts: Set<string>, only: string | undefined): string[] {
  return [...accounts].filter((a) => only === undefined || only === '' || a === only).sort();
}
