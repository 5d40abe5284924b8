/**
 * createEmulator(): one local cloud. Builds the clock, faults, key ring and every provider, wires
 * them into the one protocol pipeline, and exposes an in-process fetch() plus listen() for real
 * clients. Defaults are documented in emulator/README.md.
 */
import type { QuotaGroup } from '../shared/quota-groups';
import { createApp, type EmulatorApp } from './app';
import { ManualClock } from './clock';
import { handleControl } from './control';
import { FaultRegistry, seededRandom } from './faults';
import { CallLog, type CallLogEntry } from './protocol/call-log';
import { createDispatcher } from './protocol/dispatch';
import { QuotaBuckets } from './protocol/quotas';
import { parseSeed, SeedError, type Seed } from './seed';
import { createActionTrail } from './services/actiontrail';
import { createAuthStore, type EmulatorAuthStore } from './services/auth/store';
import { createStsProvider } from './services/auth/sts';
import { createCloudMonitor } from './services/cms';
import type {
  ActionTrailService,
  CloudMonitorService,
  CredentialBackend,
  EventBus,
  FunctionService,
} from './services/contracts';
import { createEventBus } from './services/eventbridge';
import type { EventShapes } from './services/event-shapes';
import { createFunctionCompute } from './services/fc';
import { createKms, type KmsService } from './services/kms';
import { createRam, trustsService, type RamService } from './services/ram';
import { emptyRamStore } from './services/ram/store';
import { createEcs } from './services/ecs';
import { createPolarDb } from './services/polardb';
import { createRedis } from './services/r-kvstore';
import { createRds } from './services/rds';
import { serviceRoleDirectory } from './services/targets/service-roles';
import { TargetStore } from './services/targets/store';
import { applySeed } from './services/kms/seed-load';
import { startServer, type RunningServer } from './server';

export const DEFAULT_ACCOUNT_ID = '1234567890123456';
export const DEFAULT_REGION_ID = 'cn-hangzhou';
/** The documented default pair (root of the emulated account). Not a secret: it only opens the emulator. */
export const DEFAULT_ACCESS_KEY = {
  accessKeyId: 'LTAI5tEmulatorDefaultKey',
  accessKeySecret: 'emulator-secret',
} as const;

export interface EmulatorOptions {
  seed?: unknown;
  accountId?: string;
  regionId?: string;
  now?: number | string;
  /** Default true. */
  verifySignatures?: boolean;
  /** Default: DEFAULT_QUOTAS (shared/quota-groups.ts) on the emulator clock; false turns them off. */
  quotas?: Partial<Record<QuotaGroup, { limit: number; perMs: number }>> | false;
  randomSeed?: number;
  backend?: CredentialBackend;
  intervalBounds?: { minSeconds: number; maxSeconds: number };
  /** Tags per secret: default 20 (CreateSecret page); 10 is the TagResource page's figure (UNCONFIRMED which applies). */
  maxTagsPerSecret?: number;
  /** Which writes move a secret's UpdateTime (UNCONFIRMED; defaults in services/kms/unconfirmed.ts UPDATE_TIME_MOVES). */
  updateTime?: Partial<{ tags: boolean; rotation: boolean }>;
  /** Which published form each emitted event takes (services/event-shapes.ts; defaults there). */
  eventShapes?: Partial<EventShapes>;
  /** Default true: FC caps a function's running invocations at its reserved concurrency; false lifts every cap. */
  reservedConcurrency?: boolean;
}

export interface Emulator {
  readonly accountId: string;
  readonly regionId: string;
  readonly defaultAccessKey: { accessKeyId: string; accessKeySecret: string };
  readonly clock: ManualClock;
  readonly faults: FaultRegistry;
  readonly auth: EmulatorAuthStore;
  readonly kms: KmsService;
  readonly bus: EventBus;
  readonly actiontrail: ActionTrailService;
  readonly cms: CloudMonitorService;
  readonly fc: FunctionService;
  readonly ram: RamService;
  /** Rotation targets: RDS/ECS/Redis/PolarDB instances, RAM users and keys, KMS instances, service roles. */
  readonly targets: TargetStore;
  /** Resolves once the seed's bound servers have their passwords (and rejects if one failed). */
  readonly ready: Promise<void>;
  callLog(): CallLogEntry[];
  fetch(request: Request): Promise<Response>;
  loadSeed(seed: unknown): Promise<void>;
  listen(options?: { port?: number; host?: string }): Promise<RunningServer>;
  close(): Promise<void>;
}

function toMs(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`invalid emulator start time: ${String(value)}`);
  return ms;
}

/** The service principal Function Compute assumes function roles as. */
const FC_SERVICE = 'fc.aliyuncs.com';

/**
 * Function Compute can assume a role RAM knows only when its trust policy names fc.aliyuncs.com
 * (what `kro setup` writes from deploy/ram-trust-policy.json); otherwise the invocation fails.
 * Roles RAM does not know (the demo deploys without RAM) are assumed as before.
 */
function assumableByFc(auth: EmulatorAuthStore, ram: RamService): EmulatorAuthStore {
  return {
    ...auth,
    issueStsToken(options) {
      const role = ram.getRole(options.roleName);
      if (role && !trustsService(role.assumeRolePolicyDocument, FC_SERVICE)) {
        throw new Error(`AssumeRole denied: the trust policy of role ${options.roleName} does not name ${FC_SERVICE}`);
      }
      return auth.issueStsToken(options);
    },
  };
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const initialSeed: Seed | undefined = options.seed === undefined ? undefined : parseSeed(options.seed);
  const accountId = options.accountId ?? initialSeed?.AccountId ?? DEFAULT_ACCOUNT_ID;
  const regionId = options.regionId ?? initialSeed?.RegionId ?? DEFAULT_REGION_ID;
  const clock = new ManualClock(toMs(options.now) ?? toMs(initialSeed?.Now) ?? Date.now());
  const random = seededRandom(options.randomSeed ?? 1);
  const faults = new FaultRegistry(random);
  const auth = createAuthStore({ clock, accountId });
  auth.addAccessKey({ ...DEFAULT_ACCESS_KEY, principal: 'root' });
  const bus = createEventBus({ clock, faults, random });
  const actiontrail = createActionTrail({ clock, bus, accountId, regionId, eventShapes: options.eventShapes });
  const cms = createCloudMonitor({ clock, faults, accountId });
  const ramStore = emptyRamStore();
  // The rotation targets: one store the target products answer from and managed rotations consult.
  const targets = new TargetStore(
    () => clock.now(),
    serviceRoleDirectory(ramStore, accountId, () => clock.now()),
  );
  const ram = createRam({ clock, auth, accountId, store: ramStore, targets });
  const fc = createFunctionCompute({
    clock,
    faults,
    random,
    auth: assumableByFc(auth, ram),
    accountId,
    regionId,
    reservedConcurrency: options.reservedConcurrency,
  });
  const kmsDeps = {
    clock,
    faults,
    auth,
    bus,
    accountId,
    regionId,
    backend: options.backend,
    intervalBounds: options.intervalBounds,
    targets,
    maxTagsPerSecret: options.maxTagsPerSecret,
    updateTime: options.updateTime,
    eventShapes: options.eventShapes,
  };
  const kms = createKms(kmsDeps);
  const calls = new CallLog();
  const servers = new Set<RunningServer>();

  const dispatch = createDispatcher({
    clock,
    faults,
    auth,
    providers: {
      kms,
      actiontrail,
      cms,
      fc,
      sts: createStsProvider(),
      ram,
      rds: createRds(targets),
      ecs: createEcs(targets),
      'r-kvstore': createRedis(targets),
      polardb: createPolarDb(targets),
    },
    onKeyUsed: (accessKeyId, at) => {
      // O(1): the key's principal names its RAM user.
      const principal = auth.lookup(accessKeyId)?.principal;
      const key = principal?.startsWith('user/')
        ? targets.ramUsers.get(principal.slice(5))?.keys.get(accessKeyId)
        : undefined;
      if (key) key.lastUsedAt = at;
    },
    actiontrail,
    quotas: options.quotas === false ? undefined : new QuotaBuckets(options.quotas ?? {}, clock.now()),
    verifySignatures: options.verifySignatures ?? true,
    accountId,
    regionId,
    callLog: calls,
  });

  /** Validates and loads synchronously; the promise covers the bound servers' password writes. */
  function loadSeedNow(seed: Seed): Promise<void> {
    return applySeed({ ...kmsDeps, kms, seed });
  }

  async function loadSeed(input: unknown): Promise<void> {
    const seed = parseSeed(input);
    for (const id of ['AccountId', 'RegionId'] as const) {
      const expected = id === 'AccountId' ? accountId : regionId;
      if (seed[id] !== undefined && seed[id] !== expected)
        throw new SeedError([`${id}: "${seed[id]}" differs from the running emulator's "${expected}"`]);
    }
    const now = toMs(seed.Now);
    if (now !== undefined && now > clock.now()) await clock.runUntil(now);
    await loadSeedNow(seed);
  }

  const ready = initialSeed ? loadSeedNow(initialSeed) : Promise.resolve();
  // A failed seed surfaces through `ready`, fetch() and listen(); never as an unhandled rejection.
  ready.catch(() => undefined);
  const app: EmulatorApp = createApp({ dispatch, ready, control: (req) => handleControl(emulator, req) });

  const emulator: Emulator = {
    accountId,
    regionId,
    defaultAccessKey: { ...DEFAULT_ACCESS_KEY },
    clock,
    faults,
    auth,
    kms,
    bus,
    actiontrail,
    cms,
    fc,
    ram,
    targets,
    ready,
    callLog: () => calls.list(),
    fetch: (request) => app.fetch(request),
    loadSeed,
    async listen(listenOptions = {}) {
      await ready;
      const server = await startServer(app.handle, listenOptions);
      servers.add(server);
      const close = server.close;
      return {
        ...server,
        close: async () => {
          servers.delete(server);
          await close();
        },
      };
    },
    async close() {
      await Promise.all([...servers].map((s) => s.close()));
      servers.clear();
    },
  };
  return emulator;
}
