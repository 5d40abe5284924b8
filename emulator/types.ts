/**
 * Contracts inside the emulator: the simulated clock, the request every provider sees, the error
 * it throws, events, faults. One wire layer (emulator/protocol) parses requests into `ApiRequest`,
 * verifies signatures, dispatches to the provider of the product, and serializes the reply.
 */

/** Simulated time. Tests advance it; `kro emulator` lets it follow real time (optionally faster). */
export interface SimClock {
  now(): number; // epoch ms
  /** Run `fn` when the clock reaches `at` (epoch ms). Returns a handle for cancel(). */
  schedule(at: number, fn: () => void | Promise<void>, label?: string): number;
  cancel(handle: number): void;
}

/** The rotation targets (rds, ecs, r-kvstore, polardb, ram) are read by the readiness forecast. */
export type ProductName =
  'kms' | 'actiontrail' | 'cms' | 'sts' | 'fc' | 'rds' | 'ecs' | 'r-kvstore' | 'polardb' | 'ram';

export interface Caller {
  accessKeyId: string;
  accountId: string;
  /** e.g. "root", "user/ops", "assumed-role/kro-role/fc" */
  principal: string;
  isSts: boolean;
}

export interface ApiRequest {
  product: ProductName;
  action: string;
  version: string;
  /** Business parameters (query and form body merged; signature/common parameters removed). */
  params: Record<string, string>;
  /** URL path without the query ("/" for RPC products; FC uses /2023-03-30/functions/{name}/invocations). */
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  requestId: string;
  caller?: Caller;
  /** Epoch ms on the simulated clock when the request arrived. */
  receivedAt: number;
}

/** Thrown by providers; serialized as {RequestId, HostId, Code, Message, Recommend} with the status. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiReply = Record<string, unknown>;

export interface Provider {
  product: ProductName;
  version: string;
  /** Actions recorded by ActionTrail and published on EventBridge when they succeed. */
  writeActions: ReadonlySet<string>;
  handle(req: ApiRequest): Promise<ApiReply> | ApiReply;
  /**
   * Permissions a call needs besides `<product>:<Action>` on its own resource, checked by the same
   * RAM policy evaluation (KMS: GetSecretValue on a secret encrypted with a customer key also needs
   * kms:Decrypt on that key).
   */
  impliedPermissions?(action: string, params: Record<string, string>): ImpliedPermission[];
}

export interface ImpliedPermission {
  permission: string;
  resource: string;
}

/** A CloudEvent on the emulated EventBridge default bus (alibaba-cloud-apis.md §4.1). */
export interface CloudEvent {
  id: string;
  source: string;
  specversion: '1.0';
  type: string;
  datacontenttype: string;
  subject: string;
  time: string;
  aliyunaccountid: string;
  aliyunpublishtime: string;
  aliyuneventbusname: string;
  aliyunregionid: string;
  aliyunpublishaddr?: string;
  data: unknown;
}

/**
 * A fault, as in the seed and the control API. `Times` counts down each time it fires; without it
 * the fault stays until cleared. `Rate` (0..1) fires at random (seeded).
 */
export interface FaultSpec {
  Kind:
    | 'RotationFailure' // a managed rotation fails with ErrorCode/ErrorMessage
    | 'RotationStuck' // a managed rotation never finishes
    | 'RotationNotApplied' // KMS reports success but the target keeps the old password
    | 'ApiError' // a call answers ErrorCode/HttpStatus
    | 'Throttle' // a call answers 429 Rejected.Throttling
    | 'Latency' // a call waits Ms (real time)
    | 'DropConnection' // the socket is destroyed without a reply
    | 'EventDrop'
    | 'EventDuplicate'
    | 'EventReorder'
    | 'EventDelay'
    | 'FunctionCrash'; // a function invocation fails (FC async retry applies)
  Id?: string;
  SecretName?: string;
  Product?: ProductName;
  Action?: string;
  /** Throttle: the quota group (read | list | write | rotate). */
  Group?: string;
  EventType?: string;
  FunctionName?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
  HttpStatus?: number;
  Ms?: number;
  Times?: number;
  Rate?: number;
}

/**
 * A reply that is not the JSON envelope: FC 3.0 invocations answer with the handler's raw body, their
 * own status (202 for async) and x-fc-* headers. A provider returns `rawReply(...)`; the wire layer
 * checks `asRawReply(reply)` and, when set, writes status, headers and body exactly as given.
 */
export interface RawHttpReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const RAW_REPLY_KEY = '$rawHttpReply';

export function rawReply(reply: RawHttpReply): ApiReply {
  return { [RAW_REPLY_KEY]: reply };
}

export function asRawReply(reply: ApiReply): RawHttpReply | undefined {
  const raw = reply[RAW_REPLY_KEY] as RawHttpReply | undefined;
  return raw && typeof raw.status === 'number' && Buffer.isBuffer(raw.body) ? raw : undefined;
}
