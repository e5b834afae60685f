import { athleteZones, DEFAULT_HR_MAX, zoneOf } from '@athlete/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesSamples, TestSocket } from './live-fixtures.ts';
import {
  connectThroughConsent,
  registerAthlete,
  type SyncWorld,
  settle,
  startSyncWorld,
  type TestAthlete,
} from './sync-fixtures.ts';

const PCT_MAX = 0.9;
const THRESHOLDS = {
  hrAbovePctMax: PCT_MAX,
  hrAboveBpm: null,
  hrAboveSeconds: 3,
  hrBelowBpm: 40,
  hrBelowSeconds: 3,
  dropoutSeconds: 600,
  jumpBpm: 80,
  clearSeconds: 2,
};
// The sandbox's WHOOP body measurement for this login says max HR 178 (seeded), under the
// 190 bpm live processing assumes while the profile has none.
const LOGIN = 'live-hrmax';

/**
 * A profile field written by a provider sync reaches the open live session like one saved in
 * the profile API: WHOOP's body measurement fills the athlete's missing HR max while they
 * stream, and the same session's next samples are zoned and alerted against it.
 */
describe('a WHOOP sync that fills HR max applies to the open live session', () => {
  let w: SyncWorld;
  let athlete: TestAthlete;
  let base: string;

  beforeAll(async () => {
    w = await startSyncWorld({
      app: { overrides: { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 50 } },
      sandbox: { days: 3 },
    });
    athlete = await registerAthlete(w.app);
    base = w.url.replace(/^http/, 'ws');
  });
  afterAll(async () => w?.close());

  it('the next samples use the new HR max for zone and hr_high, in the same session', {
    timeout: 60_000,
  }, async () => {
    const viewer = await TestSocket.open(`${base}/ws/live?athleteId=${athlete.id}`, athlete.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    const t0 = Date.now() - 120_000;
    let n = 0;
    const sent: number[] = [];
    const stream = async (count: number, hr: number) => {
      const samples = Array.from({ length: count }, () => ({ ts: t0 + n++ * 1000, hr }));
      const res = await w.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: athlete.auth,
        payload: { samples },
      });
      expect(res.statusCode, res.body).toBe(202);
      for (const s of samples) sent.push(s.ts);
      await w.app.live.settled();
    };
    const highAlerts = () =>
      w.app.deps.db.prisma.alert.findMany({ where: { athleteId: athlete.id, rule: 'hr_high' } });
    const zoneAt = (ts: number) =>
      framesSamples(viewer.messages).find((s) => s.athleteId === athlete.id && s.ts === ts)?.zone;

    // 165 bpm is under 90 % of the assumed 190 (171) and over 90 % of 178 (160.2).
    const hr = 165;
    await stream(10, hr);
    const session = w.app.live.openSession(athlete.id);
    expect(session?.profile).toMatchObject({ hrMax: DEFAULT_HR_MAX, hrMaxAssumed: true });
    expect(await highAlerts()).toEqual([]);
    const assumedZone = zoneOf(hr, athleteZones(null).zones);
    await viewer.waitFor(() => zoneAt(sent.at(-1)!) !== undefined);
    expect(zoneAt(sent.at(-1)!)).toBe(assumedZone);

    expect((await connectThroughConsent(w, athlete, 'whoop', LOGIN)).statusCode).toBe(302);
    await settle(w);
    const { hrMax } = await w.app.deps.db.prisma.athleteProfile.findUniqueOrThrow({
      where: { userId: athlete.id },
    });
    expect(hrMax).toBe(178);
    const newZone = zoneOf(hr, athleteZones({ hrMax }).zones);
    expect(newZone).not.toBe(assumedZone);

    // The notice crosses Redis asynchronously; the session keeps streaming meanwhile.
    const deadline = Date.now() + 5_000;
    while (w.app.live.openSession(athlete.id)?.profile.hrMax !== hrMax) {
      if (Date.now() > deadline) throw new Error('the WHOOP HR max never reached the live session');
      await stream(1, hr);
      await new Promise((r) => setTimeout(r, 25));
    }
    const firstAfter = n;
    await stream(5, hr);
    await viewer.waitFor(() => zoneAt(sent.at(-1)!) !== undefined);
    expect(zoneAt(t0 + firstAfter * 1000)).toBe(newZone);
    expect(zoneAt(sent.at(-1)!)).toBe(newZone);

    const alerts = await highAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ value: hr });
    expect(alerts[0]!.threshold).toBeCloseTo(PCT_MAX * hrMax!, 5);
    // The same session all along, not a new one.
    expect(w.app.live.openSession(athlete.id)!.id).toBe(session!.id);
    expect(alerts[0]!.sessionId).toBe(session!.id);
    viewer.close();
  });
});
