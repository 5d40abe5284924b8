/**
 * The one request pipeline every product shares: parse (three styles), authenticate, authorize,
 * apply call faults and quotas, hand a typed ApiRequest to the provider, serialize the reply,
 * record write calls in ActionTrail, and log the call.
 */
import { randomUUID } from 'node:crypto';
import { quotaGroupOf } from '../../shared/quota-groups';
import type { FaultRegistry } from '../faults';
import type { ActionTrailService, AuthStore } from '../services/contracts';
import {
  ApiError,
  asRawReply,
  type ApiReply,
  type ApiRequest,
  type Caller,
  type ProductName,
  type Provider,
  type SimClock,
} from '../types';
import { authenticate } from './authenticate';
import { CallLog, redactParams } from './call-log';
import { protocolErrors } from './errors';
import { DropConnectionSignal, type RawHttpRequest, type RawHttpResponse } from './http';
import { parseCall, PRODUCT_BY_VERSION, type ParsedCall } from './parse';
import { isAllowed } from './policy';
import type { QuotaBuckets } from './quotas';
import { errorResponse, successResponse } from './replies';

export interface DispatcherDeps {
  clock: SimClock;
  faults: FaultRegistry;
  auth: AuthStore;
  providers: Partial<Record<ProductName, Provider>>;
  actiontrail?: ActionTrailService;
  /** undefined = quotas off. */
  quotas?: QuotaBuckets;
  verifySignatures: boolean;
  accountId: string;
  regionId: string;
  callLog: CallLog;
  realNow?: () => number;
  /** Told of every authenticated call's AccessKey (RAM GetAccessKeyLastUsed). */
  onKeyUsed?: (accessKeyId: string, at: number) => void;
}

/** Actions any valid key may call whatever its policy says. */
const ALWAYS_ALLOWED = new Set(['sts:GetCallerIdentity']);

function resourceOf(call: ParsedCall, deps: DispatcherDeps): string | undefined {
  if (call.product === 'kms' && call.params.SecretName) {
    const name = call.params.SecretName.replace(/^acs:kms:[^:]*:[^:]*:secret\//, '');
    return `acs:kms:${deps.regionId}:${deps.accountId}:secret/${name}`;
  }
  if (call.product === 'fc' && call.functionName)
    return `acs:fc:${deps.regionId}:${deps.accountId}:functions/${call.functionName}`;
  return undefined;
}

function routeError(call: ParsedCall): ApiError {
  if (!call.version) return protocolErrors.missingParameter('Version');
  if (!PRODUCT_BY_VERSION[call.version]) return protocolErrors.unknownVersion();
  return protocolErrors.missingParameter('Action');
}

async function applyCallFaults(
  deps: DispatcherDeps,
  product: ProductName,
  action: string,
  secretName?: string,
): Promise<void> {
  // A fault may name the secret a KMS call is about (one unreadable secret among many).
  const target = { product, action, group: product === 'kms' ? quotaGroupOf(action) : undefined, secretName };
  if (deps.faults.take('DropConnection', target)) throw new DropConnectionSignal();
  const latency = deps.faults.take('Latency', target);
  if (latency?.Ms) await new Promise((resolve) => setTimeout(resolve, latency.Ms));
  const apiError = deps.faults.take('ApiError', target);
  if (apiError) {
    throw new ApiError(
      apiError.HttpStatus ?? 500,
      apiError.ErrorCode ?? 'InternalFailure',
      apiError.ErrorMessage ?? 'Internal Failure.',
    );
  }
  if (deps.faults.take('Throttle', target)) throw protocolErrors.throttled();
}

export function createDispatcher(deps: DispatcherDeps): (req: RawHttpRequest) => Promise<RawHttpResponse> {
  const realNow = deps.realNow ?? Date.now;
  const anonymousCaller: Caller = { accessKeyId: '', accountId: deps.accountId, principal: 'root', isSts: false };

  return async function dispatch(req: RawHttpRequest): Promise<RawHttpResponse> {
    const requestId = randomUUID().toUpperCase();
    const receivedAt = deps.clock.now();
    const call = parseCall(req);
    let caller: Caller | undefined;
    let apiRequest: ApiRequest | undefined;
    let provider: Provider | undefined;
    let response: RawHttpResponse;
    let code: string | undefined;
    let denied: string | undefined;
    const implied: string[] = [];
    try {
      provider = call.product ? deps.providers[call.product] : undefined;
      if (!call.product || !call.action) throw routeError(call);
      if (!provider) throw protocolErrors.unknownVersion();
      const who = authenticate(call, req, deps.auth, {
        verifySignatures: deps.verifySignatures,
        realNow,
        anonymousCaller,
      });
      caller = who.caller;
      if (caller.accessKeyId) deps.onKeyUsed?.(caller.accessKeyId, receivedAt);
      // RAM names Redis actions `kvstore:*` (the API product is r-kvstore).
      const permission = `${call.product === 'r-kvstore' ? 'kvstore' : call.product}:${call.action}`;
      const policy = who.key?.policy;
      if (policy && !ALWAYS_ALLOWED.has(permission) && !isAllowed(policy, permission, resourceOf(call, deps))) {
        denied = permission;
        throw protocolErrors.noPermission();
      }
      for (const need of provider.impliedPermissions?.(call.action, call.params) ?? []) {
        if (policy && !isAllowed(policy, need.permission, need.resource)) {
          denied = need.permission;
          throw protocolErrors.noPermission();
        }
        implied.push(need.permission);
      }
      await applyCallFaults(
        deps,
        call.product,
        call.action,
        call.product === 'kms' ? call.params.SecretName?.replace(/^acs:kms:[^:]*:[^:]*:secret\//, '') : undefined,
      );
      if (call.product === 'kms' && deps.quotas && !deps.quotas.take(quotaGroupOf(call.action), deps.clock.now())) {
        throw protocolErrors.throttled();
      }
      apiRequest = {
        product: call.product,
        action: call.action,
        version: call.version ?? provider.version,
        params: call.params,
        path: call.path,
        method: req.method,
        headers: req.headers,
        body: req.body,
        requestId,
        caller,
        receivedAt,
      };
      const reply: ApiReply = await provider.handle(apiRequest);
      const raw = asRawReply(reply);
      response = raw
        ? { status: raw.status, headers: { ...raw.headers, 'x-acs-request-id': requestId }, body: raw.body }
        : successResponse(reply, requestId);
      if (provider.writeActions.has(call.action)) deps.actiontrail?.record(apiRequest, { reply });
    } catch (error) {
      if (error instanceof DropConnectionSignal) {
        logCall(deps, call, caller, receivedAt, 0, { code: 'DropConnection' });
        throw error;
      }
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalFailure', 'Internal Failure.');
      if (!(error instanceof ApiError)) console.error('[emulator] provider failure', error);
      code = apiError.code;
      response = errorResponse(apiError, requestId, call.product, deps.regionId);
      if (apiRequest && provider?.writeActions.has(apiRequest.action))
        deps.actiontrail?.record(apiRequest, { error: apiError });
    }
    logCall(deps, call, caller, receivedAt, response.status, { code, denied, implied: code ? [] : implied });
    return response;
  };
}

function logCall(
  deps: DispatcherDeps,
  call: ParsedCall,
  caller: Caller | undefined,
  at: number,
  status: number,
  outcome: { code?: string; denied?: string; implied?: string[] },
): void {
  const { code, denied, implied } = outcome;
  deps.callLog.push({
    at,
    product: call.product ?? 'unknown',
    action: call.action ?? '',
    params: redactParams(call.params),
    ...(call.accessKeyId ? { accessKeyId: call.accessKeyId } : {}),
    ...(caller?.principal ? { principal: caller.principal } : {}),
    status,
    ...(code ? { code } : {}),
    ...(denied ? { denied } : {}),
    ...(implied && implied.length > 0 ? { implied } : {}),
  });
}
