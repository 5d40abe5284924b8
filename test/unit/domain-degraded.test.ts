import { describe, expect, it } from 'vitest';
import {
  DEGRADED_ALERT,
  RECOVERED_ALERT,
  codeCounts,
  degradedContent,
  historyFrom,
  isDegradationOpen,
  shouldResolve,
} from '../../shared/domain/degraded';

const T = Date.parse('2026-03-02T00:00:00Z');
const MIN = 60_000;
const opened = (at: number, id = `kro-degraded-o${at}`) => ({
  name: DEGRADED_ALERT,
  time: at,
  content: JSON.stringify({ alertId: id }),
});
const recovered = (at: number) => ({ name: RECOVERED_ALERT, time: at, content: '{"alertId":"kro-degraded-r1"}' });

describe('the degraded alert history', () => {
  it('is open while the latest Degraded is newer than the latest Recovered', () => {
    expect(isDegradationOpen(historyFrom([]))).toBe(false);
    expect(isDegradationOpen(historyFrom([opened(T)]))).toBe(true);
    expect(isDegradationOpen(historyFrom([opened(T), recovered(T + 10 * MIN)]))).toBe(false);
    expect(isDegradationOpen(historyFrom([recovered(T + 10 * MIN), opened(T + 20 * MIN), opened(T)]))).toBe(true);
  });

  it('remembers the alert id of the latest opening, for the recovery to name', () => {
    expect(historyFrom([opened(T, 'a'), opened(T + MIN, 'b')]).lastOpened).toEqual({ at: T + MIN, alertId: 'b' });
  });

  it('resolves only a degradation opened before the clean sweep started', () => {
    const history = historyFrom([opened(T)]);
    expect(shouldResolve(history, T + MIN)).toBe(true);
    expect(shouldResolve(history, T - MIN)).toBe(false);
    expect(shouldResolve(historyFrom([opened(T), recovered(T + MIN)]), T + 2 * MIN)).toBe(false);
  });
});

describe('the degraded alert content', () => {
  it('names the count, the codes by frequency and a permission runbook, and only shaped error codes', () => {
    const unassessed = [
      { secretName: 'a', code: 'Forbidden.NoPermission' },
      { secretName: 'b', code: 'Forbidden.NoPermission' },
      { secretName: 'c', code: 'password=hunter2 leaked' },
    ];
    expect(codeCounts(unassessed)).toEqual({ 'Forbidden.NoPermission': 2, UnreadableErrorCode: 1 });
    const content = degradedContent({ kind: 'sweep', unassessed, listed: 10 }, { regionId: 'cn-hangzhou', now: T });
    expect(content).toMatchObject({ unassessed: 3, listed: 10, unassessedSecrets: ['a', 'b', 'c'] });
    expect(String(content.summary)).toMatch(/^The orchestrator could not assess 3 of 10 secrets/);
    expect(String(content.runbook)).toMatch(/kms:DescribeSecret/);
    expect(JSON.stringify(content)).not.toContain('hunter2');
  });

  it('redacts the message of a failed invocation', () => {
    const content = degradedContent(
      {
        kind: 'failed-invocation',
        functionName: 'kro-sweep',
        condition: 'HandledError',
        errorMessage: 'password: s3cr3t-value',
      },
      { regionId: 'cn-hangzhou', now: T },
    );
    expect(content).toMatchObject({ failedFunction: 'kro-sweep', cause: 'invocation-failed' });
    expect(JSON.stringify(content)).not.toContain('s3cr3t-value');
  });
});
