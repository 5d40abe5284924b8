/**
 * The fault plan of the resilience run, drawn from one seed. Steady faults (server errors, event
 * drops, duplicates and reorders, transient rotation failures, function crashes) hold from the
 * start; bursts (throttling, CloudMonitor outages, a failure storm on many secrets at once,
 * targets deleted for good) are scheduled on the simulated clock. `calm()` removes every fault so
 * the run can end with a quiet stretch in which everything left must settle.
 */
import type { Emulator } from '../../emulator/emulator';
import type { FaultSpec } from '../../emulator/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ChaosPlan {
  /** Faults stop (and the calm stretch begins) this many days after the start. */
  chaosDays: number;
  throttleBursts: number;
  cmsOutages: number;
  permanentTargets: number;
  stormSecrets: number;
}

export interface ChaosCounts {
  throttleBursts: number;
  throttleMinutes: number;
  cmsOutages: number;
  cmsOutageHours: number;
  permanentTargets: number;
  stormSecrets: number;
}

const STEADY: FaultSpec[] = [
  { Kind: 'ApiError', Product: 'kms', ErrorCode: 'InternalFailure', HttpStatus: 500, Rate: 0.02 },
  { Kind: 'EventDrop', Rate: 0.03 },
  { Kind: 'EventDuplicate', Rate: 0.05 },
  { Kind: 'EventReorder', Rate: 0.05 },
  {
    Kind: 'RotationFailure',
    ErrorCode: 'OperationDenied.DBInstanceStatus',
    ErrorMessage: 'The instance is busy (resilience run).',
    Rate: 0.02,
  },
  { Kind: 'RotationFailure', ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure.', Rate: 0.02 },
  { Kind: 'FunctionCrash', ErrorMessage: 'the instance was lost (resilience run)', Rate: 0.02 },
];

export function startChaos(
  emulator: Emulator,
  plan: ChaosPlan,
  random: () => number,
): { counts: ChaosCounts; calm(): void } {
  const counts: ChaosCounts = {
    throttleBursts: 0,
    throttleMinutes: 0,
    cmsOutages: 0,
    cmsOutageHours: 0,
    permanentTargets: 0,
    stormSecrets: 0,
  };
  const start = emulator.clock.now();
  const end = start + plan.chaosDays * DAY;
  const handles: number[] = [];
  const at = (ms: number, fn: () => void | Promise<void>, label: string) =>
    handles.push(emulator.clock.schedule(ms, fn, label));
  const someTime = () => start + Math.floor(random() * (end - start - DAY)) + HOUR;
  for (const fault of STEADY) emulator.faults.add({ ...fault, Id: `steady-${fault.Kind}-${fault.ErrorCode ?? ''}` });

  for (let i = 0; i < plan.throttleBursts; i++) {
    // A burst is a stretch of minutes in which most KMS calls are refused (another client ate the quota).
    const from = someTime();
    const minutes = 5 + Math.floor(random() * 55);
    const id = `throttle-${i}`;
    at(
      from,
      () => {
        emulator.faults.add({ Kind: 'Throttle', Id: id, Product: 'kms', Rate: 0.7 });
        counts.throttleBursts += 1;
        counts.throttleMinutes += minutes;
      },
      'chaos:throttle',
    );
    at(from + minutes * 60_000, () => emulator.faults.clear(id), 'chaos:throttle-end');
  }
  for (let i = 0; i < plan.cmsOutages; i++) {
    const from = someTime();
    const hours = 1 + Math.floor(random() * 12);
    const id = `cms-outage-${i}`;
    at(
      from,
      () => {
        emulator.faults.add({
          Kind: 'ApiError',
          Id: id,
          Product: 'cms',
          ErrorCode: 'ServiceUnavailable',
          HttpStatus: 503,
          ErrorMessage: 'The service is unavailable (resilience run).',
        });
        counts.cmsOutages += 1;
        counts.cmsOutageHours += hours;
      },
      'chaos:cms-down',
    );
    at(from + hours * HOUR, () => emulator.faults.clear(id), 'chaos:cms-up');
  }

  const names = emulator.kms.secretNames();
  const pick = (n: number, exclude: Set<string>) => {
    const chosen: string[] = [];
    while (chosen.length < n && chosen.length + exclude.size < names.length) {
      const name = names[Math.floor(random() * names.length)]!;
      if (!exclude.has(name) && !chosen.includes(name)) chosen.push(name);
    }
    return chosen;
  };
  // Someone deletes the database, user or instance behind a secret: its next rotation fails for good.
  const permanent = pick(plan.permanentTargets, new Set());
  for (const name of permanent) {
    at(
      someTime(),
      () => {
        emulator.kms.setTargetDeleted(name, true);
        counts.permanentTargets += 1;
      },
      'chaos:target-deleted',
    );
  }
  // A storm: many secrets fail at once for one cause (an instance maintenance), so the retries
  // pile up against the hourly RotateSecret budget.
  const storm = pick(plan.stormSecrets, new Set(permanent));
  at(
    someTime(),
    async () => {
      for (const name of storm) {
        emulator.faults.add({
          Kind: 'RotationFailure',
          SecretName: name,
          ErrorCode: 'OperationDenied.DBInstanceStatus',
          ErrorMessage: 'The instance is under maintenance (resilience storm).',
          Times: 1,
        });
        try {
          await emulator.kms.rotateNow(name, 'automatic');
          counts.stormSecrets += 1;
        } catch {
          // Already rotating: this one sits the storm out.
        }
      }
    },
    'chaos:storm',
  );

  return {
    counts,
    calm() {
      for (const h of handles) emulator.clock.cancel(h);
      emulator.faults.clear();
    },
  };
}
