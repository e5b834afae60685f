import { describe, expect, it } from 'vitest';
import { parseLiveMessage } from './messages.ts';
import { LiveStore, signalState } from './store.ts';

function manualStore() {
  const queue: Array<() => void> = [];
  let now = 1_000_000;
  const store = new LiveStore({ schedule: (fn) => queue.push(fn), now: () => now, seriesSeconds: 60 });
  return {
    store,
    flush: () => {
      for (const fn of queue.splice(0)) fn();
    },
    advance: (ms: number) => (now += ms),
    get now() {
      return now;
    },
  };
}

describe('parseLiveMessage', () => {
  it('reads a tick frame where each sample names its athlete and session', () => {
    const e = parseLiveMessage({
      type: 'samples',
      samples: [
        { athleteId: 'a1', sessionId: 's1', ts: 1000, hr: 120, speed: null, zone: 2 },
        { athleteId: 'a2', sessionId: null, ts: 2000, hr: 121 },
        { hr: 1 },
      ],
    });
    expect(e).toMatchObject({
      kind: 'samples',
      samples: [
        { athleteId: 'a1', sessionId: 's1', ts: 1000, hr: 120, speed: null, zone: 2 },
        { athleteId: 'a2', sessionId: null, ts: 2000, hr: 121 },
      ],
    });
    expect((e as { samples: unknown[] }).samples).toHaveLength(2);
  });

  it('reads alerts, session events and snapshots, and ignores what it does not know', () => {
    const startedAt = '2026-01-01T10:00:00.000Z';
    const alert = { id: 'x', athleteId: 'a1', severity: 'critical', rule: 'hr_high', startedAt };
    expect(parseLiveMessage({ type: 'alert', alert })).toMatchObject({
      kind: 'alert',
      alert: { id: 'x', severity: 'critical', acknowledgedAt: null },
    });
    expect(parseLiveMessage({ type: 'alert', alert: { id: 'x' } })).toEqual({ kind: 'ignored' });
    expect(
      parseLiveMessage({
        type: 'session',
        event: 'started',
        athleteId: 'a1',
        sessionId: 's1',
        session: { startedAt },
      }),
    ).toMatchObject({
      kind: 'session',
      athleteId: 'a1',
      sessionId: 's1',
      state: 'started',
      at: Date.parse(startedAt),
    });
    expect(
      parseLiveMessage({ type: 'snapshot', athletes: [{ athleteId: 'a1', alerts: [] }, 7] }),
    ).toMatchObject({
      kind: 'snapshot',
      athletes: [{ athleteId: 'a1' }],
    });
    expect(parseLiveMessage({ type: 'pong' })).toEqual({ kind: 'ignored' });
    expect(parseLiveMessage('nonsense')).toEqual({ kind: 'ignored' });
  });
});

describe('LiveStore', () => {
  it('coalesces notifications per frame and only notifies the changed athlete', () => {
    const m = manualStore();
    const calls: string[] = [];
    m.store.subscribe('a1', () => calls.push('a1'));
    m.store.subscribe('a2', () => calls.push('a2'));
    m.store.addSample({ athleteId: 'a1', ts: 1000, hr: 100 });
    m.store.addSample({ athleteId: 'a1', ts: 2000, hr: 101 });
    expect(calls).toEqual([]);
    m.flush();
    expect(calls).toEqual(['a1']);
    expect(m.store.get('a1')).toMatchObject({ hr: 101, lastTs: 2000, sessionStartedAt: 1000 });
  });

  it('drops duplicate or late samples and trims the series window', () => {
    const m = manualStore();
    for (let t = 0; t <= 120; t++) m.store.addSample({ athleteId: 'a', ts: t * 1000, hr: 100 + t });
    m.store.addSample({ athleteId: 'a', ts: 50_000, hr: 1 });
    const a = m.store.get('a')!;
    expect(a.hr).toBe(220);
    expect(a.series.at(0)?.t).toBe(60_000);
    expect(a.series.size).toBe(61);
  });

  it('accumulates distance from GPS when the sensor does not report it', () => {
    const m = manualStore();
    m.store.addSample({ athleteId: 'a', ts: 1000, lat: 0, lon: 0 });
    m.store.addSample({ athleteId: 'a', ts: 2000, lat: 0.001, lon: 0 });
    expect(m.store.get('a')!.distance).toBeCloseTo(111.2, 0);
    m.store.addSample({ athleteId: 'a', ts: 3000, lat: 0.002, lon: 0, distance: 5000 });
    expect(m.store.get('a')!.distance).toBe(5000);
  });

  it('counts unacknowledged alerts per athlete', () => {
    const m = manualStore();
    const alert = (id: string) => ({
      id,
      athleteId: 'a',
      rule: 'hr_high' as const,
      severity: 'warning' as const,
      message: 'HR high',
      value: 180,
      threshold: 175,
      startedAt: new Date(1000).toISOString(),
    });
    m.store.apply({ kind: 'alert', alert: alert('1') });
    m.store.apply({ kind: 'alert', alert: alert('2') });
    expect(m.store.get('a')!.openAlerts).toBe(2);
    m.store.acknowledge('1');
    expect(m.store.get('a')!.openAlerts).toBe(1);
    expect(
      m.store
        .alertList()
        .map((a) => a.id)
        .sort(),
    ).toEqual(['1', '2']);
  });

  it("shows another coach's acknowledgement pushed on the socket, and a stale list does not undo it", () => {
    const m = manualStore();
    const alert = {
      id: 'x',
      athleteId: 'a',
      rule: 'hr_high' as const,
      severity: 'warning' as const,
      message: 'HR high',
      value: 180,
      threshold: 175,
      startedAt: new Date(1000).toISOString(),
      clearedAt: null,
      acknowledgedAt: null,
    };
    let notified = 0;
    m.store.subscribeAll(() => notified++);
    m.store.setAlerts([alert]);
    m.flush();
    expect(m.store.get('a')!.openAlerts).toBe(1);
    const before = notified;

    // What /ws/live sends when someone else acknowledges it.
    const acknowledgedAt = new Date(5000).toISOString();
    const acknowledgedBy = { id: 'c2', name: 'Coach Two' };
    m.store.apply(parseLiveMessage({ type: 'alert', alert: { ...alert, acknowledgedAt, acknowledgedBy } }));
    m.flush();
    expect(notified).toBeGreaterThan(before);
    expect(m.store.alertList()).toEqual([
      expect.objectContaining({ id: 'x', acknowledgedAt, acknowledgedBy }),
    ]);
    expect(m.store.get('a')!.openAlerts).toBe(0);

    // A REST list fetched before the acknowledgement lands afterwards: still acknowledged.
    m.store.setAlerts([alert]);
    expect(m.store.alertList()[0]).toMatchObject({ acknowledgedAt, acknowledgedBy });
    expect(m.store.get('a')!.openAlerts).toBe(0);
    // The alert clearing later keeps the acknowledgement too.
    const clearedAt = new Date(9000).toISOString();
    m.store.apply({ kind: 'alert', alert: { ...alert, clearedAt } });
    expect(m.store.alertList()[0]).toMatchObject({ acknowledgedAt, acknowledgedBy, clearedAt });
  });

  it('takes open sessions, latest values and alerts from the snapshot', () => {
    const m = manualStore();
    m.store.apply({
      kind: 'snapshot',
      athletes: [
        {
          athleteId: 'a',
          name: 'Ann',
          sessionId: 's1',
          latest: {
            ts: 5000,
            hr: 150,
            speed: 3,
            distance: 1200,
            lat: null,
            lon: null,
            cadence: null,
            power: null,
            zone: 3,
          },
          summary: null,
          alerts: [
            {
              id: 'al',
              athleteId: 'a',
              rule: 'hr_high',
              severity: 'warning',
              message: 'x',
              value: 1,
              threshold: 1,
              startedAt: new Date(4000).toISOString(),
            },
          ],
        },
        { athleteId: 'b', sessionId: null, latest: null, alerts: [] },
      ],
    });
    expect(m.store.get('a')).toMatchObject({
      name: 'Ann',
      sessionId: 's1',
      hr: 150,
      distance: 1200,
      openAlerts: 1,
    });
    expect(signalState(m.store.get('b'), m.now)).toBe('idle');
  });

  it('merges the stored part of the open session in front of live samples, once', () => {
    const m = manualStore();
    m.store.addSample({ athleteId: 'a', sessionId: 's1', ts: 100_000, hr: 150, lat: 1, lon: 1 });
    const stored = [30_000, 50_000, 70_000, 100_000].map((ts) => ({
      ts,
      hr: ts / 1000,
      lat: 0,
      lon: ts / 1e6,
      distance: ts / 100,
    }));
    m.store.backfill('a', 's1', stored);
    const a = m.store.get('a')!;
    // 60 s window: 30 s is outside it; the sample at 100 s is not doubled.
    expect(a.series.toArray().map((p) => p.t)).toEqual([50_000, 70_000, 100_000]);
    expect(a.track.size).toBe(4);
    expect(a.sessionStartedAt).toBe(30_000);
    m.store.setSessionStart('a', 's1', 10_000);
    expect(a).toMatchObject({ sessionStartedAt: 10_000, sessionStartKnown: true });
    m.store.backfill('a', 's1', [{ ts: 60_000, hr: 1 }]);
    expect(a.series.size).toBe(3);
    m.store.setSessionStart('a', 'other', 5);
    expect(a.sessionStartedAt).toBe(10_000);
  });

  it('reports signal state from arrival time', () => {
    const m = manualStore();
    m.store.addSample({ athleteId: 'a', ts: 1, hr: 90 });
    const a = m.store.get('a');
    expect(signalState(a, m.now)).toBe('live');
    expect(signalState(a, m.now + 10_000)).toBe('weak');
    expect(signalState(a, m.now + 20_000)).toBe('lost');
    m.store.apply({ kind: 'session', athleteId: 'a', sessionId: null, state: 'stopped', at: 5 });
    expect(signalState(a, m.now)).toBe('idle');
    expect(signalState(undefined, m.now)).toBe('idle');
  });
});
