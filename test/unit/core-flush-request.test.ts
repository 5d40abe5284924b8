import { describe, expect, it } from 'vitest';
import { requestFlush } from '../../shared/core/scheduling';
import { testConfig } from '../helpers/config';
import { fakeDeps } from '../helpers/fakes';

/** Counts every request FC receives for the flush, accepted or refused. */
function countingDeps(shared?: ReturnType<typeof fakeDeps>) {
  const deps = shared ? fakeDeps(testConfig(), { clock: shared.clock, clients: shared.cloud }) : fakeDeps(testConfig());
  const asked: string[] = [];
  const invokeAsync = deps.cloud.invoker.invokeAsync.bind(deps.cloud.invoker);
  deps.cloud.invoker.invokeAsync = async (invocation) => {
    asked.push(invocation.taskId);
    return invokeAsync(invocation);
  };
  return { deps, asked };
}

describe("the storm window's flush request", () => {
  it('is asked of FC once per window by an instance, however many events it handles in that window', async () => {
    const { deps, asked } = countingDeps();
    const answers = [];
    for (let i = 0; i < 50; i++) answers.push(await requestFlush(deps));
    expect(answers[0]).toBe('first');
    expect(answers.slice(1).every((a) => a === 'taken')).toBe(true);
    expect(asked).toHaveLength(1);
    // The next window is news again.
    deps.clock.advance(60_000);
    expect(await requestFlush(deps)).toBe('first');
    expect(asked).toHaveLength(2);
    expect(deps.cloud.invoker.to('kro-sweep')).toHaveLength(2);
  });

  it('still lets FC decide between instances: a second instance asks once and finds the window taken', async () => {
    const first = countingDeps();
    expect(await requestFlush(first.deps)).toBe('first');
    const second = countingDeps(first.deps);
    expect(await requestFlush(second.deps)).toBe('taken');
    expect(await requestFlush(second.deps)).toBe('taken');
    expect(second.asked).toHaveLength(1);
  });

  it('does not remember a request FC could not take: the next event asks again', async () => {
    const { deps, asked } = countingDeps();
    const invokeAsync = deps.cloud.invoker.invokeAsync;
    deps.cloud.invoker.invokeAsync = async () => {
      throw new Error('FC unreachable');
    };
    await expect(requestFlush(deps)).rejects.toThrow('FC unreachable');
    deps.cloud.invoker.invokeAsync = invokeAsync;
    expect(await requestFlush(deps)).toBe('first');
    expect(asked).toHaveLength(1);
  });
});
