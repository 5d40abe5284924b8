import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/clock';
import { FaultRegistry, seededRandom } from '../../emulator/faults';
import { createEventBus, formatEnvelopeTime, formatPublishTime } from '../../emulator/services/eventbridge';
import type { CloudEvent } from '../../emulator/types';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function cloudEvent(id: string, type = 'kms:ActionTrail:ApiCall'): CloudEvent {
  return {
    id,
    source: 'acs.kms',
    specversion: '1.0',
    type,
    datacontenttype: 'application/json;charset=utf-8',
    subject: 'acs.kms:cn-hangzhou:123:secret/s1',
    time: formatEnvelopeTime(T0),
    aliyunaccountid: '123',
    aliyunpublishtime: formatPublishTime(T0),
    aliyuneventbusname: 'default',
    aliyunregionid: 'cn-hangzhou',
    data: { eventName: 'RotateSecret' },
  };
}

function setup() {
  const clock = new ManualClock(T0);
  const faults = new FaultRegistry(seededRandom(7));
  const bus = createEventBus({ clock, faults, random: seededRandom(1) });
  const received: string[] = [];
  bus.subscribe({ name: 'on-event', pattern: { source: ['acs.kms'] }, deliver: async (e) => void received.push(e.id) });
  return { clock, faults, bus, received };
}

describe('the event bus', () => {
  it('delivers a published event to matching subscribers only, on the clock', async () => {
    const { clock, bus, received } = setup();
    const other: string[] = [];
    bus.subscribe({ name: 'oss-only', pattern: { source: ['acs.oss'] }, deliver: async (e) => void other.push(e.id) });
    bus.publish(cloudEvent('a'));
    expect(received).toEqual([]); // nothing before the clock runs
    await clock.settle();
    expect(received).toEqual(['a']);
    expect(other).toEqual([]);
    expect(bus.log()[0]?.deliveries).toEqual([{ subscriber: 'on-event', at: T0 }]);
  });

  it('drops an event under an EventDrop fault and logs it as dropped', async () => {
    const { clock, faults, bus, received } = setup();
    faults.add({ Kind: 'EventDrop', EventType: 'kms:ActionTrail:ApiCall', Times: 1 });
    bus.publish(cloudEvent('a'));
    bus.publish(cloudEvent('b'));
    await clock.settle();
    expect(received).toEqual(['b']);
    expect(bus.log().map((r) => r.dropped)).toEqual([true, false]);
  });

  it('delivers an event twice under EventDuplicate, marking the second delivery', async () => {
    const { clock, faults, bus, received } = setup();
    faults.add({ Kind: 'EventDuplicate', Times: 1 });
    bus.publish(cloudEvent('a'));
    await clock.settle();
    expect(received).toEqual(['a', 'a']);
    expect(bus.log()[0]?.deliveries.map((d) => d.duplicate ?? false)).toEqual([false, true]);
  });

  it('holds an event back under EventReorder and delivers it after the next one', async () => {
    const { clock, faults, bus, received } = setup();
    faults.add({ Kind: 'EventReorder', Times: 1 });
    bus.publish(cloudEvent('first'));
    bus.publish(cloudEvent('second'));
    await clock.settle();
    expect(received).toEqual(['second', 'first']);
  });

  it('releases a held event after at most a minute when nothing follows it', async () => {
    const { clock, faults, bus, received } = setup();
    faults.add({ Kind: 'EventReorder', Times: 1 });
    bus.publish(cloudEvent('lonely'));
    await clock.advance(59_000);
    expect(received).toEqual([]);
    await clock.advance(1_000);
    expect(received).toEqual(['lonely']);
  });

  it('delays an event by Ms under EventDelay, matched by event type', async () => {
    const { clock, faults, bus, received } = setup();
    faults.add({ Kind: 'EventDelay', EventType: 'kms:CloudMonitor:Secret[RotateSecret:Failure]', Ms: 30_000 });
    bus.publish(cloudEvent('late', 'kms:CloudMonitor:Secret[RotateSecret:Failure]'));
    bus.publish(cloudEvent('prompt'));
    await clock.advance(29_999);
    expect(received).toEqual(['prompt']);
    await clock.advance(1);
    expect(received).toEqual(['prompt', 'late']);
    expect(bus.log()[0]?.deliveries[0]?.at).toBe(T0 + 30_000);
  });

  it('records a failing subscriber and keeps the clock running', async () => {
    const { clock, bus, received } = setup();
    bus.subscribe({ name: 'broken', pattern: {}, deliver: async () => Promise.reject(new Error('handler blew up')) });
    bus.publish(cloudEvent('a'));
    await clock.settle();
    expect(received).toEqual(['a']);
    expect(bus.log()[0]?.deliveries).toContainEqual({ subscriber: 'broken', at: T0, error: 'handler blew up' });
    expect(clock.taskErrors).toEqual([]);
  });

  it('stops delivering after unsubscribe', async () => {
    const { clock, bus } = setup();
    const got: string[] = [];
    const off = bus.subscribe({ name: 'x', pattern: {}, deliver: async (e) => void got.push(e.id) });
    off();
    bus.publish(cloudEvent('a'));
    await clock.settle();
    expect(got).toEqual([]);
  });

  it('refuses a subscription with an invalid pattern', () => {
    const { bus } = setup();
    expect(() =>
      bus.subscribe({ name: 'bad', pattern: { source: 'acs.kms' }, deliver: async () => undefined }),
    ).toThrow(/leaf must be an array/);
  });

  it('formats envelope times the way EventBridge does', () => {
    expect(formatEnvelopeTime(Date.parse('2020-11-19T13:04:41.123Z'))).toBe('2020-11-19T21:04:41+08:00');
    expect(formatPublishTime(Date.parse('2020-11-19T13:04:42.179Z'))).toBe('2020-11-19T21:04:42.179PRC');
  });
});
