import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import {
  CLI_SLOTS,
  groupShares,
  instanceRates,
  RESERVED_CONCURRENCY,
  type FunctionKey,
  type PacedGroup,
  type QuotaConsumer,
} from '../../shared/quota-share';

const GROUPS: PacedGroup[] = ['read', 'list', 'write'];
const shareOf = (readPercent: number, listPercent: number) => ({
  api: { pacing: true, quotaShare: { readPercent, listPercent } },
});

/** Every instance that may run at once, each at its rate: the orchestrator's total per group. */
function totalOfAllInstances(
  config: ReturnType<typeof shareOf>,
  reserved: Record<FunctionKey, number>,
): Record<PacedGroup, number> {
  const instances: Array<[QuotaConsumer, number]> = [
    ['sweep', reserved.sweep],
    ['on-event', reserved['on-event']],
    ['remediate', reserved.remediate],
    ['cli', CLI_SLOTS],
  ];
  const total = { read: 0, list: 0, write: 0 };
  for (const [consumer, count] of instances) {
    const rates = instanceRates(config, consumer, reserved);
    // In thousandths of a call per second: the sum is exact, no floating-point slack to argue about.
    for (const g of GROUPS) total[g] += count * Math.round(rates[g] * 1000);
  }
  return total;
}

describe('the quota share', () => {
  it('takes 10 % of the read group and 25 % of the list and write groups by default', () => {
    expect(groupShares(loadConfig({}))).toEqual({ read: 45, list: 10, write: 2.5 });
  });

  it('gives the one sweep half of the read share and three quarters of the others, and each other instance an even part of the rest', () => {
    const config = loadConfig({});
    expect(instanceRates(config, 'sweep')).toEqual({ read: 22.5, list: 7.5, write: 1.875 });
    // On-event 4 + remediate 2 + the CLI's one slot share the rest.
    const other = { read: 3.214, list: 0.357, write: 0.089 };
    expect(instanceRates(config, 'on-event')).toEqual(other);
    expect(instanceRates(config, 'remediate')).toEqual(other);
    expect(instanceRates(config, 'cli')).toEqual(other);
  });

  it('follows the configured percentages', () => {
    const config = loadConfig({ KRO_KMS_READ_SHARE_PERCENT: '20', KRO_KMS_LIST_SHARE_PERCENT: '50' });
    expect(instanceRates(config, 'sweep')).toEqual({ read: 45, list: 15, write: 3.75 });
  });

  it('divides by the reserved concurrency it is given', () => {
    const config = loadConfig({});
    expect(instanceRates(config, 'sweep', { sweep: 2, 'on-event': 4, remediate: 2 }).read).toBe(11.25);
    expect(instanceRates(config, 'on-event', { sweep: 1, 'on-event': 8, remediate: 1 }).read).toBe(2.25);
  });

  it('never lets all instances together exceed the share, for every percentage and the deployed reservations', () => {
    for (let read = 1; read <= 100; read++) {
      for (const list of [1, 7, 25, 33, 99, 100]) {
        const config = shareOf(read, list);
        const share = groupShares(config);
        const total = totalOfAllInstances(config, { ...RESERVED_CONCURRENCY });
        for (const g of GROUPS) expect(total[g]).toBeLessThanOrEqual(Math.round(share[g] * 1000));
      }
    }
  });

  it('never exceeds the share with other reservations either', () => {
    const config = shareOf(10, 25);
    const share = groupShares(config);
    for (const reserved of [
      { sweep: 1, 'on-event': 1, remediate: 1 },
      { sweep: 3, 'on-event': 7, remediate: 5 },
      { sweep: 1, 'on-event': 50, remediate: 10 },
    ]) {
      const total = totalOfAllInstances(config, reserved);
      for (const g of GROUPS) expect(total[g]).toBeLessThanOrEqual(Math.round(share[g] * 1000));
    }
  });
});
