import { describe, expect, it } from 'vitest';
import { newCounters } from '../../shared/core/deps';
import { REISSUE_AFTER_MS, scheduleRemediation } from '../../shared/core/scheduling';
import { testConfig } from '../helpers/config';
import { HOUR, T0, fakeDeps } from '../helpers/fakes';

describe('a verification whose result never reached the tag', () => {
  const intent = { secretName: 'rds/orders', episodeId: 'ep1', attempt: 1, phase: 'verify' as const, at: T0 };

  it('is scheduled again although FC has seen its task id, at most once an hour', async () => {
    const deps = fakeDeps(testConfig());
    const counters = newCounters();
    await scheduleRemediation(deps, counters, intent); // the verify scheduled after RotateSecret, at T0
    deps.clock.advance(HOUR); // it ran, but its result was throttled away: the tag still says verify at T0
    await scheduleRemediation(deps, counters, intent);
    await scheduleRemediation(deps, counters, intent); // a second pass in the same hour
    deps.clock.advance(HOUR);
    await scheduleRemediation(deps, counters, intent);
    const ids = deps.cloud.invoker.to('kro-remediate').map((i) => i.taskId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(counters.remediationsScheduled).toBe(3);
  });

  it('never re-issues a rotate step: FC keeps refusing its task id', async () => {
    const deps = fakeDeps(testConfig());
    const counters = newCounters();
    await scheduleRemediation(deps, counters, { ...intent, phase: 'rotate' });
    deps.clock.advance(HOUR);
    await scheduleRemediation(deps, counters, { ...intent, phase: 'rotate' });
    expect(deps.cloud.invoker.to('kro-remediate')).toHaveLength(1);
  });

  it('keeps one task id while the step is not yet overdue, so concurrent passes schedule it once', async () => {
    const deps = fakeDeps(testConfig());
    const counters = newCounters();
    await scheduleRemediation(deps, counters, { ...intent, at: T0 + HOUR });
    deps.clock.advance(HOUR + REISSUE_AFTER_MS - 1);
    await scheduleRemediation(deps, counters, { ...intent, at: T0 + HOUR });
    expect(deps.cloud.invoker.to('kro-remediate')).toHaveLength(1);
  });
});
