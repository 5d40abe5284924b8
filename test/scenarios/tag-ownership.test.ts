/**
 * Issue 13 (configuration): with KRO_STATE_TAG_KEY=env, a sweep once sent `UntagResource env` to
 * most secrets, and every secret fell back to the production policy. Such a configuration is now
 * refused at start: the deployed functions fail with an error naming the variable and touch no tag.
 */
import { describe, expect, it } from 'vitest';
import { runBootstrap } from '../../cli/commands/bootstrap';
import { aSecret, HOUR, startScenario } from '../helpers/scenario';

describe("a state tag key that is not the orchestrator's own", () => {
  it("stops every function at start with KRO_STATE_TAG_KEY=env, and the customers' env tags stay", async () => {
    const s = await startScenario({
      secrets: [aSecret('prod/orders', 'rds'), aSecret('staging/api', 'generic', { Tags: { env: 'staging' } })],
      env: { KRO_STATE_TAG_KEY: 'env' },
      bootstrap: false,
    });
    // Bootstrap reads the same environment and refuses it too.
    const env = { KRO_ALERT_MAIL: 'secops@example.com', KRO_STATE_TAG_KEY: 'env' };
    await expect(
      runBootstrap(['--endpoint', s.endpoint], { stdout: () => undefined, stderr: () => undefined, isTTY: false, env }),
    ).rejects.toThrow(/KRO_STATE_TAG_KEY/);
    await s.advance(HOUR);

    const sweeps = s.invocations('kro-sweep');
    expect(sweeps.length).toBeGreaterThan(0);
    for (const run of sweeps) expect(run.outcome).toBe('error');
    expect(s.logs().join('\n')).toMatch(/KRO_STATE_TAG_KEY: \\"env\\" is outside the orchestrator's own tags/);
    expect(s.calls().filter((c) => /^(Tag|Untag)Resources?$/.test(c.action))).toEqual([]);
    expect(s.rawTags('prod/orders')).toEqual({ env: 'prod' });
    expect(s.rawTags('staging/api')).toEqual({ env: 'staging' });
  });
});

describe("a tag under the orchestrator's own key that it did not write", () => {
  it('is never overwritten or removed, on a healthy secret or one with findings, and the log says why', async () => {
    // A customer (or an older tool) already uses the key, in a format that is not the orchestrator's.
    const theirs = { 'kro-state': 'owner=team-a', 'kro-state-msg': 'ticket:OPS-1234' };
    const s = await startScenario({
      secrets: [
        aSecret('prod/healthy', 'rds', { Tags: { env: 'prod', ...theirs } }),
        aSecret('prod/unrotated', 'rds', {
          EnableAutomaticRotation: false,
          Tags: { env: 'prod', 'kro-state': 'v0:legacy/owner@team-b' },
        }),
      ],
    });
    await s.advance(3 * HOUR);

    expect(s.rawTags('prod/healthy')).toEqual({ env: 'prod', ...theirs });
    expect(s.rawTags('prod/unrotated')).toEqual({ env: 'prod', 'kro-state': 'v0:legacy/owner@team-b' });
    const writes = s
      .calls()
      .filter(
        (c) =>
          /^(Tag|Untag)Resources?$/.test(c.action) &&
          /prod%2F(healthy|unrotated)|prod\/(healthy|unrotated)/.test(JSON.stringify(c.params)),
      );
    expect(writes).toEqual([]);
    expect(s.logs().join('\n')).toMatch(/holds a value the orchestrator did not write/);
  });
});
