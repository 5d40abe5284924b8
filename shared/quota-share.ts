/**
 * A quota share, not the quota (issue 15). KMS quotas are per account and region, and the
 * customer's applications draw on the same groups (their GetSecretValue and our DescribeSecret are
 * both "read"): the orchestrator takes at most KRO_KMS_READ_SHARE_PERCENT of the read group and
 * KRO_KMS_LIST_SHARE_PERCENT of the list and write groups, every instance of every function together.
 *
 * The share is divided statically among the instances that can run at once, because nothing in the
 * deployment could hand out tokens across instances: FC instances share no memory, and a token in
 * Redis or Table Store would be a new dependency and a new way to fail (a throttled or unreachable
 * token store would stop the sweep that must report it). FC caps each function's instances with
 * its reserved concurrency (s.yaml `concurrencyConfig`, RESERVED_CONCURRENCY below), so each
 * instance paces itself at its part and the parts add up to at most the share.
 *
 * The sweep, alone (one instance), lists and describes the whole fleet: it takes half of the read
 * share and three quarters of the list and write shares (it lists every page of the fleet every
 * interval, 100 pages for 10,000 secrets; the others list nothing and write a tag now and then).
 * The rest is split evenly among the instances on-event and remediate may run at once, plus one
 * slot for the operator's CLI (`kro audit`, `kro invoke`). RotateSecret is not
 * divided: its hourly budget is counted across the deployment by the domain (domain/rotate-budget.ts).
 */
import type { Config } from './config-types';
import { DEFAULT_QUOTAS, type QuotaGroup } from './quota-groups';

/** The three functions by their code folder (functions/<key>): a deployer may rename a function, not its code. */
export type FunctionKey = 'sweep' | 'on-event' | 'remediate';

/** Who takes a part of the share: one of the functions, or the operator's CLI on its own machine. */
export type QuotaConsumer = FunctionKey | 'cli';

/**
 * `concurrencyConfig.reservedConcurrency` of each function in s.yaml (test/deploy/s-yaml.test.ts
 * fails when they differ): FC runs at most this many of its instances at once.
 *  - sweep 1: one sweep at a time; a timer, flush or continuation arriving meanwhile is an async
 *    invocation, which FC holds and retries (with backoff, for up to 5 hours) until the running one ends.
 *  - on-event 4: events come one per invocation from the default bus, async too; four absorb a
 *    burst of rotation results within seconds, a larger burst waits in FC's queue.
 *  - remediate 2: at most KRO_ROTATE_BUDGET_PER_HOUR attempts an hour, each a few calls and a probe.
 */
export const RESERVED_CONCURRENCY: Readonly<Record<FunctionKey, number>> = { sweep: 1, 'on-event': 4, remediate: 2 };

/** The operator's CLI counts as one more instance: one `kro audit` or `kro invoke` at a time. */
export const CLI_SLOTS = 1;

/**
 * The sweep's part of each group's share: it alone reads and lists the whole fleet. At the defaults
 * its steady sweep of 10,000 secrets (100 pages and a few dozen tag writes) takes under 20 s at
 * 7.5 list calls/s; an on-event instance keeps 3.2 reads/s and 0.36 tag writes/s, in step with the
 * tenth of its events that writes a tag.
 */
const SWEEP_PART: Readonly<Record<PacedGroup, number>> = { read: 0.5, list: 0.75, write: 0.75 };

/** The groups paced per second; RotateSecret's hourly budget is the domain's. */
export type PacedGroup = Exclude<QuotaGroup, 'rotate'>;

/** Calls per second, per group. */
export type GroupRates = Readonly<Record<PacedGroup, number>>;

/** Rates are rounded down to a thousandth of a call per second, so the parts never add up past the share. */
const RATE_STEP = 1000;
const floorRate = (rate: number) => Math.floor(rate * RATE_STEP) / RATE_STEP;

/** The orchestrator's share of each per-second group, all instances together (calls per second). */
export function groupShares(config: Pick<Config, 'api'>): GroupRates {
  const { readPercent, listPercent } = config.api.quotaShare;
  const perSecond = (group: PacedGroup, percent: number) =>
    (DEFAULT_QUOTAS[group].limit * 1000 * percent) / 100 / DEFAULT_QUOTAS[group].perMs;
  return {
    read: perSecond('read', readPercent),
    list: perSecond('list', listPercent),
    write: perSecond('write', listPercent),
  };
}

/** How many instances share the non-sweep half: on-event's and remediate's reservations, and the CLI. */
export function otherSlots(reserved: Readonly<Record<FunctionKey, number>> = RESERVED_CONCURRENCY): number {
  return reserved['on-event'] + reserved.remediate + CLI_SLOTS;
}

/** The rates one instance of `consumer` paces itself to. */
export function instanceRates(
  config: Pick<Config, 'api'>,
  consumer: QuotaConsumer,
  reserved: Readonly<Record<FunctionKey, number>> = RESERVED_CONCURRENCY,
): GroupRates {
  const shares = groupShares(config);
  const part = (group: PacedGroup) =>
    consumer === 'sweep'
      ? SWEEP_PART[group] / Math.max(1, reserved.sweep)
      : (1 - SWEEP_PART[group]) / Math.max(1, otherSlots(reserved));
  return {
    read: floorRate(shares.read * part('read')),
    list: floorRate(shares.list * part('list')),
    write: floorRate(shares.write * part('write')),
  };
}
