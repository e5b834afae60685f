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

const A1 = '00000000-0000-4000-8000-0000000000a1';
const A2 = '00000000-0000-4000-8000-0000000000a2';
const S1 = '00000000-0000-4000-8000-0000000000b1';
const AL = '00000000-0000-4000-8000-0000000000c9';
const C2 = '00000000-0000-4000-8000-0000000000d2';
const liveSample = (athleteId: string, sessionId: string | null, ts: number, hr: number | null) => ({
  athleteId,
  sessionId,
  ts,
  hr,
  speed: null,
  distance: null,
  lat: null,
  lon: null,
  cadence: null,
  power: null,
  zone: hr === null ? null : 2,
});

describe('parseLiveMessage', () => {
  it('reads a tick frame where each sample names its athlete and session', () => {
    const samples = [liveSample(A1, S1, 1000, 120), liveSample(A2, null, 2000, null)];
    expect(parseLiveMessage({ type: 'samples', samples })).toEqual({ kind: 'samples', samples });
  });

  it('ignores a frame outside the contract as a whole', () => {
    // The shape the web once accepted by hand: athleteId on the frame, not on each sample.
    const old = { type: 'samples', athleteId: A1, samples: [{ ts: 1000, hr: 120 }] };
    expect(parseLiveMessage(old)).toEqual({ kind: 'ignored' });
    expect(
      parseLiveMessage({ type: 'samples', samples: [liveSample(A1, S1, 1000, 120), { hr: 1 }] }),
    ).toEqual({
      kind: 'ignored',
    });
    expect(parseLiveMessage('nonsense')).toEqual({ kind: 'ignored' });
  });

  it('reads alerts, session events and snapshots', () => {
    const startedAt = '2026-01-01T10:00:00.000Z';
    const alert = {
      id: '00000000-0000-4000-8000-0000000000c1',
      athleteId: A1,
      severity: 'critical',
      rule: 'hr_high',
      message: 'HR 196 above 190',
      value: 196,
      threshold: 190,
      startedAt,
    };
    expect(parseLiveMessage({ type: 'alert', alert })).toEqual({ kind: 'alert', alert });
    expect(parseLiveMessage({ type: 'alert', alert: { id: 'x' } })).toEqual({ kind: 'ignored' });
    const session = {
      id: S1,
      athleteId: A1,
      source: 'live',
      sport: null,
      status: 'open',
      startedAt,
      endedAt: null,
      durationS: null,
      distanceM: null,
      avgHr: null,
      maxHr: null,
      avgSpeed: null,
      maxSpeed: null,
      timeInZonesS: [],
      trimp: null,
    };
    expect(
      parseLiveMessage({ type: 'session', event: 'started', athleteId: A1, sessionId: S1, session }),
    ).toEqual({
      kind: 'session',
      athleteId: A1,
      sessionId: S1,
      state: 'started',
      at: Date.parse(startedAt),
      summary: null,
    });
    const athletes = [{ athleteId: A1, sessionId: null, latest: null, alerts: [] }];
    expect(parseLiveMessage({ type: 'snapshot', athletes })).toEqual({ kind: 'snapshot', athletes });
    expect(parseLiveMessage({ type: 'pong' })).toEqual({ kind: 'ignored' });
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
    // The feed's ack answer, as it puts it in the store.
    m.store.setAlerts([{ ...alert('1'), acknowledgedAt: new Date(2000).toISOString() }]);
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
      id: AL,
      athleteId: A1,
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
    expect(m.store.get(A1)!.openAlerts).toBe(1);
    const before = notified;

    // What /ws/live sends when someone else acknowledges it.
    const acknowledgedAt = new Date(5000).toISOString();
    const acknowledgedBy = { id: C2, name: 'Coach Two' };
    m.store.apply(parseLiveMessage({ type: 'alert', alert: { ...alert, acknowledgedAt, acknowledgedBy } }));
    m.flush();
    expect(notified).toBeGreaterThan(before);
    expect(m.store.alertList()).toEqual([
      expect.objectContaining({ id: AL, acknowledgedAt, acknowledgedBy }),
    ]);
    expect(m.store.get(A1)!.openAlerts).toBe(0);

    // A REST list fetched before the acknowledgement lands afterwards: still acknowledged.
    m.store.setAlerts([alert]);
    expect(m.store.alertList()[0]).toMatchObject({ acknowledgedAt, acknowledgedBy });
    expect(m.store.get(A1)!.openAlerts).toBe(0);
    // The alert clearing later keeps the acknowledgement too.
    const clearedAt = new Date(9000).toISOString();
    m.store.apply({ kind: 'alert', alert: { ...alert, clearedAt } });
    expect(m.store.alertList()[0]).toMatchObject({ acknowledgedAt, acknowledgedBy, clearedAt });
  });

  it('tells listeners of alerts that fire while watching, not of known, cleared or acknowledged ones', () => {
    const m = manualStore();
    const alert = (id: string, extra: object = {}) => ({
      id,
      athleteId: 'a',
      rule: 'hr_high' as const,
      severity: 'warning' as const,
      message: 'HR high',
      value: 196,
      threshold: 190,
      startedAt: new Date(1000).toISOString(),
      ...extra,
    });
    const heard: string[] = [];
    m.store.onNewAlert((a) => heard.push(a.id));
    m.store.apply({
      kind: 'snapshot',
      athletes: [{ athleteId: 'a', sessionId: null, latest: null, alerts: [alert('from-snapshot')] }],
    });
    m.store.setAlerts([alert('from-rest')]);
    m.store.apply({ kind: 'alert', alert: alert('new') });
    // The same alert again (cleared, acknowledged), a stale known one, and one already cleared.
    m.store.apply({ kind: 'alert', alert: alert('new', { clearedAt: new Date(5000).toISOString() }) });
    m.store.apply({
      kind: 'alert',
      alert: alert('from-snapshot', { acknowledgedAt: new Date(6000).toISOString() }),
    });
    m.store.apply({ kind: 'alert', alert: alert('from-rest') });
    m.store.apply({ kind: 'alert', alert: alert('gone', { clearedAt: new Date(7000).toISOString() }) });
    expect(heard).toEqual(['new']);
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
            athleteId: 'a',
            sessionId: 's1',
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

  it('drops an athlete a later snapshot leaves out, with their alerts, and ignores what follows', () => {
    const m = manualStore();
    const state = (athleteId: string) => ({ athleteId, sessionId: null, latest: null, alerts: [] });
    const alert = {
      id: 'al-b',
      athleteId: 'b',
      rule: 'hr_high' as const,
      severity: 'warning' as const,
      message: 'x',
      value: 1,
      threshold: 1,
      startedAt: new Date(4000).toISOString(),
    };
    expect(m.store.watches('a')).toBeNull();
    m.store.apply({ kind: 'snapshot', athletes: [state('a'), { ...state('b'), alerts: [alert] }] });
    m.store.addSample({ athleteId: 'b', sessionId: 's2', ts: 5000, hr: 140 });
    const heard: string[] = [];
    m.store.subscribe('b', () => heard.push('b'));
    m.flush();
    expect(m.store.get('b')?.openAlerts).toBe(1);

    // b stops sharing live data: the server's next snapshot names only a.
    m.store.apply({ kind: 'snapshot', athletes: [state('a')] });
    m.flush();
    expect(m.store.get('b')).toBeUndefined();
    expect(heard).toEqual(['b', 'b']);
    expect(m.store.watches('b')).toBe(false);
    expect(m.store.watches('a')).toBe(true);
    expect(m.store.alertList()).toEqual([]);
    // Frames already on their way, and a REST alert list read before, do not bring b back.
    m.store.addSample({ athleteId: 'b', sessionId: 's2', ts: 6000, hr: 141 });
    m.store.setAlerts([alert]);
    m.store.apply({ kind: 'alert', alert: { ...alert, id: 'al-b2' } });
    expect(m.store.get('b')).toBeUndefined();
    expect(m.store.alertList()).toEqual([]);
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
    m.store.addSample({ athleteId: 'a', sessionId: 's1', ts: 1, hr: 90 });
    const a = m.store.get('a');
    expect(signalState(a, m.now)).toBe('live');
    expect(signalState(a, m.now + 10_000)).toBe('weak');
    expect(signalState(a, m.now + 20_000)).toBe('lost');
    m.store.apply({ kind: 'session', athleteId: 'a', sessionId: 's1', state: 'stopped', at: 5 });
    expect(signalState(a, m.now)).toBe('idle');
    expect(signalState(undefined, m.now)).toBe('idle');
  });
});
