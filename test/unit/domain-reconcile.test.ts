import { describe, expect, it } from 'vitest';
import { ALERT_STORM_WINDOW_SECONDS } from '../../shared/domain/alerts';
import { attemptFailed, markAlert, openEpisode, startAttempt, type Episode } from '../../shared/domain/episode';
import { versionIdFor } from '../../shared/domain/ids';
import { reconcile } from '../../shared/domain/reconcile';
import type { Finding } from '../../shared/domain/types';
import { testConfig } from '../helpers/config';
import { HOUR, T0 } from '../helpers/fakes';

const config = testConfig();
const NAME = 'rds/orders';
const failed = (code?: string): Finding => ({
  checkId: 'rotation-failed',
  severity: 'critical',
  secretName: NAME,
  summary: 's',
  evidence: {},
  runbook: 'r',
  cause: { errorCode: code, target: 'rm-1' },
  remediable: true,
});
const stage = (checkId: Finding['checkId'], remediable: boolean, code?: string): Finding => ({
  ...failed(code),
  checkId,
  remediable,
  cause: { errorCode: code },
});
const disabled: Finding = {
  checkId: 'rotation-disabled',
  severity: 'warning',
  secretName: NAME,
  summary: 's',
  evidence: {},
  runbook: 'r',
  remediable: false,
};
const delivered = (e: Episode) => markAlert(e, 'delivered')!;

describe('reconcile', () => {
  it('opens one episode with a queued alert and a remediation due now', () => {
    const r = reconcile(NAME, [failed('InternalFailure')], [], T0, config);
    expect(r.episodes).toHaveLength(1);
    expect(r.episodes[0]).toMatchObject({
      status: 'opened',
      attempts: 0,
      alert: { stage: 'open', delivery: 'queued' },
      cause: 't:rm-1',
      lastError: { code: 'InternalFailure' },
    });
    expect(r.remediationsToSchedule).toEqual([
      { secretName: NAME, episodeId: r.episodes[0]!.id, attempt: 1, phase: 'rotate', at: T0 },
    ]); // the code is known: no wait
  });

  it('sends nothing new when the same problem is seen again', () => {
    const first = reconcile(NAME, [failed()], [], T0, config);
    const again = reconcile(NAME, [failed()], first.episodes.map(delivered), T0 + HOUR, config);
    expect(again.alertsToSend).toEqual([]);
    expect(again.episodes[0]!.id).toBe(first.episodes[0]!.id);
  });

  it('escalates at once, without retries, when the cause needs a human', () => {
    const r = reconcile(NAME, [failed('InvalidDBInstanceId.NotFound')], [], T0, config);
    expect(r.episodes[0]).toMatchObject({ status: 'escalated', alert: { stage: 'escalate' } });
    expect(r.remediationsToSchedule).toEqual([]);
  });

  it('escalates when a failure event later names a cause that needs a human', () => {
    const opened = reconcile(NAME, [failed()], [], T0, config);
    expect(opened.remediationsToSchedule[0]?.at).toBe(T0 + ALERT_STORM_WINDOW_SECONDS * 1000);
    const r = reconcile(NAME, [failed('EntityNotExist.User')], opened.episodes, T0 + 5000, config);
    expect(r.episodes[0]).toMatchObject({ status: 'escalated', lastError: { code: 'EntityNotExist.User' } });
    expect(r.remediationsToSchedule).toEqual([]);
  });

  it('resolves with a recovery alert when the finding is gone after an alert went out', () => {
    const open = reconcile(NAME, [failed()], [], T0, config).episodes.map(delivered);
    const r = reconcile(NAME, [], open, T0 + HOUR, config);
    expect(r.episodes[0]).toMatchObject({ status: 'resolved', alert: { stage: 'resolve', delivery: 'queued' } });
    expect(r.alertsToSend).toHaveLength(1);
  });

  it('drops an episode quietly when it resolves before anyone was told', () => {
    const open = reconcile(NAME, [failed()], [], T0, config).episodes;
    expect(reconcile(NAME, [], open, T0 + 60_000, config).episodes).toEqual([]);
  });

  it('escalates an episode whose total retry time is spent', () => {
    const open = reconcile(NAME, [failed()], [], T0, config).episodes.map(delivered);
    const r = reconcile(NAME, [failed()], open, T0 + 25 * HOUR, config);
    expect(r.episodes[0]?.status).toBe('escalated');
  });

  it('freezes rotation episodes while deletion is scheduled instead of announcing a recovery', () => {
    const open = reconcile(NAME, [failed()], [], T0, config).episodes.map(delivered);
    const deletion: Finding = {
      checkId: 'deletion-scheduled',
      severity: 'warning',
      secretName: NAME,
      summary: 's',
      evidence: {},
      runbook: 'r',
      remediable: false,
    };
    const r = reconcile(NAME, [deletion], open, T0 + HOUR, config);
    expect(r.episodes.find((e) => e.checkId === 'rotation-failed')).toEqual(open[0]);
    expect(r.alertsToSend.map((e) => e.checkId)).toEqual(['deletion-scheduled']);
    expect(r.remediationsToSchedule).toEqual([]);
  });

  it('keeps an undelivered resolution until it is delivered', () => {
    const open = reconcile(NAME, [failed()], [], T0, config).episodes.map(delivered);
    const resolved = reconcile(NAME, [], open, T0 + HOUR, config).episodes;
    expect(reconcile(NAME, [], resolved, T0 + 2 * HOUR, config).alertsToSend).toHaveLength(1);
  });
});

describe('attempt outcomes', () => {
  const opened = () => openEpisode({ secretName: NAME, checkId: 'rotation-failed', now: T0, remediable: true });

  it('backs off after a transient failure and escalates when attempts are spent', () => {
    let e = opened();
    for (let n = 1; n <= config.retry.maxAttempts; n++) {
      e = startAttempt(e, n, T0 + n * HOUR);
      e = attemptFailed(e, { code: 'InternalFailure' }, T0 + n * HOUR, config, () => 0.5);
      if (n < config.retry.maxAttempts)
        expect(e).toMatchObject({ status: 'retrying', attempts: n, attemptStarted: false });
    }
    expect(e.status).toBe('escalated');
  });

  it('gives the attempt back when a rotation is already running', () => {
    const e = attemptFailed(
      startAttempt(opened(), 1, T0),
      { code: 'X', message: 'Your secret is being rotated' },
      T0,
      config,
      () => 0.5,
    );
    expect(e).toMatchObject({ status: 'retrying', attempts: 0, attemptStarted: false });
    expect(e.nextActionAt).toBeGreaterThan(T0);
  });

  it('derives a deterministic VersionId of at most 64 characters per attempt', () => {
    const e = opened();
    expect(versionIdFor(e.id, 3)).toBe(versionIdFor(opened().id, 3));
    expect(versionIdFor(e.id, 3)).not.toBe(versionIdFor(e.id, 4));
    expect(versionIdFor(e.id, 3)).toMatch(/^kro-[0-9a-f]{10}-a3$/);
  });
});

describe('one episode per rotation problem (overdue, stuck and failed are its stages)', () => {
  const DAY = 24 * HOUR;

  it('keeps the overdue episode when the rotation is then stuck, then failed: one page, no second episode', () => {
    const first = reconcile(NAME, [stage('rotation-overdue', true)], [], T0, config);
    const opened = first.episodes.map(delivered);
    const stuck = reconcile(NAME, [stage('stuck-in-progress', false)], opened, T0 + HOUR, config);
    expect(stuck.episodes).toHaveLength(1);
    expect(stuck.episodes[0]!.id).toBe(opened[0]!.id);
    expect(stuck.alertsToSend).toEqual([]);
    const both = [stage('rotation-failed', true, 'InternalFailure'), stage('stuck-in-progress', false)];
    const failedToo = reconcile(NAME, both, stuck.episodes, T0 + 2 * HOUR, config);
    expect(failedToo.episodes).toHaveLength(1);
    expect(failedToo.episodes[0]).toMatchObject({ id: opened[0]!.id, lastError: { code: 'InternalFailure' } });
    expect(failedToo.alertsToSend).toEqual([]);
  });

  it('lets a later stage escalate the one episode (a cause that needs a human), never open a second', () => {
    const opened = reconcile(NAME, [stage('rotation-overdue', true)], [], T0, config).episodes.map(delivered);
    const r = reconcile(NAME, [stage('rotation-failed', true, 'Forbidden.NoPermission')], opened, T0 + HOUR, config);
    expect(r.episodes).toHaveLength(1);
    expect(r.alertsToSend.map((e) => [e.id, e.alert?.stage])).toEqual([[opened[0]!.id, 'escalate']]);
  });

  it('opens one episode for the furthest stage when several are seen at once, and starts retries when any stage calls for them', () => {
    const r = reconcile(NAME, [stage('rotation-overdue', true), stage('stuck-in-progress', false)], [], T0, config);
    expect(r.episodes.map((e) => e.checkId)).toEqual(['stuck-in-progress']);
    expect(r.remediationsToSchedule).toHaveLength(1);
  });

  it('starts retries when a stage a retry can fix reaches an episode opened by one it cannot', () => {
    const opened = reconcile(NAME, [stage('stuck-in-progress', false)], [], T0, config).episodes.map(delivered);
    expect(
      reconcile(NAME, [stage('stuck-in-progress', false)], opened, T0 + HOUR, config).remediationsToSchedule,
    ).toEqual([]);
    const r = reconcile(NAME, [stage('rotation-failed', true, 'InternalFailure')], opened, T0 + 2 * HOUR, config);
    expect(r.remediationsToSchedule).toEqual([
      { secretName: NAME, episodeId: opened[0]!.id, attempt: 1, phase: 'rotate', at: T0 + 2 * HOUR },
    ]);
  });

  it('merges two open stages a previous release stored into the oldest, dropped without an alert, and recovers once', () => {
    const overdue = delivered(
      openEpisode({ secretName: NAME, checkId: 'rotation-overdue', now: T0, remediable: true }),
    );
    const stuck = delivered(
      openEpisode({ secretName: NAME, checkId: 'stuck-in-progress', now: T0 + HOUR, remediable: false }),
    );
    const still = reconcile(NAME, [stage('stuck-in-progress', false)], [stuck, overdue], T0 + 2 * HOUR, config);
    expect(still.episodes.map((e) => e.id)).toEqual([overdue.id]);
    expect(still.alertsToSend).toEqual([]);
    const healthy = reconcile(NAME, [], [stuck, overdue], T0 + DAY / 2, config);
    expect(healthy.alertsToSend.map((e) => [e.id, e.alert?.stage])).toEqual([[overdue.id, 'resolve']]);
  });

  it('leaves other checks their own episodes beside the rotation problem', () => {
    const r = reconcile(NAME, [stage('rotation-overdue', true), disabled], [], T0, config);
    expect(r.episodes.map((e) => e.checkId).sort()).toEqual(['rotation-disabled', 'rotation-overdue']);
  });
});
