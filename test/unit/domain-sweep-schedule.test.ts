/** The incremental sweep's pure parts (issue 15): what a tag keeps, and which listed secrets a sweep describes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../shared/domain/episode-tag';
import { markAlert, openEpisode, resolve } from '../../shared/domain/episode';
import {
  CHANGE_SLACK_MS,
  describeReason,
  policyPrint,
  policyPrints,
  scheduleOf,
  type Schedule,
  type SelectionInput,
} from '../../shared/domain/sweep-schedule';
import { isTurn, spreadOf, SPREAD_MODULUS } from '../../shared/domain/turns';
import { TAG_VALUE_PATTERN } from '../../shared/domain/tag-alphabet';
import { envTagToEnvironment } from '../../shared/domain/policy';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret } from '../helpers/fakes';

const config = testConfig();
const NAME = 'rds/orders';
const INTERVAL = config.sweep.intervalSeconds * 1000;

/** A sweep time that is nobody's turn for `spread` (readiness daily and refresh). */
function offTurn(spread: number, from: number): number {
  for (let t = from; ; t += INTERVAL)
    if (!isTurn(spread, t, DAY, INTERVAL) && !isTurn(spread, t, config.sweep.refreshHours * HOUR, INTERVAL)) return t;
}

function input(over: Partial<SelectionInput> & { schedule?: Schedule | null } = {}): SelectionInput {
  const schedule: Schedule =
    over.schedule === null
      ? (undefined as unknown as Schedule)
      : (over.schedule ?? { nextRotation: T0 + 20 * DAY, spread: 7, policy: policyPrint({}, config) });
  const now = over.now ?? offTurn(schedule?.spread ?? 7, T0);
  return {
    listed: { secretName: NAME, secretType: 'Rds', updateTime: T0 - 30 * DAY, tags: {} },
    state: { schedule: over.schedule === null ? undefined : schedule, episodes: [] },
    config,
    ...over,
    now,
  };
}

describe('which listed secrets a sweep describes', () => {
  it('leaves a quiet secret alone between its turns', () => {
    expect(describeReason(input())).toBeUndefined();
  });

  it('describes a secret without a schedule, or whose policy changed (operator or env tag)', () => {
    expect(describeReason(input({ schedule: null }))).toBe('unscheduled');
    const i = input();
    expect(describeReason({ ...i, listed: { ...i.listed, tags: { env: 'dev' } } })).toBe('policy');
    const stricter = testConfig({ policies: { production: { maxIntervalSeconds: 14 * 86_400 } } });
    expect(describeReason({ ...i, config: stricter })).toBe('policy');
  });

  it("computes each environment's print once per sweep, the same the tag was written with", () => {
    const prints = policyPrints(config);
    for (const env of ['prod', 'staging', 'dev', 'unknown'])
      expect(prints[envTagToEnvironment(env)]).toBe(policyPrint({ env }, config));
    expect(new Set(Object.values(prints)).size).toBe(3);
    const i = input();
    expect(describeReason({ ...i, prints })).toBeUndefined();
    expect(describeReason({ ...i, prints, listed: { ...i.listed, tags: { env: 'dev' } } })).toBe('policy');
  });

  it('describes an open critical, at-risk or retrying problem, and an alert not yet delivered, every sweep', () => {
    const failed = openEpisode({ secretName: NAME, checkId: 'rotation-failed', now: T0 - DAY, remediable: true });
    const atRisk = openEpisode({ secretName: NAME, checkId: 'rotation-at-risk', now: T0 - DAY, remediable: false });
    const disabled = openEpisode({ secretName: NAME, checkId: 'rotation-disabled', now: T0 - DAY, remediable: false });
    const pending = markAlert({ ...disabled, alert: { stage: 'open', delivery: 'queued', at: T0 - DAY } }, 'sending');
    const resolvedQueued = {
      ...resolve(failed, T0 - HOUR)!,
      alert: { stage: 'resolve' as const, delivery: 'queued' as const, at: T0 - HOUR },
    };
    for (const e of [failed, atRisk, pending, resolvedQueued]) {
      const i = input();
      expect(describeReason({ ...i, state: { ...i.state, episodes: [e!] } })).toBe('attention');
    }
    // A warning already told (rotation off) changes only when the secret does: the listing says so.
    const told = { ...disabled, alert: { stage: 'open' as const, delivery: 'delivered' as const, at: T0 - DAY } };
    const i = input();
    expect(describeReason({ ...i, state: { ...i.state, episodes: [told] } })).toBeUndefined();
  });

  it('describes a secret changed since the last sweep (UpdateTime), and one whose deletion the listing shows', () => {
    const i = input();
    expect(describeReason({ ...i, listed: { ...i.listed, updateTime: i.now - INTERVAL } })).toBe('changed');
    expect(describeReason({ ...i, listed: { ...i.listed, updateTime: i.now - INTERVAL - CHANGE_SLACK_MS - 1 } })).toBe(
      undefined,
    );
    expect(describeReason({ ...i, listed: { ...i.listed, plannedDeleteTime: i.now + 7 * DAY } })).toBe('deletion');
  });

  it('describes a secret from its NextRotationDate on, and a Generic value once it may be stale', () => {
    const i = input();
    const base = i.state.schedule!;
    const at = (schedule: Schedule) => describeReason({ ...i, state: { ...i.state, schedule } });
    expect(at({ ...base, nextRotation: i.now })).toBe('due');
    expect(at({ ...base, nextRotation: i.now + 1000 })).toBeUndefined();
    expect(at({ ...base, nextRotation: undefined, due: i.now - 1 })).toBe('due');
  });

  it('describes a rotation running past its expected completion, and a RotateSecret the ActionTrail lookup found', () => {
    const i = input();
    expect(describeReason({ ...i, state: { ...i.state, rotationStartedAt: i.now - HOUR } })).toBe('running');
    expect(describeReason({ ...i, state: { ...i.state, rotationStartedAt: i.now - 10 * 60_000 } })).toBeUndefined();
    expect(describeReason({ ...i, lookedUpStart: i.now - 5 * 60_000 })).toBe('started');
    // Already recorded, or long past (a completed rotation the lookup still lists): no describe.
    expect(
      describeReason({
        ...i,
        lookedUpStart: i.now - 5 * 60_000,
        state: { ...i.state, rotationStartedAt: i.now - 5 * 60_000 },
      }),
    ).toBeUndefined();
    expect(describeReason({ ...i, lookedUpStart: i.now - 3 * DAY })).toBeUndefined();
  });

  it('describes a secret with a probe target on its probe turn, and one without none the more', () => {
    const period = config.verification.scheduleHours * HOUR;
    const turn = Array.from({ length: 144 }, (_, n) => T0 + n * INTERVAL).find(
      (t) => isTurn(spreadOf(NAME), t, period, INTERVAL) && !isTurn(7, t, DAY, INTERVAL),
    )!;
    const i = input({ now: turn });
    expect(
      describeReason({ ...i, listed: { ...i.listed, tags: { 'kro-probe': 'postgresql://10.0.0.5:5432/app' } } }),
    ).toBe('probe');
    expect(describeReason(i)).toBeUndefined();
    const off = testConfig({ verification: { enabled: false } });
    expect(
      describeReason({
        ...i,
        config: off,
        listed: { ...i.listed, tags: { 'kro-probe': 'postgresql://10.0.0.5:5432/app' } },
      }),
    ).toBeUndefined();
  });

  it('describes every secret at least once per refresh period, on its turn, and each only once in it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SPREAD_MODULUS - 1 }), fc.integer({ min: 0, max: 10_000 }), (spread, k) => {
        const start = T0 + k * INTERVAL;
        const period = config.sweep.refreshHours * HOUR;
        let turns = 0;
        for (let t = start; t < start + period; t += INTERVAL) if (isTurn(spread, t, period, INTERVAL)) turns++;
        return turns === 1;
      }),
    );
    const spread = 99;
    const turn = Array.from({ length: 144 }, (_, n) => T0 + n * INTERVAL).find((t) =>
      isTurn(spread, t, DAY, INTERVAL),
    )!;
    const schedule = { spread, policy: policyPrint({}, config) };
    const i = input({ schedule, now: turn });
    expect(describeReason(i)).toBe('refresh');
  });

  it('shares a turn between the secrets of one rotation target', () => {
    const a = scheduleOf({ description: aSecret({ secretName: 'rds/a' }) }, config, T0);
    const b = scheduleOf({ description: aSecret({ secretName: 'rds/b' }) }, config, T0);
    expect(a.spread).toBe(b.spread);
    expect(a.spread).toBe(spreadOf('rm-orders01'));
  });
});

describe('what the tag keeps', () => {
  it('keeps NextRotationDate only while automatic rotation is on, and when a Generic value turns stale', () => {
    expect(scheduleOf({ description: aSecret() }, config, T0).nextRotation).toBe(T0 + 28 * DAY);
    expect(scheduleOf({ description: aSecret({ automaticRotation: 'Disabled' }) }, config, T0).nextRotation).toBe(
      undefined,
    );
    const generic = aSecret({
      secretName: 'app/key',
      secretType: 'Generic',
      automaticRotation: 'Disabled',
      extendedConfig: {},
    });
    const versions = [{ versionId: 'v1', versionStages: ['ACSCurrent'], createTime: T0 - 10 * DAY }];
    const maxAge = config.policies.production.genericMaxAgeSeconds * 1000;
    expect(scheduleOf({ description: generic, versions }, config, T0).due).toBe(T0 - 10 * DAY + maxAge);
    expect(scheduleOf({ description: generic, versions }, config, T0 + maxAge).due).toBeUndefined();
  });

  it('round-trips a schedule with episodes within the tag alphabet, as version 3; without one, version 2 as before', () => {
    const schedule = scheduleOf({ description: aSecret() }, config, T0);
    const failed = openEpisode({ secretName: NAME, checkId: 'rotation-failed', now: T0, remediable: true });
    const withSchedule = encodeState({ episodes: [failed], rotationStartedAt: T0 - HOUR, schedule }, NAME).value!;
    expect(withSchedule).toMatch(/^3:/);
    expect(withSchedule).toMatch(TAG_VALUE_PATTERN);
    const decoded = decodeState(withSchedule, NAME);
    expect(decoded.warning).toBeUndefined();
    expect(decoded.state.schedule).toEqual({
      ...schedule,
      nextRotation: Math.floor(schedule.nextRotation! / 1000) * 1000,
    });
    expect(decoded.state.episodes.map((e) => e.id)).toEqual([failed.id]);
    expect(encodeState({ episodes: [failed] }, NAME).value).toMatch(/^2:/);
    // Healthy: the schedule alone.
    const healthy = encodeState({ episodes: [], schedule }, NAME).value!;
    expect(decodeState(healthy, NAME).state).toEqual({ episodes: [], schedule: decoded.state.schedule });
  });

  it('refuses a version 2 value that carries a schedule, and an edited schedule', () => {
    const schedule = scheduleOf({ description: aSecret() }, config, T0);
    const value = encodeState({ episodes: [], schedule }, NAME).value!;
    expect(decodeState(value.replace(/^3:/, '2:'), NAME).warning).toMatch(/seal|schedule/);
    expect(decodeState(value.slice(0, -1) + (value.endsWith('0') ? '1' : '0'), NAME).warning).toMatch(/seal/);
  });
});
