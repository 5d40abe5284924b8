/** Fault injection: one registry for every service, matched by kind and target, seeded randomness. */
import type { FaultSpec, ProductName } from './types';

export interface FaultTarget {
  secretName?: string;
  product?: ProductName;
  action?: string;
  group?: string;
  eventType?: string;
  functionName?: string;
}

/** mulberry32: a small seeded PRNG, so faults with a Rate replay the same way. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(f: FaultSpec, t: FaultTarget): boolean {
  if (f.SecretName !== undefined && f.SecretName !== t.secretName) return false;
  if (f.Product !== undefined && f.Product !== t.product) return false;
  if (f.Action !== undefined && f.Action !== t.action) return false;
  if (f.Group !== undefined && f.Group !== t.group) return false;
  if (f.EventType !== undefined && f.EventType !== t.eventType) return false;
  if (f.FunctionName !== undefined && f.FunctionName !== t.functionName) return false;
  return true;
}

export class FaultRegistry {
  private faults: FaultSpec[] = [];
  private nextId = 1;
  /** How many times each kind fired, for reports. */
  readonly fired: Record<string, number> = {};

  constructor(private readonly random: () => number = seededRandom(1)) {}

  add(spec: FaultSpec): string {
    const id = spec.Id ?? `fault-${this.nextId++}`;
    this.faults.push({ ...spec, Id: id });
    return id;
  }

  clear(id?: string): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.Id !== id);
  }

  list(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The first matching fault of this kind that fires now; counts it down. */
  take(kind: FaultSpec['Kind'], target: FaultTarget): FaultSpec | undefined {
    for (const f of this.faults) {
      if (f.Kind !== kind || !matches(f, target)) continue;
      if (f.Rate !== undefined && this.random() >= f.Rate) continue;
      if (f.Times !== undefined) {
        f.Times -= 1;
        if (f.Times <= 0) this.faults = this.faults.filter((x) => x !== f);
      }
      this.fired[kind] = (this.fired[kind] ?? 0) + 1;
      return { ...f };
    }
    return undefined;
  }

  /** Whether a matching fault exists, without consuming it. */
  has(kind: FaultSpec['Kind'], target: FaultTarget): boolean {
    return this.faults.some((f) => f.Kind === kind && matches(f, target));
  }
}
